import WardenPolicy

/// A step that makes principal `target` an administrator by changing its policies.
struct Modification {
    let target: Int
    let step: EscalationStep
}

/// Finds how one principal can make another (or itself) an administrator: by writing or attaching a policy,
/// rewriting a managed policy, joining a group, or removing the permissions boundary in the way.
struct ModificationFinder {
    let account: Account
    let checker: Checker
    private let cache = Cache()

    /// Memoized answers that do not depend on the principals compared.
    private final class Cache {
        var adminPolicies: [ManagedPolicyInfo]?
    }

    init(account: Account, checker: Checker) {
        self.account = account
        self.checker = checker
    }

    /// The actions the modification methods need; a principal allowed none of them anywhere modifies nothing.
    static let actions = [
        "iam:PutUserPolicy", "iam:PutRolePolicy", "iam:PutGroupPolicy", "iam:AttachUserPolicy", "iam:AttachRolePolicy",
        "iam:AttachGroupPolicy", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:AddUserToGroup",
        "iam:DeleteUserPermissionsBoundary", "iam:DeleteRolePermissionsBoundary", "iam:PutUserPermissionsBoundary",
        "iam:PutRolePermissionsBoundary", "iam:CreateRole",
    ]

    /// Whether `a`'s policies allow any modification action at all.
    func mayModify(_ a: PrincipalNode) -> Bool {
        ModificationFinder.actions.contains { checker.mayAllow(a, $0) }
    }

    /// The first way (in `EscalationMethod.all` order) `a` can make `d` an administrator, if any.
    func modification(by a: PrincipalNode, on d: PrincipalNode) -> Modification? {
        if let m = policyOnPrincipal(a, d) { return m }
        if let m = policyOnGroup(a, d) { return m }
        if let m = rewriteManagedPolicy(a, d) { return m }
        if let m = joinGroup(a, d) { return m }
        if let m = boundary(a, d) { return m }
        if a.index == d.index, let m = createRole(a) { return m }
        return nil
    }

    // MARK: Hypothetical policies

    private func with(_ d: PrincipalNode, extra: [AnalyzedPolicy]) -> Checker.Policies {
        var p = checker.policies(of: d)
        p.identity += extra.map(\.compiled)
        return p
    }

    private func replacing(_ d: PrincipalNode, _ arn: String, by policy: AnalyzedPolicy) -> Checker.Policies {
        Checker.Policies(identity: d.identity.map { $0.id == arn ? policy.compiled : $0.compiled },
                         boundary: d.boundary.map { [$0.id == arn ? policy.compiled : $0.compiled] })
    }

    private func withBoundary(_ d: PrincipalNode, _ boundary: AnalyzedPolicy?) -> Checker.Policies {
        Checker.Policies(identity: d.identity.map(\.compiled), boundary: boundary.map { [$0.compiled] })
    }

    /// Managed policies that make a principal an administrator when attached (AdministratorAccess at least),
    /// judged once, for the first principal asked about.
    private func adminPolicies(for d: PrincipalNode) -> [ManagedPolicyInfo] {
        if let known = cache.adminPolicies { return known }
        let found = account.managedOrder.compactMap { account.managed[$0] }.filter { m in
            guard let current = m.current else { return false }
            return checker.isAdmin(d, with: Checker.Policies(identity: [current.compiled], boundary: nil))
        }
        cache.adminPolicies = found
        return found
    }

    private func step(_ method: String, _ a: PrincipalNode, _ d: PrincipalNode, actions: [String], grants: [Grant],
                      resource: String, what: String, note: String? = nil) -> Modification {
        let subject = "\(a.kindName.capitalizedFirst) `\(a.name)`"
        let whom = a.index == d.index ? "itself" : "\(d.kindName) `\(d.name)`"
        let then = a.index == d.index ? "" : " It then acts as `\(d.name)` (next steps)."
        return Modification(target: d.index, step: EscalationStep(
            method: method, from: a.arn, to: d.arn, actions: actions, grants: grants,
            description: "\(subject) \(what), making \(whom) an administrator.\(then)",
            fix: Fix.text(grants: grants, principal: a.arn, actions: actions, resource: resource, note: note)))
    }

    // MARK: Methods

