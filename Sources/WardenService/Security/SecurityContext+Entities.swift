import Foundation
import WardenCore
import WardenPolicy
import WardenStore

/// What the checks beyond the dashboard read about entities: the root user's credentials, the policy documents
/// that apply to a user or role, the access advisor's facts, and how roles are trusted.
extension SecurityContext {
    /// Whether the root user can sign in or call APIs (a password or an active access key). Prowler's root
    /// checks look only at such a root user: one without credentials has nothing to protect.
    var rootHasCredentials: Bool { state.account.rootPasswordHash != nil || rootKeys.contains { $0.status == "Active" } }

    /// The documents of every identity policy that applies to a user: its own inline and attached policies and
    /// those of its groups. An attached AWS managed policy the bundled dataset lacks is skipped.
    func documents(of user: UserRecord) -> [String] {
        var out = user.inlinePolicies.map(\.document) + user.attachedPolicies.compactMap(document(ofPolicy:))
        for name in user.groups {
            guard let g = state.groups[name.lowercased()] else { continue }
            out += g.inlinePolicies.map(\.document) + g.attachedPolicies.compactMap(document(ofPolicy:))
        }
        return out
    }

    /// The documents of a role's inline and attached policies.
    func documents(of role: RoleRecord) -> [String] {
        role.inlinePolicies.map(\.document) + role.attachedPolicies.compactMap(document(ofPolicy:))
    }

    /// The ARN the access advisor counts a role's uses under: a role session names the role without its path.
    func advisorARN(_ r: RoleRecord) -> String { ARN.iam(account, "role", path: "/", name: r.name) }

    /// When an entity last used a service, from the access advisor's service-level facts; nil if never. A fact
    /// left by a deleted entity of the same name (another unique id) does not count.
    func lastUse(of entityARN: String, id: String, service: String) -> Date? {
        guard let fact = state.lastAccess[LastAccessRecord.key(entityARN: entityARN, service: service, action: nil)] else { return nil }
        if let factID = fact.entityID, factID != id { return nil }
        return fact.time
    }

    /// The services a user has used, by namespace, from the access advisor's service-level facts.
    func servicesUsed(by user: UserRecord) -> [String] {
        let userARN = arn(user)
        return state.lastAccess.values
            .filter { $0.entityARN == userARN && $0.action == nil && ($0.entityID == nil || $0.entityID == user.id) }
            .map(\.service).sorted()
    }

    /// A role's trust policy, parsed (nil if it does not parse, which IAM would not have stored).
    func trust(_ r: RoleRecord) -> PolicyDocument? { try? PolicyDocument.parse(r.assumeRolePolicy, kind: .trust) }

    /// Whether a role is service-linked: AWS created it for a service and the customer cannot change it.
    func isServiceLinked(_ r: RoleRecord) -> Bool { r.serviceLinkedService != nil || r.path.hasPrefix("/aws-service-role/") }

    /// Prowler's service role (`is_service_role`): every trust statement is an `Allow` of `sts:AssumeRole`
    /// (`sts:*`, `*`) to service principals only. Prowler skips them in the checks of attached policies because
    /// a service, not a person, acts with them; service-linked roles are among them.
    func isServiceRole(_ r: RoleRecord) -> Bool {
        guard let doc = trust(r) else { return false }
        return doc.statements.allSatisfy { s in
            guard s.effect == .allow, let a = s.action, !a.negated,
                  a.value.values.contains(where: { ["sts:assumerole", "sts:*", "*"].contains($0.lowercased()) }),
                  let p = s.principal, !p.negated, case .map(let entries) = p.value else { return false }
            return !entries.isEmpty && entries.allSatisfy { $0.type == "Service" }
        }
    }

    /// The roles a managed policy is attached to, by ARN, sorted by name.
    func roles(attaching policyARN: String) -> [RoleRecord] { roles.filter { $0.attachedPolicies.contains(policyARN) } }

    /// Customer managed policies attached to at least one entity: prowler's `Custom` policies, which its checks
    /// of policy contents read only when attached (unattached ones grant nothing until they are).
    var attachedCustomerPolicies: [PolicyPlace] { identityPolicies.filter { $0.kind == .customerManaged && !$0.attachedTo.isEmpty } }
    /// Inline policies of users, groups and roles.
    var inlinePlaces: [PolicyPlace] { identityPolicies.filter { $0.kind == .inline } }
}

/// ARNs of the AWS managed policies the checks look for.
enum AWSPolicyARN {
    /// Full administrative access (`*:*`).
    static let administratorAccess = "arn:aws:iam::aws:policy/AdministratorAccess"
    /// Read access to nearly everything, data included.
    static let readOnlyAccess = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    /// AWS Support cases.
    static let supportAccess = "arn:aws:iam::aws:policy/AWSSupportAccess"
    /// Read access to security configuration.
    static let securityAudit = "arn:aws:iam::aws:policy/SecurityAudit"
    /// CloudShell, file transfer included.
    static let cloudShellFullAccess = "arn:aws:iam::aws:policy/AWSCloudShellFullAccess"
}
