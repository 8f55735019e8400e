import WardenCore
import WardenStore

/// The policy documents that apply to a principal, gathered from the account: identity policies (inline and
/// attached, the user's groups' too), the permissions boundary, and a session's policies.
struct PolicySources {
    /// (id, document) pairs; ids name the policy in explanations (`arn:…:policy/X` or `user/alice/inline`).
    var identity: [(id: String, document: String)] = []
    var boundary: (id: String, document: String)?
    /// nil when no session policy applies; otherwise the inline and managed session policies.
    var session: [(id: String, document: String)]?

    /// The document of a managed policy ARN (customer or AWS managed), if it exists.
    static func managedDocument(_ arn: String, _ state: AccountState, _ service: WardenService) -> String? {
        if let aws = service.managedPolicies.policy(arn) { return aws.document }
        return try? state.customerPolicy(arn).defaultDocument
    }

    static func forPrincipal(_ p: Principal, session: SessionClaims?, state: AccountState, service: WardenService) -> PolicySources {
        var s = PolicySources()
        func addManaged(_ arns: [String]) {
            for arn in arns { if let d = managedDocument(arn, state, service) { s.identity.append((arn, d)) } }
        }
        func addUser(_ u: UserRecord) {
            for ip in u.inlinePolicies { s.identity.append(("user/\(u.name)/\(ip.name)", ip.document)) }
            addManaged(u.attachedPolicies)
            for gName in u.groups {
                guard let g = state.groups[gName.lowercased()] else { continue }
                for ip in g.inlinePolicies { s.identity.append(("group/\(g.name)/\(ip.name)", ip.document)) }
                addManaged(g.attachedPolicies)
            }
            if let b = u.permissionsBoundary, let d = managedDocument(b, state, service) { s.boundary = (b, d) }
        }
        switch p.kind {
        case .root:
            break
        case .user:
            if let u = state.users[p.name.lowercased()] { addUser(u) }
        case .assumedRole:
            if let r = state.roles[p.name.lowercased()] {
                for ip in r.inlinePolicies { s.identity.append(("role/\(r.name)/\(ip.name)", ip.document)) }
                addManaged(r.attachedPolicies)
                if let b = r.permissionsBoundary, let d = managedDocument(b, state, service) { s.boundary = (b, d) }
            }
        case .federatedUser:
            if let parent = session?.parentUser, let u = state.users[parent.lowercased()] { addUser(u) }
        }
        if let session, !session.sessionPolicies.isEmpty || !session.sessionPolicyArns.isEmpty || session.type == "federated" {
            var list: [(String, String)] = []
            for (i, d) in session.sessionPolicies.enumerated() { list.append(("session-policy/\(i + 1)", d)) }
            for arn in session.sessionPolicyArns { if let d = managedDocument(arn, state, service) { list.append((arn, d)) } }
            s.session = list
        }
        return s
    }
}
