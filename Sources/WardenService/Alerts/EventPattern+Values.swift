import WardenPolicy
import WardenWire

extension EventPattern {
    /// The alternatives of one leaf array: the field matches when any value there passes any test, or, with
    /// `{"exists": false}` among them, when there is no value there at all.
    struct Leaf: Sendable {
        let tests: [Test]
        let matchesAbsence: Bool

        /// How the field's value (nil when the event lacks the field) matches.
        func evaluate(_ value: WireJSON?) -> Outcome {
            guard let value else { return matchesAbsence ? .absent : .noMatch }
            var sawValue = false
            if anyValueMatches(value, &sawValue) { return .pinned }
            // Objects and empty arrays hold no value at this path: EventBridge's exists works on leaves only.
            return !sawValue && matchesAbsence ? .absent : .noMatch
        }

        /// Whether any scalar in `value` (itself, or the elements of arrays at any depth) passes a test.
        private func anyValueMatches(_ value: WireJSON, _ sawValue: inout Bool) -> Bool {
            switch value {
            case .array(let items):
                for item in items where anyValueMatches(item, &sawValue) { return true }
                return false
            case .object:
                return false
            default:
                sawValue = true
                for test in tests where test.matches(value) { return true }
                return false
            }
        }
    }

    /// One test of a scalar event value.
    enum Test: Sendable {
        /// The same string, byte for byte.
        case string(String)
        /// A string that is an IP address: the same text, or the same address written another way.
        case address(String, IPNetworkSet)
        /// The same number (`5` matches `5.0`).
        case number(WireJSON)
        case bool(Bool)
        case null
        case prefix([UInt8])
        case suffix([UInt8])
        case prefixIgnoringCase(FoldedText)
        case suffixIgnoringCase(FoldedText)
        case equalsIgnoringCase(FoldedText)
        case wildcard(Glob)
        case numeric(NumericRange)
        case cidr(IPNetworkSet)
        /// `{"exists": true}`: any value, `null` included.
        case exists
        case anythingBut(Exclusion)

        func matches(_ value: WireJSON) -> Bool {
            switch self {
            case .exists:
                return true
            case .null:
                return value.isNull
            case .bool(let b):
                if case .bool(let v) = value { return v == b }
                return false
            case .number(let n):
                return EventPattern.sameNumber(n, value)
            case .numeric(let range):
                guard let d = EventPattern.comparableDouble(value) else { return false }
                return range.contains(d)
            case .anythingBut(let exclusion):
                return !exclusion.excludes(value)
            default:
                // Every other test applies to strings only, as in EventBridge.
                guard case .string(let s) = value else { return false }
                return matches(string: s)
            }
        }

        private func matches(string s: String) -> Bool {
            switch self {
            case .string(let t):
                return Bytes.equal(s, t)
            case .address(let t, let network):
                return Bytes.equal(s, t) || (IPText.looksLikeAddress(s) && network.contains(s))
            case .prefix(let p):
                return Bytes.with(s) { Bytes.hasPrefix($0, p) }
            case .suffix(let p):
                return Bytes.with(s) { Bytes.hasSuffix($0, p) }
            case .prefixIgnoringCase(let f):
                return f.matches(s, .prefix)
            case .suffixIgnoringCase(let f):
                return f.matches(s, .suffix)
            case .equalsIgnoringCase(let f):
                return f.matches(s, .whole)
            case .wildcard(let g):
                return g.matches(s)
            case .cidr(let network):
                return IPText.looksLikeAddress(s) && network.contains(s)
            default:
                return false
            }
        }
    }

    /// What `anything-but` rules out. A value of another type than the excluded ones is never excluded, so
    /// `{"anything-but": "stopped"}` matches `5`, `true` and `null`, as in EventBridge.
    enum Exclusion: Sendable {
        case strings([String])
        case numbers([Double])
        case prefixes([[UInt8]])
        case suffixes([[UInt8]])
        case ignoringCase([FoldedText])
        case wildcards([Glob])

        func excludes(_ value: WireJSON) -> Bool {
            if case .numbers(let numbers) = self {
                guard let d = EventPattern.comparableDouble(value) else { return false }
                return numbers.contains(d)
            }
            guard case .string(let s) = value else { return false }
            switch self {
            case .strings(let strings):
                for t in strings where Bytes.equal(s, t) { return true }
            case .prefixes(let prefixes):
                return Bytes.with(s) { b in prefixes.contains { Bytes.hasPrefix(b, $0) } }
            case .suffixes(let suffixes):
                return Bytes.with(s) { b in suffixes.contains { Bytes.hasSuffix(b, $0) } }
            case .ignoringCase(let texts):
                for t in texts where t.matches(s, .whole) { return true }
            case .wildcards(let globs):
                for g in globs where g.matches(s) { return true }
            case .numbers:
                break
            }
            return false
        }
    }

