/// A statement compiled for evaluation: lowercased action patterns, segment-split resource patterns,
/// a principal matcher and parsed condition values.
final class CompiledStatement: Sendable {
    let index: Int
    let sid: String?
    let isDeny: Bool
    let actionNegated: Bool
    /// Lowercased compiled action globs.
    let actions: [[UInt8]]
    let actionsAreLiteral: [Bool]
    let resourceNegated: Bool
    /// nil when the statement has no Resource element (trust policies): every resource matches.
    let resources: [ARNPattern]?
    let principal: PrincipalMatcher?
    let conditions: [CompiledCondition]

    init(_ s: PolicyStatement, index: Int, variables: Bool) {
        self.index = index
        sid = s.sid
        isDeny = s.effect == .deny
        actionNegated = s.action?.negated ?? false
        let patterns = (s.action?.value.values ?? []).map { Glob.compile($0, foldCase: true) }
        actions = patterns
        actionsAreLiteral = patterns.map { !Glob.hasWildcard($0) }
        resourceNegated = s.resource?.negated ?? false
        resources = s.resource.map { r in r.value.values.map { ARNPattern($0, variables: variables, foldPrefix: true) } }
        principal = s.principal.map(PrincipalMatcher.init)
        var conditions: [CompiledCondition] = []
        for block in s.conditions {
            guard let op = ConditionOperator(block.operatorName) else { continue }
            for entry in block.entries {
                conditions.append(CompiledCondition(op: op, key: entry.key, literals: entry.values.map(\.text), variables: variables))
            }
        }
        self.conditions = conditions
    }

    @inline(__always)
    func matchesAction(_ request: AuthorizationRequest) -> Bool {
        let hit = withUTF8(request.actionKey) { text -> Bool in
            for i in 0..<actions.count {
                let matched = actions[i].withUnsafeBufferPointer { p -> Bool in
                    if actionsAreLiteral[i] { return memoryEqual(p, text) }
                    return Glob.matches(p, text, foldCase: false)  // both sides already lowercase
                }
                if matched { return true }
            }
            return false
        }
        return hit != actionNegated
    }

    @inline(__always)
    func matchesResource(_ request: AuthorizationRequest) -> Bool {
        guard let resources else { return true }
        var hit = false
        for r in resources where r.matches(request.resource, request.context) {
            hit = true
            break
        }
        return hit != resourceNegated
    }

    @inline(__always)
    func conditionsHold(_ context: RequestContext) -> Bool {
        for c in conditions where !c.evaluate(context) { return false }
        return true
    }

    /// Keys the conditions (and variables in resources and condition values) read that `context` lacks.
    func missingKeys(_ context: RequestContext, into out: inout [String]) {
        for r in resources ?? [] { r.missingVariables(context, into: &out) }
        for c in conditions {
            if c.op.base != .null && context.value(normalizedKey: c.key, hash: c.keyHash) == nil { out.append(c.originalKey) }
            c.missingVariables(context, into: &out)
        }
    }
}
