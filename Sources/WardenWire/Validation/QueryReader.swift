import Foundation

/// Reads members out of flattened AWS Query parameters and collects every constraint violation.
///
/// Generated `QueryDecodable` conformances drive it: each member is read with its wire key (`prefix + Name`)
/// and its AWS location (`loc + name`, e.g. `tags.1.member.key`); decoding goes on after a violation so that
/// the failure reports all of them, as AWS does.
struct QueryReader {
    let query: QueryParameters
    private(set) var errors: [String] = []

    init(_ query: QueryParameters) {
        self.query = query
    }

    mutating func violation(_ value: String?, _ location: String, _ constraint: String) {
        errors.append(ValidationFailure.violation(value: value, at: location, constraint: constraint))
    }

    /// The decoded value, or the failure listing every violation.
    func finish<T>(_ value: T?) throws(ValidationFailure) -> T {
        guard errors.isEmpty, let value else {
            throw ValidationFailure(messages: errors.isEmpty ? ["Request could not be decoded"] : errors)
        }
        return value
    }

    /// The wire key of member `name` under prefix `p` (top-level members have an empty prefix).
    @inline(__always)
    static func key(_ p: String, _ name: String) -> String {
        p.isEmpty ? name : p + name
    }

    private mutating func raw(_ key: String, _ loc: () -> String, required: Bool) -> String? {
        guard let v = query.pairs[key] else {
            if required { violation(nil, loc(), Constraint.notNull) }
            return nil
        }
        return v
    }

    mutating func string(_ p: String, _ name: String, _ loc: @autoclosure () -> String, required: Bool, _ rule: StringRule?) -> String? {
        guard let v = raw(Self.key(p, name), loc, required: required) else { return nil }
        if let rule {
            for c in rule.violations(v) { violation(v, loc(), c) }
        }
        return v
    }

    mutating func integer(_ p: String, _ name: String, _ loc: @autoclosure () -> String, required: Bool, _ rule: IntRule?) -> Int? {
        guard let s = raw(Self.key(p, name), loc, required: required) else { return nil }
        guard let v = Int(s) else {
            violation(s, loc(), Constraint.integer)
            return nil
        }
        if let rule {
            for c in rule.violations(v) { violation(s, loc(), c) }
        }
        return v
    }

    mutating func boolean(_ p: String, _ name: String, _ loc: @autoclosure () -> String, required: Bool) -> Bool? {
        guard let s = raw(Self.key(p, name), loc, required: required) else { return nil }
        switch s.lowercased() {
        case "true": return true
        case "false": return false
        default:
            violation(s, loc(), Constraint.boolean)
            return nil
        }
    }

    mutating func timestamp(_ p: String, _ name: String, _ loc: @autoclosure () -> String, required: Bool) -> Date? {
        guard let s = raw(Self.key(p, name), loc, required: required) else { return nil }
        guard let d = WireFormat.parseTimestamp(s) else {
            violation(s, loc(), Constraint.timestamp)
            return nil
        }
        return d
    }

    mutating func blob(_ p: String, _ name: String, _ loc: @autoclosure () -> String, required: Bool, _ rule: StringRule?) -> [UInt8]? {
        guard let s = raw(Self.key(p, name), loc, required: required) else { return nil }
        guard let bytes = WireFormat.decodeBase64(s) else {
            violation(s, loc(), Constraint.base64)
            return nil
        }
        if let rule {
            for c in rule.violations(byteCount: bytes.count) { violation(s, loc(), c) }
        }
        return bytes
    }

    mutating func enumeration<E: RawRepresentable & CaseIterable>(_ p: String, _ name: String, _ loc: @autoclosure () -> String, required: Bool, _ type: E.Type) -> E?
    where E.RawValue == String {
        guard let s = raw(Self.key(p, name), loc, required: required) else { return nil }
        guard let v = E(rawValue: s) else {
            violation(s, loc(), Constraint.enumeration(E.allCases.map(\.rawValue)))
            return nil
        }
        return v
    }

    /// A nested structure whose members live under `prefix` (`Outer.`); absent when no key starts with it.
    mutating func structure<T>(_ p: String, _ name: String, _ loc: String, required: Bool,
                               _ decode: (inout QueryReader, String, String) -> T?) -> T? {
        let key = Self.key(p, name)
        guard query.containsKey(withPrefix: key) else {
            if required { violation(nil, loc, Constraint.notNull) }
            return nil
        }
        return decode(&self, key + ".", loc + ".")
    }

    private mutating func elementIndices(_ key: String, _ loc: String, required: Bool, _ rule: CountRule?, infix: String) -> [Int]? {
        guard let indices = query.indices(under: key, infix: infix) else {
            if required { violation(nil, loc, Constraint.notNull) }
            return nil
        }
        return indices
    }

    private mutating func checkCount(_ n: Int, _ loc: String, _ rule: CountRule?, shown: (QueryReader) -> String) {
        guard let rule else { return }
        let violated = rule.violations(n)
        guard !violated.isEmpty else { return }
        let text = shown(self)
        for c in violated { violation(text, loc, c) }
    }

