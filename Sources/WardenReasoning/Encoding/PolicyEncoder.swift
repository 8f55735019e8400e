import WardenPolicy

/// A string term with a stable name, so that the same text in two policies gets the same opaque atoms.
struct Text {
    let term: Term
    let id: String
}

/// The symbolic values of one condition key: how many values it has and each value's views.
///
/// A key is a bounded multiset: `count` values (0 = absent), of which `elements[i]` is the i-th when `i < count`.
/// A key no set operator (`ForAllValues:`/`ForAnyValue:`) reads has one element and `count ∈ {0, 1, 2}`, where 2
/// stands for "several values" (every non-set operator then fails, as in the evaluator). A key read by `L` set
/// operators gets `max(L, 2)` elements: any request that separates two policies has a witness with that many
/// values (each set operator needs at most one witness value; see docs/access-analyzer.md, "Provable policy checks").
final class KeyVars {
    let key: String
    let count: Term
    let elements: [Term]
    /// Distinguishes a present-but-empty list from an absent key (only policy variables tell them apart).
    let emptyList: Term
    /// Which typed views of the values the policies read (`string`, `numeric`, `date`, `ip`).
    var views: Set<String> = []

    init(key: String, count: Term, elements: [Term], emptyList: Term) {
        self.key = key
        self.count = count
        self.elements = elements
        self.emptyList = emptyList
    }
}

/// The formulas of one policy: whether it allows, whether it denies, and each statement's own formula.
struct EncodedPolicy {
    /// Some Allow statement applies.
    let anyAllow: Term
    /// Some Deny statement applies.
    let anyDeny: Term
    /// Allowed by this policy alone: an Allow applies and no Deny does.
    let allows: Term
    /// Each statement's "applies" formula, in document order.
    let statements: [Term]
}

/// Encodes policies over one symbolic request (action, resource, principal, condition keys) in one Z3 session.
///
/// The encoding is exact except where `exact` turns false: an atom the encoding does not interpret (a case-folded
/// pattern with a policy variable, `BinaryEquals`, non-ASCII case folding) becomes a free Boolean named by its
/// text, so the same atom in both policies is the same variable. That over-approximates the set of requests in
/// both directions at once, which can turn a PASS into a FAIL but never a FAIL into a PASS.
final class PolicyEncoder {
    let z: Z3Session
    let limits: ReasoningLimits
    /// `L` per normalized key: how many set-qualified conditions read it, over every policy of the check.
    let setReaders: [String: Int]
    /// False once an uninterpreted atom or a key with two typed views was used.
    var exact = true
    private(set) var keys: [String: KeyVars] = [:]
    private var opaque: [String: Term] = [:]
    private var regexCache: [String: Term] = [:]
    private var decompositions: [String: (isARN: Term, segments: [Term])] = [:]
    private var pending: [Term] = []
    lazy var principal: SymbolicPrincipal = SymbolicPrincipal(self)
    var principalUsed = false

    /// The action, lowercased (patterns are compiled lowercase, and the evaluator lowercases the request's).
    lazy var action: Text = {
        let t = Text(term: z.stringVar("action"), id: "action")
        let upper = z.reConcat([z.reAll, z.reRange(0x41, 0x5A), z.reAll])
        constrain(z.not(z.inRegex(t.term, upper)))
        return t
    }()
    /// The resource, as the request names it.
    lazy var resource: Text = Text(term: z.stringVar("resource"), id: "resource")

    init(session: Z3Session, documents: [PolicyDocument], limits: ReasoningLimits) throws(ReasoningError) {
        z = session
        self.limits = limits
        var readers: [String: Int] = [:]
        for d in documents {
            for s in d.statements {
                for block in s.conditions {
                    guard let op = ConditionOperator(block.operatorName), op.qualifier != .none else { continue }
                    for e in block.entries { readers[PolicyPatterns.normalizedKey(e.key), default: 0] += 1 }
                }
            }
        }
        for (key, n) in readers where max(n, 2) > limits.maxSetSize {
            throw ReasoningError(.policyTooLarge, "The policies use `\(key)` in \(n) set conditions; the checks model at most \(limits.maxSetSize).")
        }
        setReaders = readers
    }

    /// Adds a definitional constraint; the caller asserts pending constraints before solving (`flush`).
    func constrain(_ t: Term) { pending.append(t) }

