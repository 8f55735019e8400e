import WardenWire

/// One resource's result within a check (`Finding`): `PASS`, `FAIL` or `INFO`, and why.
public struct SecurityFinding: WireJSONDecodable, Equatable {
    /// The resource checked (an ARN, or the account).
    public var resource: String
    /// `PASS`, `FAIL` or `INFO`.
    public var status: String
    /// Why the resource has this status.
    public var reason: String

    /// Creates a finding.
    public init(resource: String, status: String, reason: String) {
        self.resource = resource
        self.status = status
        self.reason = reason
    }

    /// Decodes `Finding`.
    public init(wireJSON json: WireJSON) throws(WardenClientError) {
        let r = try ShapeReader(json, shape: "Finding")
        self.init(resource: try r.string("Resource"), status: try r.string("Status"), reason: try r.string("Reason"))
    }

    /// Whether this finding fails its check.
    public var isFailing: Bool { status == SecurityCheck.failStatus }
}