    /// A list of structures: `Key.member.N.Member=…`, located as `key.N.member.member`.
    mutating func list<T>(_ p: String, _ name: String, _ loc: String, required: Bool, _ rule: CountRule?,
                          _ element: (inout QueryReader, String, String) -> T?) -> [T]? {
        let key = Self.key(p, name)
        guard let indices = elementIndices(key, loc, required: required, rule, infix: ".member.") else { return nil }
        var out: [T] = []
        out.reserveCapacity(indices.count)
        for n in indices {
            if let v = element(&self, key + ".member.\(n).", loc + ".\(n).member.") { out.append(v) }
        }
        checkCount(indices.count, loc, rule, shown: { $0.describeStructures(key, indices) })
        return out
    }

    // AWS prints the offending list itself; a list of structures is shown as `[{Key=k, Value=v}, …]`.
    private func describeStructures(_ key: String, _ indices: [Int]) -> String {
        var parts: [String] = []
        for n in indices {
            let head = key + ".member.\(n)."
            let fields = query.pairs.filter { $0.key.hasPrefix(head) }
                .map { (String($0.key.dropFirst(head.count)), $0.value) }
                .sorted { $0.0 < $1.0 }
                .map { "\($0.0)=\($0.1)" }
            parts.append("{" + fields.joined(separator: ", ") + "}")
        }
        return "[" + parts.joined(separator: ", ") + "]"
    }

    /// A list of strings: `Key.member.N=…`. A bad element is reported once for the whole list with every
    /// constraint of the element shape, as AWS does: `Value '[a, b]' at 'key' failed to satisfy constraint:
    /// Member must satisfy constraint: [Member must have length less than or equal to 128, …]`.
    mutating func stringList(_ p: String, _ name: String, _ loc: String, required: Bool, _ rule: CountRule?, _ elementRule: StringRule?) -> [String]? {
        let key = Self.key(p, name)
        guard let indices = elementIndices(key, loc, required: required, rule, infix: ".member.") else { return nil }
        var out: [String] = []
        out.reserveCapacity(indices.count)
        var bad = false
        for n in indices {
            let v = query.pairs[key + ".member.\(n)"] ?? ""
            if let elementRule, !bad, !elementRule.violations(v).isEmpty { bad = true }
            out.append(v)
        }
        let shown = "[" + out.joined(separator: ", ") + "]"
        if bad, let elementRule { violation(shown, loc, Constraint.members(elementRule.all)) }
        checkCount(out.count, loc, rule, shown: { _ in shown })
        return out
    }

    /// A list of integers: `Key.member.N=…`.
    mutating func integerList(_ p: String, _ name: String, _ loc: String, required: Bool, _ rule: CountRule?, _ elementRule: IntRule?) -> [Int]? {
        let key = Self.key(p, name)
        guard let indices = elementIndices(key, loc, required: required, rule, infix: ".member.") else { return nil }
        var out: [Int] = []
        for n in indices {
            if let v = integer(key + ".member.\(n)", "", loc + ".\(n).member", required: true, elementRule) { out.append(v) }
        }
        checkCount(out.count, loc, rule, shown: { _ in "[" + out.map(String.init).joined(separator: ", ") + "]" })
        return out
    }

    /// A list of enum values: `Key.member.N=…`, reported like a string list.
    mutating func enumList<E: RawRepresentable & CaseIterable>(_ p: String, _ name: String, _ loc: String, required: Bool, _ rule: CountRule?,
                                                               _ type: E.Type) -> [E]? where E.RawValue == String {
        let key = Self.key(p, name)
        guard let indices = elementIndices(key, loc, required: required, rule, infix: ".member.") else { return nil }
        var raws: [String] = []
        var out: [E] = []
        var bad = false
        for n in indices {
            let s = query.pairs[key + ".member.\(n)"] ?? ""
            raws.append(s)
            if let v = E(rawValue: s) { out.append(v) } else { bad = true }
        }
        let shown = "[" + raws.joined(separator: ", ") + "]"
        if bad { violation(shown, loc, Constraint.members([Constraint.enumeration(E.allCases.map(\.rawValue))])) }
        checkCount(raws.count, loc, rule, shown: { _ in shown })
        return out
    }

    /// A map: `Key.entry.N.key=…&Key.entry.N.value=…`; the value closure reads member `value` under prefix `Key.entry.N.`.
    mutating func map<V>(_ p: String, _ name: String, _ loc: String, required: Bool, _ rule: CountRule?, _ keyRule: StringRule?,
                         _ value: (inout QueryReader, String, String) -> V?) -> [String: V]? {
        let key = Self.key(p, name)
        guard let indices = elementIndices(key, loc, required: required, rule, infix: ".entry.") else { return nil }
        var out: [String: V] = [:]
        for n in indices {
            let base = key + ".entry.\(n)."
            let eloc = loc + ".\(n)."
            guard let k = string(base, "key", eloc + "key", required: true, keyRule) else { continue }
            if let v = value(&self, base, eloc) { out[k] = v }
        }
        checkCount(indices.count, loc, rule, shown: { _ in "{…}" })
        return out
    }
}
