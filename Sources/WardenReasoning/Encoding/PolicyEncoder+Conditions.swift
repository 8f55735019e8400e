import WardenPolicy

extension PolicyEncoder {
    /// One `operator: {key: values}` entry, with the evaluator's semantics for missing keys, `IfExists`, set
    /// qualifiers and negated operators (`CompiledCondition.evaluate`).
    func condition(_ op: ConditionOperator, key rawKey: String, values: [String], variables: Bool) -> Term {
        let k = key(rawKey)
        let present = z.ge(k.count, z.int(1))
        if op.base == .null {
            switch op.qualifier {
            case .forAllValues: return z.trueTerm
            case .forAnyValue: return z.falseTerm
            case .none:
                // "true": the key must be absent; "false": present. Values OR together.
                return z.or(values.compactMap { PolicyPatterns.bool($0) }.map { $0 ? z.not(present) : present })
            }
        }
        let negated = op.base.isNegated
        // Whether value i satisfies the operator (parsed, then compared under the operator's polarity).
        func holds(_ i: Int) -> Term {
            let (parsed, matched) = matchesAny(op, k, i, values: values, variables: variables)
            return z.and(parsed, negated ? z.not(matched) : matched)
        }
        let missing: Term = op.ifExists ? z.trueTerm : {
            switch op.qualifier {
            case .forAllValues: return z.trueTerm
            case .forAnyValue: return z.falseTerm
            case .none: return negated ? z.trueTerm : z.falseTerm
            }
        }()
        let whenPresent: Term
        switch op.qualifier {
        case .none:
            // A multivalued key needs a set qualifier; without one the condition does not match.
            whenPresent = z.and(z.eq(k.count, z.int(1)), holds(0))
        case .forAllValues:
            whenPresent = z.and(k.elements.indices.map { z.implies(active(k, $0), holds($0)) })
        case .forAnyValue:
            whenPresent = z.or(k.elements.indices.map { z.and(active(k, $0), holds($0)) })
        }
        return z.ite(present, whenPresent, missing)
    }

    /// `CompiledCondition.matchesAny` for value `i` of `k`: whether it parses as the operator's type, and whether
    /// it matches some policy value under the operator's positive form.
    func matchesAny(_ op: ConditionOperator, _ k: KeyVars, _ i: Int, values: [String], variables: Bool)
        -> (parsed: Term, matched: Term)
    {
        let useVariables = variables && op.base.substitutesVariables
        switch op.base.valueFamily {
        case .string, .bool:
            use(k, view: "string")
            let text = self.text(k, i)
            let wildcards = op.base == .stringLike || op.base == .stringNotLike
            let ignoreCase = op.base == .stringEqualsIgnoreCase || op.base == .stringNotEqualsIgnoreCase
            let fold = ignoreCase || op.base == .bool
            var hits: [Term] = []
            for v in values {
                let pieces = PolicyPatterns.pieces(v, variables: useVariables, wildcards: wildcards, foldCase: fold)
                hits.append(templateMatches(text, pieces, fold: fold))
                if ignoreCase && v.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) {
                    // The evaluator also compares Unicode-lowercased forms when the request value is not ASCII
                    // (the Kelvin sign folds to `k`); that comparison is an uninterpreted atom here.
                    let nonASCII = z.inRegex(text.term, z.reConcat([z.reAll, z.reRange(0x80, Z3Session.maxCharacter), z.reAll]))
                    hits.append(z.and(nonASCII, opaqueAtom("unicode-fold|\(text.id)|\(v.lowercased())")))
                }
            }
            return (z.trueTerm, z.or(hits))
        case .arn:
            use(k, view: "string")
            let text = self.text(k, i)
            return (z.trueTerm, z.or(values.map { arnMatches(text, $0, variables: useVariables, foldPrefix: false) }))
        case .numeric, .date:
            let isDate = op.base.valueFamily == .date
            use(k, view: isDate ? "date" : "numeric")
            let name = isDate ? "date" : "num"
            let parsed = z.boolVar("\(name)ok:\(k.key)#\(i)")
            let value = z.realVar("\(name):\(k.key)#\(i)")
            var hits: [Term] = []
            for v in values {
                guard let c = isDate ? PolicyPatterns.date(v) : PolicyPatterns.number(v) else { continue }
                let r = z.real(c)
                switch op.base {
                case .numericEquals, .numericNotEquals, .dateEquals, .dateNotEquals: hits.append(z.eq(value, r))
                case .numericLessThan, .dateLessThan: hits.append(z.lt(value, r))
                case .numericLessThanEquals, .dateLessThanEquals: hits.append(z.le(value, r))
                case .numericGreaterThan, .dateGreaterThan: hits.append(z.gt(value, r))
                case .numericGreaterThanEquals, .dateGreaterThanEquals: hits.append(z.ge(value, r))
                default: break
                }
            }
            return (parsed, z.or(hits))
        case .ip:
            let ip = address(k, i)
            var hits: [Term] = []
            for v in values {
                guard let n = PolicyPatterns.network(v) else { continue }
                hits.append(contains(n, ip))
            }
            return (ip.parsed, z.or(hits))
        case .binary:
            let id = "\(k.key)#\(i)|\(values)"
            return (opaqueAtom("binary-parsed|\(id)"), opaqueAtom("binary|\(id)"))
        case .null:
            return (z.falseTerm, z.falseTerm)
        }
    }

    /// The IP view of value `i` of `k`: parses, IPv6, and the address (IPv4 in the low 32 bits).
    func address(_ k: KeyVars, _ i: Int) -> (parsed: Term, v6: Term, bits: Term) {
        use(k, view: "ip")
        let parsed = z.boolVar("ipok:\(k.key)#\(i)")
        let v6 = z.boolVar("ipv6:\(k.key)#\(i)")
        let bits = z.bvVar("ip:\(k.key)#\(i)")
        // One canonical form per IPv4 address (the evaluator never reads the upper bits of one).
        constrain(z.implies(z.not(v6), z.eq(z.extract(127, 32, bits), z.extract(127, 32, z.bvConcat(z.bv64(0), z.bv64(0))))))
        return (parsed, v6, bits)
    }

    /// Whether network `n` contains the address (IPv4 never matches IPv6 and the reverse), as `IPNetwork.contains`.
    func contains(_ n: ParsedNetwork, _ ip: (parsed: Term, v6: Term, bits: Term)) -> Term {
        let family = n.isV6 ? ip.v6 : z.not(ip.v6)
        guard n.prefix > 0 else { return family }
        let width: UInt32 = n.isV6 ? 128 : 32
        let high = width - 1
        let low = width - UInt32(n.prefix)
        let constant = z.bvConcat(z.bv64(n.high), z.bv64(n.low))
        return z.and(family, z.eq(z.extract(high, low, ip.bits), z.extract(high, low, constant)))
    }
}
