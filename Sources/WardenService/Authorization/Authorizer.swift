import WardenCore
import WardenStore

/// Decides whether a call may proceed. Every operation asks before it executes; nothing is "admin only" by
/// special case.
public protocol Authorizer: Sendable {
    /// Throws `AccessDenied` (in AWS's wording) unless the caller may perform `action` on `resource`. With
    /// `grantedBySetting`, an account setting grants the action and only an explicit deny refuses it.
    func authorize(_ call: Call, action: String, resource: String, context: [String: [String]], grantedBySetting: Bool) throws

    /// Throws `AccessDenied` unless the role's trust policy (and, where AWS requires it, the caller's identity
    /// policies) let the caller perform `action` (`sts:AssumeRole`, `sts:TagSession`, …) on the role.
    func authorizeTrust(_ call: Call, role: RoleRecord, roleARN: String, action: String, context: [String: [String]]) throws
}

/// AWS's wording of an implicit denial by identity policies.
func accessDeniedMessage(_ principalARN: String, action: String, resource: String, reason: String) -> String {
    "User: \(principalARN) is not authorized to perform: \(action) on resource: \(resource) \(reason)"
}
