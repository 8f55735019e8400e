import WardenPolicy

/// An edge of the escalation graph: `step.from` can gain the permissions of principal `to`.
struct Edge {
    let to: Int
    let step: EscalationStep
}

/// Finds the edges out of one principal: the ways it can act as another principal.
struct EdgeFinder {
    let account: Account
    let checker: Checker

    /// Every principal `p` can become, one edge per target (the first method found, in `EscalationMethod.all`
    /// order).
    func edges(from p: PrincipalNode) -> [Edge] {
        var out: [Int: Edge] = [:]
        func add(_ e: Edge) { if out[e.to] == nil { out[e.to] = e } }
        assumeRole(p).forEach(add)
        updateAssumeRolePolicy(p, skipping: Set(out.keys)).forEach(add)
        userCredentials(p).forEach(add)
        passRole(p, skipping: Set(out.keys)).forEach(add)
        return out.keys.sorted().map { out[$0]! }
    }

    /// sts:AssumeRole of a role whose trust policy admits `p` (the engine evaluates both sides together).
    func assumeRole(_ p: PrincipalNode) -> [Edge] {
        let identityMayAllow = checker.mayAllow(p, "sts:AssumeRole")
        var out: [Edge] = []
        for r in account.rolesThatMayTrust(p, identityMayAllow: identityMayAllow) {
            let role = account.principals[r]
            guard let trust = role.trust,
                  let grants = checker.allowed(p, "sts:AssumeRole", on: role.arn, target: role, trust: trust.compiled) else { continue }
            out.append(Edge(to: r, step: EscalationStep(
                method: "assume-role", from: p.arn, to: role.arn, actions: ["sts:AssumeRole"], grants: grants,
                description: "\(p.kindName.capitalizedFirst) `\(p.name)` assumes role `\(role.name)`, whose trust policy admits it.",
                fix: Fix.text(grants: grants, principal: p.arn, actions: ["sts:AssumeRole"], resource: role.arn))))
        }
        return out
    }

    /// iam:UpdateAssumeRolePolicy on a role, then sts:AssumeRole under a trust policy that names `p`.
    func updateAssumeRolePolicy(_ p: PrincipalNode, skipping: Set<Int>) -> [Edge] {
        guard checker.mayAllow(p, "iam:UpdateAssumeRolePolicy") else { return [] }
        guard let rewritten = checker.trustNaming(p) else { return [] }
        var out: [Edge] = []
        for role in account.principals where !role.isUser && role.index != p.index && !skipping.contains(role.index) {
            guard let update = checker.allowed(p, "iam:UpdateAssumeRolePolicy", on: role.arn, target: role) else { continue }
            let d = checker.decide(p, "sts:AssumeRole", on: role.arn, target: role, trust: rewritten)
            guard d.isAllowed else { continue }
            let grants = update + checker.grants(d, "sts:AssumeRole").filter { $0.policy != Checker.attackerTrustID }
            let actions = ["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"]
            out.append(Edge(to: role.index, step: EscalationStep(
                method: "update-assume-role-policy", from: p.arn, to: role.arn, actions: actions, grants: grants,
                description: "\(p.kindName.capitalizedFirst) `\(p.name)` rewrites the trust policy of role `\(role.name)` to admit itself, then assumes it.",
                fix: Fix.text(grants: update, principal: p.arn, actions: ["iam:UpdateAssumeRolePolicy"], resource: role.arn))))
        }
        return out
    }

