/// The kinds of policy AWS names in its denial messages and simulation results.
public enum PolicyType: String, Sendable, Equatable, Codable, CaseIterable {
    /// Identity-based policies.
    case identityBased = "identity-based policy"
    /// A permissions boundary.
    case permissionsBoundary = "permissions boundary"
    /// A session policy.
    case sessionPolicy = "session policy"
    /// A service control policy.
    case serviceControlPolicy = "service control policy"
    /// A resource control policy.
    case resourceControlPolicy = "resource control policy"
    /// A resource-based policy (including a role trust policy).
    case resourceBased = "resource-based policy"

    /// "an identity-based policy", "a permissions boundary", …
    public var withArticle: String {
        switch self {
        case .identityBased: return "an identity-based policy"
        default: return "a " + rawValue
        }
    }
}

/// A statement that took part in a decision.
public struct MatchedStatement: Sendable, Equatable, Hashable, Codable {
    /// The id the policy was compiled with.
    public var policyID: String
    /// The kind of policy.
    public var policyType: PolicyType
    /// The statement's Sid, if any.
    public var sid: String?
    /// The statement's 0-based position in the policy.
    public var index: Int
    /// Allow or Deny.
    public var effect: PolicyStatement.Effect
}

/// The result of authorizing one request. Cheap to produce: matched statements and missing context keys are
/// computed on demand from the request and policies it keeps.
public struct Decision: Sendable {
    /// The three outcomes of AWS policy evaluation.
    public enum Effect: String, Sendable, Equatable, Codable {
        /// Some policy allows and every gate passes.
        case allowed
        /// Nothing denies explicitly, but some required allow is missing.
        case implicitDeny
        /// A matching Deny statement.
        case explicitDeny

        /// The IAM simulator's wording (`allowed`, `implicitDeny`, `explicitDeny`).
        public var simulatorName: String { rawValue }
    }

    /// The outcome.
    public let effect: Effect
    /// For denials: the kind of policy that denied explicitly or lacked an allow. nil when allowed.
    public let reason: PolicyType?
    let request: AuthorizationRequest?
    let policies: PolicySet?

    init(_ effect: Effect, _ reason: PolicyType?, _ request: AuthorizationRequest?, _ policies: PolicySet?) {
        self.effect = effect
        self.reason = reason
        self.request = request
        self.policies = policies
    }

    /// Whether the request is allowed.
    public var isAllowed: Bool { effect == .allowed }

    /// Statements that decided: the matching Deny statements for an explicit deny, otherwise the matching
    /// Allow statements (in the order identity, resource, boundary, session, SCP, RCP).
    public var matchedStatements: [MatchedStatement] {
        guard let request, let policies else { return [] }
        let wantDeny = effect == .explicitDeny
        var out: [MatchedStatement] = []
        Authorizer.forEachPolicy(policies) { policy, type in
            policy.forEachApplicable(request, hasBoundary: policies.boundary != nil) { st in
                guard st.isDeny == wantDeny, st.conditionsHold(request.context) else { return }
                out.append(MatchedStatement(policyID: policy.id, policyType: type, sid: st.sid, index: st.index,
                                            effect: st.isDeny ? .deny : .allow))
            }
        }
        return out
    }

    /// Context keys that conditions of otherwise-matching statements read but the request lacks (sorted, unique).
    public var missingContextKeys: [String] {
        guard let request, let policies else { return [] }
        var keys: [String] = []
        Authorizer.forEachPolicy(policies) { policy, _ in
            policy.forEachApplicable(request, hasBoundary: policies.boundary != nil, orUnresolved: true) { st in
                st.missingKeys(request.context, into: &keys)
            }
        }
        var seen = Set<String>()
        return keys.filter { seen.insert($0.lowercased()).inserted }.sorted()
    }

    /// AWS's AccessDenied wording, e.g. `User: arn:aws:iam::123456789012:user/bob is not authorized to perform:
    /// iam:CreateUser on resource: arn:aws:iam::123456789012:user/carol because no identity-based policy allows
    /// the iam:CreateUser action`.
    public func denialMessage(principalARN: String, action: String, resourceARN: String) -> String {
        let head = "User: \(principalARN) is not authorized to perform: \(action) on resource: \(resourceARN)"
        let type = reason ?? .identityBased
        switch effect {
        case .allowed:
            return head
        case .explicitDeny:
            return "\(head) with an explicit deny in \(type.withArticle)"
        case .implicitDeny:
            return "\(head) because no \(type.rawValue) allows the \(action) action"
        }
    }

    /// `denialMessage` for the request this decision was made for.
    public var denialMessage: String {
        denialMessage(principalARN: request?.principalARN ?? "", action: request?.action ?? "",
                      resourceARN: request?.resourceARN ?? "")
    }
}