    /// Asserts every constraint made since the last flush.
    func flush() {
        for t in pending { z.assert(t) }
        pending.removeAll()
    }

    /// A free Boolean standing for an atom the encoding does not interpret, shared by identical atoms.
    func opaqueAtom(_ description: String) -> Term {
        exact = false
        if let t = opaque[description] { return t }
        let t = z.boolVar("opaque#\(opaque.count)")
        opaque[description] = t
        return t
    }

    // MARK: Solving

    /// Checks the session's assertions. When the principal takes part, one query per kind of principal: with the
    /// kind fixed, only that kind's ARN structure is left, which Z3 4.8 decides in milliseconds where the
    /// disjunction over kinds can take it seconds. SAT as soon as one kind is; an undecided kind with no SAT is an
    /// error, never UNSAT. The model of a SAT answer stays readable until the next check.
    func solve() throws(ReasoningError) -> Z3Session.Outcome {
        guard principalUsed else { return try z.check() }
        flush()
        var undecided: ReasoningError?
        for kind in SymbolicPrincipal.Kind.allCases {
            z.push()
            z.assert(z.eq(principal.kind, z.int(kind.rawValue)))
            defer { z.pop() }
            do {
                if try z.check() == .satisfiable { return .satisfiable }
            } catch {
                undecided = error
            }
        }
        if let undecided { throw undecided }
        return .unsatisfiable
    }

    // MARK: Policies

    /// Encodes `document` (its statements, Allow/Deny combination).
    func encode(_ document: PolicyDocument) -> EncodedPolicy {
        let variables = document.substitutesVariables
        var statements: [Term] = []
        var allows: [Term] = []
        var denies: [Term] = []
        for s in document.statements {
            let t = statement(s, variables: variables)
            statements.append(t)
            if s.effect == .allow { allows.append(t) } else { denies.append(t) }
        }
        let anyAllow = z.or(allows)
        let anyDeny = z.or(denies)
        return EncodedPolicy(anyAllow: anyAllow, anyDeny: anyDeny, allows: z.and(anyAllow, z.not(anyDeny)), statements: statements)
    }

    /// Whether statement `s` applies to the symbolic request: action, resource, principal and every condition.
    func statement(_ s: PolicyStatement, variables: Bool) -> Term {
        var parts: [Term] = []
        if let a = s.action {
            let hit = z.or(a.value.values.map { actionMatches($0) })
            parts.append(a.negated ? z.not(hit) : hit)
        }
        if let r = s.resource {
            let hit = z.or(r.value.values.map { arnMatches(resource, $0, variables: variables, foldPrefix: true) })
            parts.append(r.negated ? z.not(hit) : hit)
        }
        if let p = s.principal { parts.append(principalMatches(p)) }
        for block in s.conditions {
            // The evaluator ignores an operator it does not know (the validator rejects such documents).
            guard let op = ConditionOperator(block.operatorName) else { continue }
            for e in block.entries {
                parts.append(condition(op, key: e.key, values: e.values.map(\.text), variables: variables))
            }
        }
        return z.and(parts)
    }

    /// Whether the action matches `pattern` (case-insensitive wildcards).
    func actionMatches(_ pattern: String) -> Term {
        let pieces = PolicyPatterns.pieces(pattern, variables: false, wildcards: true, foldCase: true)
        return z.inRegex(action.term, regex(pieces, fold: false))
    }

    // MARK: Keys

    /// The symbolic values of `key` (any case), created on first use, tied to the principal for keys that
    /// describe it (`aws:PrincipalAccount`, `aws:PrincipalArn`, …).
    func key(_ rawKey: String) -> KeyVars {
        let key = PolicyPatterns.normalizedKey(rawKey)
        if let k = keys[key] { return k }
        let readers = setReaders[key] ?? 0
        let elementCount = readers > 0 ? max(readers, 2) : 1
        let maxCount = readers > 0 ? elementCount : 2
        let count = z.intVar("n:\(key)")
        let elements = (0..<elementCount).map { z.stringVar("k:\(key)#\($0)") }
        let k = KeyVars(key: key, count: count, elements: elements, emptyList: z.boolVar("empty:\(key)"))
        keys[key] = k
        constrain(z.and(z.ge(count, z.int(0)), z.le(count, z.int(maxCount))))
        tie(k)
        return k
    }

