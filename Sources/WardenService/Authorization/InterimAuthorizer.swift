import WardenCore
import WardenStore

/// The interim rule until the policy engine is wired in: the root user and principals with
/// `AdministratorAccess` (directly or through a group) may do everything; everyone else is denied.
public struct InterimAuthorizer: Authorizer {
    public init() {}
    static let admin = "arn:aws:iam::aws:policy/AdministratorAccess"

    public func authorize(_ call: Call, action: String, resource: String, context: [String: [String]]) throws {
        let p = call.caller.principal
        if p.kind == .root || action == "sts:GetCallerIdentity" { return }
        if let state = call.service.store.account(p.account) {
            switch p.kind {
            case .user:
                if let u = state.users[p.name.lowercased()] {
                    if u.attachedPolicies.contains(Self.admin) { return }
                    for g in u.groups where state.groups[g.lowercased()]?.attachedPolicies.contains(Self.admin) == true { return }
                }
            case .assumedRole:
                if state.roles[p.name.lowercased()]?.attachedPolicies.contains(Self.admin) == true { return }
            default: break
            }
        }
        throw ServiceError(.accessDenied, accessDeniedMessage(p.arn, action: action, resource: resource,
                                                              reason: "because no identity-based policy allows the \(action) action"))
    }
}

extension InterimAuthorizer {
    /// Interim trust check: the trust policy must name the caller (or its account, with an administrator caller).
    public func authorizeTrust(_ call: Call, role: RoleRecord, roleARN: String, action: String, context: [String: [String]]) throws {
        let p = call.caller.principal
        let doc = role.assumeRolePolicy
        if doc.contains("\"\(p.arn)\"") { return }
        if doc.contains("\"arn:aws:iam::\(p.account):root\"") || doc.contains("\"\(p.account)\"") {
            try authorize(call, action: action, resource: roleARN, context: context)
            return
        }
        throw ServiceError(.accessDenied, accessDeniedMessage(p.arn, action: action, resource: roleARN, reason: ""))
    }
}
