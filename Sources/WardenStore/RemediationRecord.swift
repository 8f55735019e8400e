import Foundation

/// A remediation Warden applied, would have applied (dry run), announced, or failed to apply, kept per account
/// (the newest `RemediationRecord.kept`) for `ListRemediations`.
public struct RemediationRecord: Codable, Sendable, Equatable {
    public static let kept = 1_000

    public var id: String
    public var time: Date
    /// `deactivate-unused-keys`, `deactivate-old-keys`, `delete-unused-login-profiles`, `detach-denied-policies`,
    /// `require-mfa`.
    public var action: String
    /// The check whose failure it remedies.
    public var checkID: String
    /// The resource changed (a user's ARN, or an access key's id after its user's ARN).
    public var resource: String
    /// `APPLIED`, `WOULD_APPLY` (dry run), `NOTIFIED` (a notice before a later change) or `FAILED`.
    public var status: String
    public var reason: String

    public init(id: String, time: Date, action: String, checkID: String, resource: String, status: String, reason: String) {
        self.id = id; self.time = time; self.action = action; self.checkID = checkID; self.resource = resource
        self.status = status; self.reason = reason
    }
}