    /// Whether value `i` of `k` exists.
    func active(_ k: KeyVars, _ i: Int) -> Term { z.gt(k.count, z.int(i)) }

    /// Marks that `view` of `k` is read; two different views of one key are modelled independently (inexact).
    func use(_ k: KeyVars, view: String) {
        k.views.insert(view)
        if k.views.count > 1 { exact = false }
    }

    /// The Text of value `i` of `k`.
    func text(_ k: KeyVars, _ i: Int) -> Text { Text(term: k.elements[i], id: "k:\(k.key)#\(i)") }

    // MARK: ARNs

    /// Whether `text` is a six-segment ARN for the matcher: it has at least five colons.
    func isARN(_ text: Term) -> Term {
        z.inRegex(text, arnShapeRegex)
    }

    /// Strings without a colon, as the complement of "contains a colon" (Z3 4.8 is slow on character-class unions).
    private lazy var colonFreeRun: Term = z.reComplement(z.reConcat([z.reAll, z.reLiteral(":"), z.reAll]))

    private lazy var arnShapeRegex: Term = {
        let colon = z.reLiteral(":")
        return z.reConcat([z.reAll, colon, z.reAll, colon, z.reAll, colon, z.reAll, colon, z.reAll, colon, z.reAll])
    }()

    /// The six segments of `text` when it is an ARN (split at the first five colons); unique, so they may appear
    /// under negation.
    func segments(of text: Text) -> (isARN: Term, segments: [Term]) {
        if let d = decompositions[text.id] { return d }
        let parts = (0..<6).map { z.stringVar("\(text.id)#seg\($0)") }
        let arn = isARN(text.term)
        var pieces: [Term] = []
        var shape: [Term] = []
        for (i, p) in parts.enumerated() {
            pieces.append(p)
            if i < 5 {
                pieces.append(z.string(":"))
                shape.append(z.not(z.contains(p, z.string(":"))))
            }
        }
        constrain(z.implies(arn, z.and([z.eq(text.term, z.concat(pieces))] + shape)))
        let d = (arn, parts)
        decompositions[text.id] = d
        return d
    }

    /// Whether `text` matches an ARN pattern (a `Resource` entry with `foldPrefix`, or an `Arn…` value).
    func arnMatches(_ text: Text, _ pattern: String, variables: Bool, foldPrefix: Bool) -> Term {
        switch PolicyPatterns.resourceShape(pattern, variables: variables) {
        case .anything:
            return z.trueTerm
        case .whole(let t):
            let pieces = PolicyPatterns.pieces(t, variables: variables, wildcards: true, foldCase: false)
            return z.and(z.not(isARN(text.term)), templateMatches(text, pieces, fold: false))
        case .arn(let segs):
            // Folded segments come back lowercase. Matching them against the text as it is (not case-insensitively)
            // is sound: every `Resource` pattern gives the same verdict on an ARN and on that ARN with its first five
            // segments lowercased, so each real request has an image here with the same verdicts. Only a text with
            // capitals in those segments can be a spurious witness (`Counterexample.exact` says so), and Z3 4.8 is
            // far faster on plain literals than on per-letter unions.
            let pieces = segs.enumerated().map { i, s in
                PolicyPatterns.pieces(s, variables: variables, wildcards: true, foldCase: foldPrefix && i < 5)
            }
            // Without wildcards or variables in the first five segments the colons are fixed, and one regular
            // expression decides the match. Otherwise the text is split at its first five colons.
            // The resource is always split at its first five colons and matched segment by segment: Z3 4.8 decides
            // a mix of these segment constraints in milliseconds, where whole-text expressions with colon-free
            // wildcards (or a mix of both styles) can take it seconds. A condition key's ARN patterns with a literal
            // prefix are one whole-text expression, which relates faster to the principal's ARN structure.
            let prefixIsLiteral = pieces.prefix(5).allSatisfy { $0.allSatisfy { if case .literal = $0 { return true } else { return false } } }
            let tailHasVariable = pieces[5].contains { if case .variable = $0 { return true } else { return false } }
            if text.id != resource.id && prefixIsLiteral && !tailHasVariable {
                var parts: [Term] = []
                for (i, p) in pieces.enumerated() {
                    parts.append(regex(p, fold: false))
                    if i < 5 { parts.append(z.reLiteral(":")) }
                }
                return z.inRegex(text.term, z.reConcat(parts))
            }
            let d = segments(of: text)
            var parts = [d.isARN]
            for (i, p) in pieces.enumerated() {
                let hasVariable = p.contains { if case .variable = $0 { return true } else { return false } }
                parts.append(templateMatches(Text(term: d.segments[i], id: "\(text.id)#seg\(i)"), p,
                                             fold: foldPrefix && i < 5 && hasVariable))
            }
            return z.and(parts)
        }
    }