    /// put-user-policy / put-role-policy, attach-user-policy / attach-role-policy on `d` itself.
    private func policyOnPrincipal(_ a: PrincipalNode, _ d: PrincipalNode) -> Modification? {
        let put = d.isUser ? "iam:PutUserPolicy" : "iam:PutRolePolicy"
        let attach = d.isUser ? "iam:AttachUserPolicy" : "iam:AttachRolePolicy"
        if checker.mayAllow(a, put), let grants = checker.allowed(a, put, on: d.arn, target: d),
           checker.isAdmin(d, with: with(d, extra: [Checker.fullAccess])) {
            return step(d.isUser ? "put-user-policy" : "put-role-policy", a, d, actions: [put], grants: grants,
                        resource: d.arn, what: "writes an inline policy allowing `*` on `*` into \(d.kindName) `\(d.name)`")
        }
        if checker.mayAllow(a, attach) {
            for m in adminPolicies(for: d) {
                guard let current = m.current,
                      let grants = checker.allowed(a, attach, on: d.arn, target: d, extra: ["iam:PolicyARN": m.arn]),
                      checker.isAdmin(d, with: with(d, extra: [current])) else { continue }
                return step(d.isUser ? "attach-user-policy" : "attach-role-policy", a, d, actions: [attach], grants: grants,
                            resource: d.arn, what: "attaches `\(m.arn)` to \(d.kindName) `\(d.name)`",
                            note: "A condition on `iam:PolicyARN` that leaves out administrator policies also closes it.")
            }
        }
        return nil
    }

    /// put-group-policy / attach-group-policy on a group `d` belongs to.
    private func policyOnGroup(_ a: PrincipalNode, _ d: PrincipalNode) -> Modification? {
        guard d.isUser, !d.groups.isEmpty else { return nil }
        let canPut = checker.mayAllow(a, "iam:PutGroupPolicy")
        let canAttach = checker.mayAllow(a, "iam:AttachGroupPolicy")
        guard canPut || canAttach else { return nil }
        for gi in d.groups {
            let g = account.groups[gi]
            if canPut, let grants = checker.allowed(a, "iam:PutGroupPolicy", on: g.arn),
               checker.isAdmin(d, with: with(d, extra: [Checker.fullAccess])) {
                return step("put-group-policy", a, d, actions: ["iam:PutGroupPolicy"], grants: grants, resource: g.arn,
                            what: "writes an inline policy allowing `*` on `*` into group `\(g.name)` of user `\(d.name)`")
            }
            if canAttach {
                for m in adminPolicies(for: d) {
                    guard let current = m.current,
                          let grants = checker.allowed(a, "iam:AttachGroupPolicy", on: g.arn, extra: ["iam:PolicyARN": m.arn]),
                          checker.isAdmin(d, with: with(d, extra: [current])) else { continue }
                    return step("attach-group-policy", a, d, actions: ["iam:AttachGroupPolicy"], grants: grants, resource: g.arn,
                                what: "attaches `\(m.arn)` to group `\(g.name)` of user `\(d.name)`")
                }
            }
        }
        return nil
    }

    /// create-policy-version / set-default-policy-version on a customer managed policy that applies to `d`
    /// (attached to it or its groups, or its permissions boundary).
    private func rewriteManagedPolicy(_ a: PrincipalNode, _ d: PrincipalNode) -> Modification? {
        let canCreate = checker.mayAllow(a, "iam:CreatePolicyVersion")
        let canSetDefault = checker.mayAllow(a, "iam:SetDefaultPolicyVersion")
        guard canCreate || canSetDefault else { return nil }
        var arns = d.attachedARNs + d.groups.flatMap { g in account.groups[g].policies.map(\.id) }
        if let b = d.boundaryARN { arns.append(b) }
        var seen = Set<String>()
        for arn in arns where seen.insert(arn).inserted {
            guard let m = account.managed[arn], !m.isAWSManaged else { continue }
            let role = arn == d.boundaryARN && !d.attachedARNs.contains(arn) ? "permissions boundary" : "policy"
            if canCreate, let grants = checker.allowed(a, "iam:CreatePolicyVersion", on: arn),
               checker.isAdmin(d, with: replacing(d, arn, by: Checker.fullAccess)) {
                return step("create-policy-version", a, d, actions: ["iam:CreatePolicyVersion"], grants: grants, resource: arn,
                            what: "creates a new default version of `\(arn)` (the \(role) of `\(d.name)`) allowing `*` on `*`")
            }
            if canSetDefault {
                for v in m.otherVersions {
                    guard let grants = checker.allowed(a, "iam:SetDefaultPolicyVersion", on: arn),
                          checker.isAdmin(d, with: replacing(d, arn, by: v.policy)) else { continue }
                    return step("set-default-policy-version", a, d, actions: ["iam:SetDefaultPolicyVersion"], grants: grants,
                                resource: arn, what: "makes version \(v.id) of `\(arn)` (the \(role) of `\(d.name)`) the default",
                                note: "Deleting the non-default version \(v.id) also closes it.")
                }
            }
        }
        return nil
    }