    /// A `numeric` expression: `["=", 300]`, `[">", 0]`, `["<=", 5]` or a lower then an upper bound,
    /// `[">", 0, "<=", 5]`.
    struct NumericRange: Sendable {
        var lower: Double?
        var lowerInclusive = false
        var upper: Double?
        var upperInclusive = false

        func contains(_ d: Double) -> Bool {
            if let lower, lowerInclusive ? d < lower : d <= lower { return false }
            if let upper, upperInclusive ? d > upper : d >= upper { return false }
            return true
        }

        static func compile(_ operand: WireJSON, path: String, depth: Int) throws(EventPatternError) -> NumericRange {
            guard case .array(let items) = operand else {
                throw EventPatternError(.invalidNumeric, "The value of `numeric` must be an array", path: path)
            }
            guard depth <= EventPattern.maxDepth else {
                throw EventPatternError(.limitExceeded,
                    "The pattern is nested more than \(EventPattern.maxDepth) levels deep", path: path)
            }
            guard items.count == 2 || items.count == 4 else {
                throw EventPatternError(.invalidNumeric,
                    "`numeric` takes an operator and a number, or a lower and an upper bound: found \(items.count) elements",
                    path: path)
            }
            var range = NumericRange()
            let op = try comparison(items[0], "\(path)[0]")
            let first = try comparable(items[1], path: "\(path)[1]", op: op)
            switch op {
            case "=":
                guard items.count == 2 else {
                    throw EventPatternError(.invalidNumeric, "`=` cannot be combined with another bound", path: path)
                }
                range.lower = first; range.lowerInclusive = true
                range.upper = first; range.upperInclusive = true
                return range
            case "<", "<=":
                guard items.count == 2 else {
                    throw EventPatternError(.invalidNumeric,
                        "In a numeric range the lower bound (`>` or `>=`) comes first", path: "\(path)[2]")
                }
                range.upper = first; range.upperInclusive = op == "<="
                return range
            default:
                range.lower = first; range.lowerInclusive = op == ">="
            }
            guard items.count == 4 else { return range }
            let upperOp = try comparison(items[2], "\(path)[2]")
            guard upperOp == "<" || upperOp == "<=" else {
                throw EventPatternError(.invalidNumeric,
                    "The upper bound of a numeric range takes `<` or `<=`, not `\(upperOp)`", path: "\(path)[2]")
            }
            let upper = try comparable(items[3], path: "\(path)[3]", op: upperOp)
            guard first < upper else {
                throw EventPatternError(.invalidNumeric,
                    "The lower bound of a numeric range must be less than the upper bound", path: path)
            }
            range.upper = upper; range.upperInclusive = upperOp == "<="
            return range
        }

        private static func comparison(_ item: WireJSON, _ path: String) throws(EventPatternError) -> String {
            guard case .string(let op) = item else {
                throw EventPatternError(.invalidNumeric, "Expected a comparison operator, found `\(item)`", path: path)
            }
            guard ["=", "<", "<=", ">", ">="].contains(op) else {
                throw EventPatternError(.invalidNumeric, "Unrecognized numeric range operator `\(op)`", path: path)
            }
            return op
        }

        /// A pattern number as EventBridge compares it: one that a double holds exactly.
        static func comparable(_ item: WireJSON, path: String, op: String? = nil) throws(EventPatternError) -> Double {
            guard item.doubleValue != nil else {
                let what = op.map { "The value of `\($0)`" } ?? "The value"
                throw EventPatternError(.invalidNumeric, "\(what) must be a number, found `\(item)`", path: path)
            }
            guard let d = EventPattern.comparableDouble(item) else {
                throw EventPatternError(.invalidNumeric, "Cannot compare number `\(item)`: a double cannot hold it exactly",
                                        path: path)
            }
            return d
        }
    }

    /// `a` and `b` are the same number: integers exactly, anything else as doubles.
    static func sameNumber(_ a: WireJSON, _ b: WireJSON) -> Bool {
        if case .int(let x) = a, case .int(let y) = b { return x == y }
        guard let x = comparableDouble(a), let y = comparableDouble(b) else { return false }
        return x == y
    }

    /// The number as a double when a double holds it exactly; EventBridge leaves other numbers out of numeric
    /// comparisons.
    static func comparableDouble(_ value: WireJSON) -> Double? {
        switch value {
        case .int(let i): return Double(exactly: i)
        case .double(let d): return d.isFinite ? d : nil
        default: return nil
        }
    }
}
