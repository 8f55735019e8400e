import Foundation
import WardenWire

/// A remediation applied, or reported by a dry run (`Remediation`).
public struct Remediation: WireJSONDecodable, Equatable {
    /// The check whose failure it fixes.
    public var checkID: String
    /// What it does.
    public var action: String
    /// The resource it acts on.
    public var resource: String
    /// `APPLIED`, `WOULD_APPLY` or `FAILED`.
    public var status: String
    /// Why it failed, or more detail.
    public var reason: String?
    /// When it ran.
    public var time: Date

    /// Creates a remediation record.
    public init(checkID: String, action: String, resource: String, status: String, reason: String? = nil, time: Date) {
        self.checkID = checkID
        self.action = action
        self.resource = resource
        self.status = status
        self.reason = reason
        self.time = time
    }

    /// Decodes `Remediation`.
    public init(wireJSON json: WireJSON) throws(WardenClientError) {
        let r = try ShapeReader(json, shape: "Remediation")
        self.init(checkID: try r.string("CheckId"), action: try r.string("Action"), resource: try r.string("Resource"),
                  status: try r.string("Status"), reason: try r.optionalString("Reason"), time: try r.timestamp("Time"))
    }
}