    /// add-user-to-group: user `d` joins a group whose policies make it an administrator.
    private func joinGroup(_ a: PrincipalNode, _ d: PrincipalNode) -> Modification? {
        guard d.isUser, checker.mayAllow(a, "iam:AddUserToGroup") else { return nil }
        for (gi, g) in account.groups.enumerated() where !d.groups.contains(gi) {
            guard let grants = checker.allowed(a, "iam:AddUserToGroup", on: g.arn),
                  checker.isAdmin(d, with: with(d, extra: g.policies)) else { continue }
            return step("add-user-to-group", a, d, actions: ["iam:AddUserToGroup"], grants: grants, resource: g.arn,
                        what: "adds user `\(d.name)` to group `\(g.name)`")
        }
        return nil
    }

    /// delete-permissions-boundary / put-permissions-boundary on `d` when its boundary is what keeps it from
    /// being an administrator.
    private func boundary(_ a: PrincipalNode, _ d: PrincipalNode) -> Modification? {
        guard d.boundaryARN != nil else { return nil }
        let delete = d.isUser ? "iam:DeleteUserPermissionsBoundary" : "iam:DeleteRolePermissionsBoundary"
        let put = d.isUser ? "iam:PutUserPermissionsBoundary" : "iam:PutRolePermissionsBoundary"
        if checker.mayAllow(a, delete), let grants = checker.allowed(a, delete, on: d.arn, target: d),
           checker.isAdmin(d, with: withBoundary(d, nil)) {
            return step("delete-permissions-boundary", a, d, actions: [delete], grants: grants, resource: d.arn,
                        what: "removes the permissions boundary of \(d.kindName) `\(d.name)`")
        }
        if checker.mayAllow(a, put) {
            for arn in account.managedOrder where arn != d.boundaryARN {
                guard let m = account.managed[arn], let policy = m.current,
                      let grants = checker.allowed(a, put, on: d.arn, target: d, extra: ["iam:PermissionsBoundary": arn]),
                      checker.isAdmin(d, with: withBoundary(d, policy)) else { continue }
                return step("put-permissions-boundary", a, d, actions: [put], grants: grants, resource: d.arn,
                            what: "sets `\(arn)` as the permissions boundary of \(d.kindName) `\(d.name)`",
                            note: "A condition on `iam:PermissionsBoundary` naming the intended boundary also closes it.")
            }
        }
        return nil
    }

    /// create-role: a new role whose trust policy admits `a`, with a full-access policy, then assumed. A
    /// condition that requires `iam:PermissionsBoundary` on CreateRole stops it (no boundary is set).
    private func createRole(_ a: PrincipalNode) -> Modification? {
        guard checker.mayAllow(a, "iam:CreateRole"), checker.mayAllow(a, "sts:AssumeRole"),
              checker.mayAllow(a, "iam:PutRolePolicy") || checker.mayAllow(a, "iam:AttachRolePolicy"),
              let trust = checker.trustNaming(a) else { return nil }
        let probe = "arn:aws:iam::\(account.id):role/warden-escalation-probe"
        var candidates = [probe]
        for r in a.namedResources where r.contains(":role/") && !candidates.contains(r) { candidates.append(r) }
        for role in candidates {
            guard let create = checker.allowed(a, "iam:CreateRole", on: role) else { continue }
            var policyGrants: [Grant]
            var policyAction: String
            if let put = checker.allowed(a, "iam:PutRolePolicy", on: role) {
                (policyGrants, policyAction) = (put, "iam:PutRolePolicy")
            } else if let attach = checker.allowed(a, "iam:AttachRolePolicy", on: role,
                                                   extra: ["iam:PolicyARN": Account.administratorAccessARN]) {
                (policyGrants, policyAction) = (attach, "iam:AttachRolePolicy")
            } else {
                continue
            }
            let assume = checker.decide(a, "sts:AssumeRole", on: role, trust: trust)
            guard assume.isAllowed else { continue }
            let grants = create + policyGrants + checker.grants(assume, "sts:AssumeRole").filter { $0.policy != Checker.attackerTrustID }
            let actions = ["iam:CreateRole", policyAction, "sts:AssumeRole"]
            let subject = "\(a.kindName.capitalizedFirst) `\(a.name)`"
            return Modification(target: a.index, step: EscalationStep(
                method: "create-role", from: a.arn, to: role, actions: actions, grants: grants,
                description: "\(subject) creates role `\(role)` trusting itself, gives it full access (\(policyAction)) and assumes it.",
                fix: Fix.text(grants: create, principal: a.arn, actions: ["iam:CreateRole"], resource: role,
                              note: "Requiring a permissions boundary on CreateRole (a condition on `iam:PermissionsBoundary`) also closes it.")))
        }
        return nil
    }
}