    // MARK: Patterns

    /// The regular language of variable-free pieces.
    func regex(_ pieces: [PatternPiece], fold: Bool, colonFree: Bool = false) -> Term {
        let cacheKey = "\(fold)|\(colonFree)|\(pieces)"
        if let r = regexCache[cacheKey] { return r }
        var parts: [Term] = []
        for p in pieces {
            switch p {
            case .literal(let s):
                if fold && s.unicodeScalars.contains(where: { ($0.value >= 0x61 && $0.value <= 0x7A) }) {
                    for scalar in s.unicodeScalars {
                        let c = String(scalar)
                        if scalar.value >= 0x61 && scalar.value <= 0x7A {
                            parts.append(z.reUnion([z.reLiteral(c), z.reLiteral(c.uppercased())]))
                        } else {
                            parts.append(z.reLiteral(c))
                        }
                    }
                } else {
                    parts.append(z.reLiteral(s))
                }
            case .anyRun:
                parts.append(colonFree ? colonFreeRun : z.reAll)
            case .anyCharacter:
                parts.append(colonFree ? z.reIntersect([z.reAnyCharacter, colonFreeRun]) : z.reAnyCharacter)
            case .variable:
                preconditionFailure("regex(_:) takes variable-free pieces")
            }
        }
        let r = z.reConcat(parts)
        regexCache[cacheKey] = r
        return r
    }

    /// Whether `text` matches a compiled pattern, policy variables included.
    ///
    /// Variables are encoded exactly for case-sensitive patterns whose `*`-separated parts have no `?`: the text
    /// must start with the first part, end with the last, and contain the middle ones in order (leftmost matches,
    /// which is optimal for `*`). Other variable patterns become opaque atoms.
    func templateMatches(_ text: Text, _ pieces: [PatternPiece], fold: Bool) -> Term {
        let hasVariable = pieces.contains { if case .variable = $0 { return true } else { return false } }
        if !hasVariable { return z.inRegex(text.term, regex(pieces, fold: fold)) }
        if fold || pieces.contains(.anyCharacter) {
            return opaqueAtom("template|\(text.id)|\(fold)|\(pieces)")
        }
        var conditions: [Term] = []
        var parts: [[Term]] = [[]]
        for p in pieces {
            switch p {
            case .literal(let s): parts[parts.count - 1].append(z.string(s))
            case .anyRun: parts.append([])
            case .anyCharacter: break
            case .variable(let key, let fallback):
                let (resolvable, value) = variableValue(key, fallback: fallback)
                conditions.append(resolvable)
                parts[parts.count - 1].append(value)
            }
        }
        let strings = parts.map { z.concat($0) }
        let t = text.term
        if strings.count == 1 {
            conditions.append(z.eq(t, strings[0]))
            return z.and(conditions)
        }
        let first = strings[0]
        let last = strings[strings.count - 1]
        let length = z.length(t)
        conditions.append(z.prefix(first, of: t))
        conditions.append(z.suffix(last, of: t))
        conditions.append(z.ge(length, z.add([z.length(first), z.length(last)])))
        var position = z.length(first)
        for middle in strings.dropFirst().dropLast() {
            let at = z.indexOf(t, middle, from: position)
            conditions.append(z.ge(at, z.int(0)))
            position = z.add([at, z.length(middle)])
        }
        conditions.append(z.le(position, z.sub(length, z.length(last))))
        return z.and(conditions)
    }

    /// The value a policy variable resolves to, and when it resolves (a single value, or absent with a default).
    func variableValue(_ rawKey: String, fallback: String?) -> (resolvable: Term, value: Term) {
        let k = key(rawKey)
        use(k, view: "string")
        let single = z.eq(k.count, z.int(1))
        guard let fallback else { return (single, k.elements[0]) }
        let absent = z.and(z.eq(k.count, z.int(0)), z.not(k.emptyList))
        return (z.or(single, absent), z.ite(single, k.elements[0], z.string(fallback)))
    }
}
