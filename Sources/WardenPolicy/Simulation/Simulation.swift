/// The result of one offline simulation, printed by `warden policy simulate` as one JSON line.
public struct SimulationResult: Sendable, Equatable {
    /// `Allowed`, `ImplicitlyDenied`, `ExplicitlyDenied`, or `Error` when a policy did not parse.
    public var decision: String
    /// For denials, the kind of policy that decided (`identity-based policy`, `permissions boundary`, …).
    public var reason: PolicyType?
    /// The statements that decided.
    public var matchedStatements: [MatchedStatement]
    /// Keys that conditions of otherwise-matching statements read but the request lacks.
    public var missingContextKeys: [String]
    /// A sentence for humans: AWS's AccessDenied wording for denials, the allowing statements otherwise.
    public var explanation: String
    /// The full decision, when evaluation ran.
    public var effect: Decision.Effect?

    /// The result as one JSON object.
    public var jsonValue: JSONValue {
        var m: [JSONValue.Member] = [.init("decision", .string(decision))]
        if let reason { m.append(.init("reason", .string(reason.rawValue))) }
        m.append(.init("matchedStatements", .array(matchedStatements.map { s in
            var o: [JSONValue.Member] = [.init("sourcePolicyId", .string(s.policyID)),
                                         .init("sourcePolicyType", .string(s.policyType.rawValue))]
            if let sid = s.sid { o.append(.init("sid", .string(sid))) }
            o.append(.init("statementIndex", .number(String(s.index))))
            o.append(.init("effect", .string(s.effect.rawValue)))
            return .object(o)
        })))
        m.append(.init("missingContextValues", .array(missingContextKeys.map { .string($0) })))
        m.append(.init("explanation", .string(explanation)))
        return .object(m)
    }

    /// One line of JSON.
    public var jsonLine: String { jsonValue.jsonString }
}

/// Runs one simulation case: parses and compiles its policies, builds the request and evaluates it.
/// Never throws: a policy that does not parse produces a `decision` of `Error` with AWS's message.
public func simulate(_ simulationCase: SimulationCase) -> SimulationResult {
    PolicySimulator.run(simulationCase)
}

/// Offline evaluation of `SimulationCase`s.
public enum PolicySimulator {
    /// See `simulate(_:)`.
    public static func run(_ c: SimulationCase) -> SimulationResult {
        do {
            let (request, policies) = try build(c)
            let decision = Authorizer.evaluate(request, policies: policies)
            return result(decision)
        } catch {
            return SimulationResult(decision: "Error", reason: nil, matchedStatements: [], missingContextKeys: [],
                                    explanation: error.description, effect: nil)
        }
    }

    /// The request and compiled policy set a case describes.
    public static func build(_ c: SimulationCase) throws(PolicyError) -> (AuthorizationRequest, PolicySet) {
        func compile(_ v: JSONValue, _ kind: PolicyKind, _ id: String) throws(PolicyError) -> CompiledPolicy {
            do {
                return CompiledPolicy(try PolicyDocument.parse(v, kind: kind), id: id)
            } catch {
                var e = error
                e.path = id + (e.path.isEmpty ? "" : " " + e.path)
                throw e
            }
        }
        func compileAll(_ list: [JSONValue], _ kind: PolicyKind, _ prefix: String) throws(PolicyError) -> [CompiledPolicy] {
            var out: [CompiledPolicy] = []
            for (i, v) in list.enumerated() { out.append(try compile(v, kind, "\(prefix)[\(i)]")) }
            return out
        }
        var set = PolicySet()
        set.identity = try compileAll(c.identityPolicies ?? [], .identity, "identityPolicies")
        if let r = c.resourcePolicy { set.resource = try compile(r, c.resourcePolicyKind, "resourcePolicy") }
        if let b = c.permissionBoundaries { set.boundary = try compileAll(b, .boundary, "permissionBoundaries") }
        if let s = c.sessionPolicies { set.session = try compileAll(s, .session, "sessionPolicy") }
        if let levels = c.serviceControlPolicies {
            var out: [[CompiledPolicy]] = []
            for (i, l) in levels.enumerated() {
                out.append(try compileAll(l.policies, .serviceControl, "serviceControlPolicies[\(i)](\(l.orgIdentifier))"))
            }
            set.serviceControl = out
        }
        if let levels = c.resourceControlPolicies {
            var out: [[CompiledPolicy]] = []
            for (i, l) in levels.enumerated() {
                out.append(try compileAll(l.policies, .resourceControl, "resourceControlPolicies[\(i)](\(l.orgIdentifier))"))
            }
            set.resourceControl = out
        }
        let principal = RequestPrincipal(arn: c.request.principal, parentARN: c.request.principalParent,
                                         uniqueID: c.request.principalUniqueID)
        var context = RequestContext(c.request.context)
        context.addPrincipalKeys(principal)
        if let account = c.request.resourceAccount { context.setIfAbsent("aws:ResourceAccount", .string(account)) }
        let request = AuthorizationRequest(principal: principal, action: c.request.action, resource: c.request.resource,
                                           resourceAccount: c.request.resourceAccount, context: context)
        return (request, set)
    }

    static func result(_ d: Decision) -> SimulationResult {
        let name: String
        switch d.effect {
        case .allowed: name = "Allowed"
        case .implicitDeny: name = "ImplicitlyDenied"
        case .explicitDeny: name = "ExplicitlyDenied"
        }
        let matched = d.matchedStatements
        let explanation: String
        if d.effect == .allowed {
            let by = matched.map { s in "\(s.policyID)" + (s.sid.map { " (\($0))" } ?? " statement \(s.index)") }
            explanation = by.isEmpty ? "Allowed" : "Allowed by " + by.joined(separator: ", ")
        } else {
            explanation = d.denialMessage
        }
        return SimulationResult(decision: name, reason: d.reason, matchedStatements: matched,
                                missingContextKeys: d.missingContextKeys, explanation: explanation, effect: d.effect)
    }
}

extension RequestContext {
    /// Adds the principal keys AWS puts in every signed request, unless already set: `aws:PrincipalArn`,
    /// `aws:PrincipalAccount`, `aws:PrincipalType`, `aws:username` (IAM users), `aws:userid` (when known).
    public mutating func addPrincipalKeys(_ p: RequestPrincipal) {
        guard p.kind != .service && p.kind != .federatedProvider && p.kind != .other else { return }
        if p.kind == .anonymous {
            setIfAbsent("aws:PrincipalType", .string("Anonymous"))
            setIfAbsent("aws:userid", .string("anonymous"))
            return
        }
        setIfAbsent("aws:PrincipalArn", .string(p.principalARNKey))
        if !p.account.isEmpty { setIfAbsent("aws:PrincipalAccount", .string(p.account)) }
        setIfAbsent("aws:PrincipalType", .string(p.principalTypeKey))
        if p.kind == .user, let name = p.arn.split(separator: "/").last { setIfAbsent("aws:username", .string(String(name))) }
        if p.kind == .root { setIfAbsent("aws:userid", .string(p.account)) }
        if let id = p.uniqueID {
            switch p.kind {
            case .user: setIfAbsent("aws:userid", .string(id))
            case .assumedRole:
                let session = p.arn.split(separator: "/").last.map(String.init) ?? ""
                setIfAbsent("aws:userid", .string("\(id):\(session)"))
            default: break
            }
        }
        if p.kind == .federatedUser, let name = p.arn.split(separator: "/").last {
            setIfAbsent("aws:userid", .string("\(p.account):\(name)"))
        }
    }
}
