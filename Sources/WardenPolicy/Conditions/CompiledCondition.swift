/// One `operator → key → values` triple of a statement's `Condition`, with its values parsed once.
struct CompiledCondition: Sendable {
    enum Values: Sendable {
        case strings([Template])
        case numbers([Double?])
        case dates([Double?])
        case binary([[UInt8]?])
        case networks([IPNetwork?])
        case arns([ARNPattern])
        case null([Bool?])
    }

    let op: ConditionOperator
    /// Normalized (lowercased) key used for lookups.
    let key: String
    /// FNV-1a hash of `key`, computed once.
    let keyHash: UInt64
    /// The key as written in the policy.
    let originalKey: String
    let values: Values
    /// Normalized keys of policy variables used in the values.
    let variableKeys: [String]
    /// Lowercased policy values of the IgnoreCase operators, for request values outside ASCII (the byte matcher
    /// folds ASCII only).
    let unicodeFolded: [String]

    init(op: ConditionOperator, key: String, literals: [String], variables: Bool) {
        self.op = op
        self.originalKey = key
        self.key = RequestContext.normalize(key)
        self.keyHash = fnv1a(self.key)
        let useVariables = variables && op.base.acceptsVariables
        switch op.base.family {
        case .string:
            let wildcards = op.base == .stringLike || op.base == .stringNotLike
            let fold = op.base == .stringEqualsIgnoreCase || op.base == .stringNotEqualsIgnoreCase
            values = .strings(literals.map { Template($0, variables: useVariables, wildcards: wildcards, foldCase: fold) })
        case .bool:
            values = .strings(literals.map { Template($0, variables: useVariables, wildcards: false, foldCase: true) })
        case .numeric:
            values = .numbers(literals.map { l in withUTF8(l) { ValueParsing.number($0) } })
        case .date:
            values = .dates(literals.map { l in withUTF8(l) { ValueParsing.date($0) } })
        case .binary:
            values = .binary(literals.map { ValueParsing.base64($0) })
        case .ip:
            values = .networks(literals.map { l in withUTF8(l) { IPNetwork.parse($0) } })
        case .arn:
            values = .arns(literals.map { ARNPattern($0, variables: useVariables, foldPrefix: false) })
        case .null:
            values = .null(literals.map { l in withUTF8(l) { ValueParsing.bool($0) } })
        }
        var keys: [String] = []
        switch values {
        case .strings(let ts): for t in ts { keys += t.variableKeys }
        case .arns(let ps):
            for p in ps {
                switch p.kind {
                case .anything: break
                case .whole(let t): keys += t.variableKeys
                case .arn(let ts): for t in ts { keys += t.variableKeys }
                }
            }
        default: break
        }
        variableKeys = keys
        let fold = op.base == .stringEqualsIgnoreCase || op.base == .stringNotEqualsIgnoreCase
        unicodeFolded = fold ? literals.map { $0.lowercased() } : []
    }

    /// Variables without a default that `context` lacks.
    func missingVariables(_ context: RequestContext, into out: inout [String]) {
        switch values {
        case .strings(let ts): for t in ts { t.missingVariables(context, into: &out) }
        case .arns(let ps): for p in ps { p.missingVariables(context, into: &out) }
        default: break
        }
    }

    /// Evaluates the condition against `context` (AWS semantics for missing keys, qualifiers and negation).
    func evaluate(_ context: RequestContext) -> Bool {
        let value = context.value(normalizedKey: key, hash: keyHash)
        var present = false
        switch value {
        case .string?: present = true
        case .strings(let a)?: present = !a.isEmpty
        case nil: present = false
        }
        if op.base == .null {
            switch op.qualifier {
            case .forAllValues: return true
            case .forAnyValue: return false
            case .none:
                guard case .null(let expected) = values else { return false }
                // "true": the key must be absent; "false": it must be present. Values OR together.
                for e in expected { if let e, e == !present { return true } }
                return false
            }
        }
        guard present, let value else {
            if op.ifExists { return true }
            switch op.qualifier {
            case .forAllValues: return true
            case .forAnyValue: return false
            case .none: return op.base.isNegated
            }
        }
        let negated = op.base.isNegated
        switch op.qualifier {
        case .none:
            let single: String
            switch value {
            case .string(let s): single = s
            case .strings(let a):
                // A multivalued key needs a set qualifier; without one the condition does not match.
                guard a.count == 1 else { return false }
                single = a[0]
            }
            guard let r = matchesAny(single, context) else { return false }
            return negated ? !r : r
        case .forAllValues:
            switch value {
            case .string(let v):
                guard let r = matchesAny(v, context) else { return false }
                return negated ? !r : r
            case .strings(let values):
                for v in values {
                    guard let r = matchesAny(v, context) else { return false }
                    if negated ? r : !r { return false }
                }
                return true
            }
        case .forAnyValue:
            switch value {
            case .string(let v):
                if let r = matchesAny(v, context), negated ? !r : r { return true }
                return false
            case .strings(let values):
                for v in values {
                    if let r = matchesAny(v, context), negated ? !r : r { return true }
                }
                return false
            }
        }
    }

    /// Whether `requestValue` matches any policy value under the operator's positive form (equality for
    /// `…NotEquals`, containment for `NotIpAddress`, …); nil when the request value has the wrong type.
    @inline(__always)
    func matchesAny(_ requestValue: String, _ context: RequestContext) -> Bool? {
        withUTF8(requestValue) { bytes -> Bool? in
            switch values {
            case .strings(let templates):
                for t in templates where t.matches(bytes, context) { return true }
                if !unicodeFolded.isEmpty && bytes.contains(where: { $0 >= 0x80 }) {
                    let lower = requestValue.lowercased()
                    for (i, t) in templates.enumerated() where t.fixed != nil && unicodeFolded[i] == lower { return true }
                }
                return false
            case .numbers(let numbers):
                guard let v = ValueParsing.number(bytes) else { return nil }
                for case let n? in numbers where compare(v, n) { return true }
                return false
            case .dates(let dates):
                guard let v = ValueParsing.date(bytes) else { return nil }
                for case let d? in dates where compare(v, d) { return true }
                return false
            case .binary(let blobs):
                guard let v = ValueParsing.base64(requestValue) else { return nil }
                for case let b? in blobs where b == v { return true }
                return false
            case .networks(let networks):
                guard let address = IPNetwork.parse(bytes) else { return nil }
                for case let n? in networks where n.contains(address) { return true }
                return false
            case .arns(let patterns):
                let arn = RequestARN(requestValue)
                for p in patterns where p.matches(arn, context) { return true }
                return false
            case .null:
                return nil
            }
        }
    }

    /// Numeric and date comparisons, request value on the left as the operator reads.
    @inline(__always)
    private func compare(_ request: Double, _ policy: Double) -> Bool {
        switch op.base {
        case .numericEquals, .numericNotEquals, .dateEquals, .dateNotEquals: return request == policy
        case .numericLessThan, .dateLessThan: return request < policy
        case .numericLessThanEquals, .dateLessThanEquals: return request <= policy
        case .numericGreaterThan, .dateGreaterThan: return request > policy
        case .numericGreaterThanEquals, .dateGreaterThanEquals: return request >= policy
        default: return false
        }
    }
}