    /// iam:CreateAccessKey, iam:CreateLoginProfile or iam:UpdateLoginProfile on another user.
    func userCredentials(_ p: PrincipalNode) -> [Edge] {
        let methods: [(id: String, action: String, how: String)] = [
            ("create-access-key", "iam:CreateAccessKey", "creates an access key for"),
            ("create-login-profile", "iam:CreateLoginProfile", "creates a console password for"),
            ("update-login-profile", "iam:UpdateLoginProfile", "changes the console password of"),
        ].filter { checker.mayAllow(p, $0.action) }
        if methods.isEmpty { return [] }
        var out: [Edge] = []
        for user in account.principals where user.isUser && user.index != p.index {
            for m in methods {
                guard let grants = checker.allowed(p, m.action, on: user.arn, target: user) else { continue }
                let note = m.id == "create-access-key"
                    ? "(AWS refuses a third key: the input does not say how many keys the user has.)"
                    : "(CreateLoginProfile works only without a password, UpdateLoginProfile only with one: the input does not say which.)"
                out.append(Edge(to: user.index, step: EscalationStep(
                    method: m.id, from: p.arn, to: user.arn, actions: [m.action], grants: grants,
                    description: "\(p.kindName.capitalizedFirst) `\(p.name)` \(m.how) user `\(user.name)` and signs in as it. \(note)",
                    fix: Fix.text(grants: grants, principal: p.arn, actions: [m.action], resource: user.arn))))
                break
            }
        }
        return out
    }

    /// iam:PassRole of a role that trusts a service that runs code, with the actions that make it run.
    func passRole(_ p: PrincipalNode, skipping: Set<Int>) -> [Edge] {
        guard checker.mayAllow(p, "iam:PassRole") else { return [] }
        var out: [Edge] = []
        var done = skipping
        for runner in ServiceRunner.all {
            // The first action set whose every action is allowed somewhere the caller can name.
            var serviceGrants: [Grant]?
            var serviceActions: [String] = []
            for set in runner.actionSets where set.allSatisfy({ checker.mayAllow(p, $0) }) {
                var grants: [Grant] = []
                var ok = true
                for action in set {
                    guard let g = checker.allowedOnSomeResource(p, action) else { ok = false; break }
                    grants += g
                }
                if ok { serviceGrants = grants; serviceActions = set; break }
            }
            guard let serviceGrants else { continue }
            let service = ServicePrincipalNode(runner.servicePrincipal)
            for r in account.rolesThatMayTrust(service: runner.servicePrincipal) where !done.contains(r) && r != p.index {
                let role = account.principals[r]
                guard let trust = role.trust,
                      Authorizer.evaluate(service.request(role.arn, account: account.id), policies: PolicySet(resource: trust.compiled)).isAllowed,
                      let pass = checker.allowed(p, "iam:PassRole", on: role.arn, target: role,
                                                 extra: ["iam:PassedToService": runner.servicePrincipal]) else { continue }
                var grants = pass + serviceGrants
                var actions = ["iam:PassRole"] + serviceActions
                var extra = ""
                if runner.needsInstanceProfile && !role.hasInstanceProfile {
                    guard let create = checker.allowedOnSomeResource(p, "iam:CreateInstanceProfile"),
                          let add = checker.allowedOnSomeResource(p, "iam:AddRoleToInstanceProfile") else { continue }
                    grants += create + add
                    actions += ["iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile"]
                    extra = " (after putting the role in a new instance profile)"
                }
                done.insert(r)
                out.append(Edge(to: r, step: EscalationStep(
                    method: runner.method, from: p.arn, to: role.arn, actions: actions, grants: grants,
                    description: "\(p.kindName.capitalizedFirst) `\(p.name)` passes role `\(role.name)` to \(runner.servicePrincipal): it \(runner.how)\(extra).",
                    fix: Fix.text(grants: pass, principal: p.arn, actions: ["iam:PassRole"], resource: role.arn,
                                  note: "A condition on `iam:PassedToService` that leaves out \(runner.servicePrincipal) also closes it."))))
            }
        }
        return out
    }
}

/// A service principal as the caller of sts:AssumeRole (for trust policy checks of passed roles).
struct ServicePrincipalNode {
    let name: String
    init(_ name: String) { self.name = name }

    func request(_ roleARN: String, account: String) -> AuthorizationRequest {
        var context = RequestContext()
        context.set("aws:PrincipalType", "Service")
        return AuthorizationRequest(principal: RequestPrincipal(arn: name), action: "sts:AssumeRole", resource: roleARN,
                                    context: context)
    }
}
