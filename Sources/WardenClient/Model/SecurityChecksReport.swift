import Foundation
import WardenWire

/// The answer of `GetSecurityStatus` and `GetSecurityChecks`: the checks and when they were evaluated.
public struct SecurityChecksReport: WireJSONDecodable, Equatable {
    /// The checks, in the server's order.
    public var checks: [SecurityCheck]
    /// When the checks were evaluated.
    public var generatedAt: Date

    /// Creates a report.
    public init(checks: [SecurityCheck], generatedAt: Date) {
        self.checks = checks
        self.generatedAt = generatedAt
    }

    /// Decodes `GetSecurityStatusResponse` or `GetSecurityChecksResponse` (the same members).
    public init(wireJSON json: WireJSON) throws(WardenClientError) {
        let r = try ShapeReader(json, shape: "GetSecurityChecksResponse")
        self.init(checks: try r.list("Checks", of: SecurityCheck.self, required: true), generatedAt: try r.timestamp("GeneratedAt"))
    }
}
