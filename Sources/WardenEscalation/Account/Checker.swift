import WardenPolicy

/// Asks the policy engine whether a principal may make a request, and whether a principal is an administrator,
/// possibly with its policies changed the way a step would change them.
struct Checker {
    let account: Account

    /// The identity policies and boundary to evaluate a principal with.
    struct Policies {
        var identity: [CompiledPolicy]
        var boundary: [CompiledPolicy]?
    }

    /// The principal's current policies.
    func policies(of p: PrincipalNode) -> Policies {
        Policies(identity: p.identity.map(\.compiled), boundary: p.boundary.map { [$0.compiled] })
    }

    /// Whether some Allow statement of `p`'s identity policies names `action` (resources and conditions aside).
    func mayAllow(_ p: PrincipalNode, _ action: String) -> Bool {
        if let known = p.mayAllowMemo[action] { return known }
        let request = AuthorizationRequest(principal: p.request, action: action, resource: "*", context: p.context)
        let answer = Authorizer.evaluate(request, policies: p.actionFilter).isAllowed
        p.mayAllowMemo[action] = answer
        return answer
    }

    /// Decides one request of `p`, with the context keys the account fixes (principal keys and tags, the target
    /// principal's tags as resource tags) plus `extra`.
    func decide(_ p: PrincipalNode, _ action: String, on resource: String, target: PrincipalNode? = nil,
                extra: [String: String] = [:], trust: CompiledPolicy? = nil, with policies: Policies? = nil) -> Decision {
        var context = p.context
        context.set("aws:ResourceAccount", .string(account.id))
        if let target {
            for t in target.tags {
                context.set("aws:ResourceTag/" + t.key, .string(t.value))
                context.set("iam:ResourceTag/" + t.key, .string(t.value))
            }
        }
        for (k, v) in extra { context.set(k, .string(v)) }
        let chosen = policies ?? self.policies(of: p)
        let request = AuthorizationRequest(principal: p.request, action: action, resource: resource, context: context)
        let set = PolicySet(identity: chosen.identity, boundary: chosen.boundary, resource: trust)
        return Authorizer.evaluate(request, policies: set)
    }

    /// The statements that allowed `decision`, as grants of `action` (identity and trust policies; the boundary's
    /// allows are limits, not grants).
    func grants(_ decision: Decision, _ action: String) -> [Grant] {
        var out: [Grant] = []
        for m in decision.matchedStatements where m.effect == .allow && (m.policyType == .identityBased || m.policyType == .resourceBased) {
            guard let info = account.policy(m.policyID) else {
                out.append(Grant(policy: m.policyID, action: action, statementIndex: m.index, sid: m.sid))
                continue
            }
            let index = m.index < info.originalIndex.count ? info.originalIndex[m.index] : m.index
            let assumed = m.index < info.assumedKeys.count ? info.assumedKeys[m.index] : []
            out.append(Grant(policy: m.policyID, action: action, statementIndex: index, sid: m.sid, assumedConditionKeys: assumed))
        }
        return out
    }

    /// The grants when `action` is allowed on `resource`, nil when it is not.
    func allowed(_ p: PrincipalNode, _ action: String, on resource: String, target: PrincipalNode? = nil,
                 extra: [String: String] = [:], trust: CompiledPolicy? = nil) -> [Grant]? {
        let d = decide(p, action, on: resource, target: target, extra: extra, trust: trust)
        return d.isAllowed ? grants(d, action) : nil
    }

    /// The grants when `action` is allowed on some resource `p` can name (for actions that create the resource:
    /// the attacker picks its name), nil when on none.
    func allowedOnSomeResource(_ p: PrincipalNode, _ action: String, extra: [String: String] = [:]) -> [Grant]? {
        guard mayAllow(p, action) else { return nil }
        let service = action.prefix { $0 != ":" }.lowercased()
        for r in p.namedResources {
            if r != "*" {
                let parts = r.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
                guard parts.count >= 3, parts[2].lowercased() == service || parts[2] == "x" else { continue }
            }
            if let g = allowed(p, action, on: r, extra: extra) { return g }
        }
        return nil
    }

    /// The requests an administrator can make: `Action: *` on `Resource: *`. A made-up action stands for "any
    /// action" (only `*` or a wildcard service can match it); the real ones catch `NotAction` lists that leave
    /// out what matters.
    static let adminProbes = [
        "wardenprobe:AnyAction", "iam:PutRolePolicy", "iam:AttachUserPolicy", "iam:CreateUser", "sts:AssumeRole",
        "s3:GetObject", "ec2:RunInstances", "kms:Decrypt", "lambda:CreateFunction", "secretsmanager:GetSecretValue",
        "organizations:LeaveOrganization",
    ]

    /// Whether `p`, with `policies` (default: its own), may do everything on every resource.
    func isAdmin(_ p: PrincipalNode, with policies: Policies? = nil) -> Bool {
        let chosen = policies ?? self.policies(of: p)
        if chosen.identity.isEmpty { return false }
        return Checker.adminProbes.allSatisfy { decide(p, $0, on: "*", with: chosen).isAllowed }
    }

    /// The id of the trust policies `trustNaming` writes.
    static let attackerTrustID = "trust policy written by the attacker"

    /// A trust policy that admits `p` (what UpdateAssumeRolePolicy or CreateRole can install).
    func trustNaming(_ p: PrincipalNode) -> CompiledPolicy? {
        let json = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"\#(p.arn)"},"Action":"sts:AssumeRole"}]}"#
        guard let doc = try? PolicyDocument.parse(json, kind: .trust) else { return nil }
        return CompiledPolicy(doc, id: Checker.attackerTrustID)
    }

    /// The full-access policy that CreatePolicyVersion, Put…Policy and the like can install.
    static let fullAccess = AnalyzedPolicy(id: "full-access policy written by the attacker",
                                           document: try! PolicyDocument.parse(AnalyzedPolicy.fullAccessJSON, kind: .identity))
}

extension Account {
    /// The analysed policy compiled with `id`.
    func policy(_ id: String) -> AnalyzedPolicy? {
        if let m = managed[id]?.current { return m }
        return policyByID[id]
    }
}
