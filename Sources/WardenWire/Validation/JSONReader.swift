import Foundation

/// The members of one JSON object, looked up by wire name. `null` counts as absent, as AWS treats it.
struct JSONFields {
    let members: [WireJSON.Member]

    subscript(_ key: String) -> WireJSON? {
        // A linear scan: shapes have few members, so decoding stays linear in the size of the body.
        for m in members where m.key == key {
            if case .null = m.value { return nil }
            return m.value
        }
        return nil
    }
}

/// Reads members out of a parsed JSON body and collects every constraint violation.
///
/// Generated `JSONDecodable` conformances drive it, the way `QueryReader` serves AWS Query: each member is read
/// with its wire value and its AWS location (`lookupAttributes.1.member.attributeKey`), and decoding goes on after
/// a violation so that the failure lists all of them.
struct JSONReader {
    private(set) var errors: [String] = []

    init() {}

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

    /// The members of the top-level body, which must be an object.
    mutating func root<T>(_ json: WireJSON, _ decode: (inout JSONReader, JSONFields, String) -> T?) -> T? {
        guard case .object(let members) = json else {
            errors.append("The request body must be a JSON object, not `\(json.awsDisplay(limit: 64))`")
            return nil
        }
        return decode(&self, JSONFields(members: members), "")
    }

    private mutating func present(_ v: WireJSON?, _ loc: () -> String, _ required: Bool) -> WireJSON? {
        guard let v, !v.isNull else {
            if required { violation(nil, loc(), Constraint.notNull) }
            return nil
        }
        return v
    }

    private mutating func wrongType(_ v: WireJSON, _ loc: String, _ constraint: String) {
        violation(v.awsDisplay(limit: 256), loc, constraint)
    }

    mutating func string(_ v: WireJSON?, _ loc: @autoclosure () -> String, required: Bool, _ rule: StringRule?) -> String? {
        guard let v = present(v, loc, required) else { return nil }
        guard case .string(let s) = v else { wrongType(v, loc(), Constraint.string); return nil }
        if let rule {
            for c in rule.violations(s) { violation(s, loc(), c) }
        }
        return s
    }

    mutating func integer(_ v: WireJSON?, _ loc: @autoclosure () -> String, required: Bool, _ rule: IntRule?) -> Int? {
        guard let v = present(v, loc, required) else { return nil }
        guard let i = v.intValue else { wrongType(v, loc(), Constraint.integer); return nil }
        if let rule {
            for c in rule.violations(i) { violation(String(i), loc(), c) }
        }
        return i
    }

    mutating func double(_ v: WireJSON?, _ loc: @autoclosure () -> String, required: Bool) -> Double? {
        guard let v = present(v, loc, required) else { return nil }
        guard let d = v.doubleValue, d.isFinite else { wrongType(v, loc(), Constraint.number); return nil }
        return d
    }

    mutating func boolean(_ v: WireJSON?, _ loc: @autoclosure () -> String, required: Bool) -> Bool? {
        guard let v = present(v, loc, required) else { return nil }
        guard case .bool(let b) = v else { wrongType(v, loc(), Constraint.boolean); return nil }
        return b
    }

    /// Epoch seconds (a number, possibly fractional) or a string: ISO 8601 or epoch seconds, as clients send them
    /// for members with a `timestampFormat`.
    mutating func timestamp(_ v: WireJSON?, _ loc: @autoclosure () -> String, required: Bool) -> Date? {
        guard let v = present(v, loc, required) else { return nil }
        switch v {
        case .int(let i): return Date(timeIntervalSince1970: Double(i))
        case .double(let d) where d.isFinite: return Date(timeIntervalSince1970: d)
        case .string(let s):
            if let d = WireFormat.parseTimestamp(s) { return d }
        default: break
        }
        wrongType(v, loc(), Constraint.epochTimestamp)
        return nil
    }

    mutating func blob(_ v: WireJSON?, _ loc: @autoclosure () -> String, required: Bool, _ rule: StringRule?) -> [UInt8]? {
        guard let v = present(v, loc, required) else { return nil }
        guard case .string(let s) = v, let bytes = WireFormat.decodeBase64(s) else { wrongType(v, loc(), Constraint.base64); return nil }
        if let rule {
            for c in rule.violations(byteCount: bytes.count) { violation(s, loc(), c) }
        }
        return bytes
    }

    mutating func enumeration<E: RawRepresentable & CaseIterable>(_ v: WireJSON?, _ loc: @autoclosure () -> String, required: Bool,
                                                                  _ type: E.Type) -> E? where E.RawValue == String {
        guard let v = present(v, loc, required) else { return nil }
        guard case .string(let s) = v, let e = E(rawValue: s) else {
            violation(v.awsDisplay(limit: 256), loc(), Constraint.enumeration(E.allCases.map(\.rawValue)))
            return nil
        }
        return e
    }

    /// A nested structure; its members are located under `loc.`.
    mutating func structure<T>(_ v: WireJSON?, _ loc: String, required: Bool,
                               _ decode: (inout JSONReader, JSONFields, String) -> T?) -> T? {
        guard let v = present(v, { loc }, required) else { return nil }
        guard case .object(let members) = v else { wrongType(v, loc, Constraint.structure); return nil }
        return decode(&self, JSONFields(members: members), loc + ".")
    }

    private mutating func elements(_ v: WireJSON?, _ loc: String, required: Bool) -> [WireJSON]? {
        guard let v = present(v, { loc }, required) else { return nil }
        guard case .array(let items) = v else { wrongType(v, loc, Constraint.list); return nil }
        return items
    }

    private mutating func checkCount(_ n: Int, _ loc: String, _ rule: CountRule?, _ shown: @autoclosure () -> String) {
        guard let rule else { return }
        let violated = rule.violations(n)
        guard !violated.isEmpty else { return }
        let text = shown()
        for c in violated { violation(text, loc, c) }
    }

    /// A list; element `n` (1-based) is located at `loc.n.member`, as AWS prints it.
    mutating func list<T>(_ v: WireJSON?, _ loc: String, required: Bool, _ rule: CountRule?,
                          _ element: (inout JSONReader, WireJSON, String) -> T?) -> [T]? {
        guard let items = elements(v, loc, required: required) else { return nil }
        var out: [T] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            if let e = element(&self, item, loc + ".\(i + 1).member") { out.append(e) }
        }
        checkCount(items.count, loc, rule, WireJSON.array(items).awsDisplay(limit: 1024))
        return out
    }

    /// A list of strings. A bad element is reported once for the whole list with every constraint of the element
    /// shape, as AWS does (`Member must satisfy constraint: [Member must have length less than or equal to 128, …]`).
    mutating func stringList(_ v: WireJSON?, _ loc: String, required: Bool, _ rule: CountRule?, _ elementRule: StringRule?) -> [String]? {
        guard let items = elements(v, loc, required: required) else { return nil }
        var out: [String] = []
        out.reserveCapacity(items.count)
        var bad = false
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item else {
                if item.isNull { violation(nil, loc + ".\(i + 1).member", Constraint.notNull) } else { wrongType(item, loc + ".\(i + 1).member", Constraint.string) }
                continue
            }
            if let elementRule, !bad, !elementRule.violations(s).isEmpty { bad = true }
            out.append(s)
        }
        if bad, let elementRule { violation(WireJSON.array(items).awsDisplay(limit: 1024), loc, Constraint.members(elementRule.all)) }
        checkCount(items.count, loc, rule, WireJSON.array(items).awsDisplay(limit: 1024))
        return out
    }

    /// A list of enum values, reported like a list of strings.
    mutating func enumList<E: RawRepresentable & CaseIterable>(_ v: WireJSON?, _ loc: String, required: Bool, _ rule: CountRule?,
                                                               _ type: E.Type) -> [E]? where E.RawValue == String {
        guard let items = elements(v, loc, required: required) else { return nil }
        var out: [E] = []
        out.reserveCapacity(items.count)
        var bad = false
        for item in items {
            if case .string(let s) = item, let e = E(rawValue: s) { out.append(e) } else { bad = true }
        }
        if bad {
            violation(WireJSON.array(items).awsDisplay(limit: 1024), loc, Constraint.members([Constraint.enumeration(E.allCases.map(\.rawValue))]))
        }
        checkCount(items.count, loc, rule, WireJSON.array(items).awsDisplay(limit: 1024))
        return out
    }

    private mutating func entries(_ v: WireJSON?, _ loc: String, required: Bool, _ rule: CountRule?, _ keyRule: StringRule?) -> [WireJSON.Member]? {
        guard let v = present(v, { loc }, required) else { return nil }
        guard case .object(let members) = v else { wrongType(v, loc, Constraint.map); return nil }
        if let keyRule, members.contains(where: { !keyRule.violations($0.key).isEmpty }) {
            violation(v.awsDisplay(limit: 1024), loc, Constraint.mapKeys(keyRule.all))
        }
        checkCount(members.count, loc, rule, v.awsDisplay(limit: 1024))
        return members
    }

    /// A map; the value of key `k` is located at `loc.k`. Bad keys are reported once for the whole map.
    mutating func map<V>(_ v: WireJSON?, _ loc: String, required: Bool, _ rule: CountRule?, _ keyRule: StringRule?,
                         _ value: (inout JSONReader, WireJSON, String) -> V?) -> [String: V]? {
        guard let members = entries(v, loc, required: required, rule, keyRule) else { return nil }
        var out: [String: V] = [:]
        out.reserveCapacity(members.count)
        for m in members {
            if let e = value(&self, m.value, loc + "." + m.key) { out[m.key] = e }
        }
        return out
    }

    /// A map of strings; bad keys and bad values are each reported once for the whole map, as AWS does
    /// (`Map value must satisfy constraint: […]`).
    mutating func stringMap(_ v: WireJSON?, _ loc: String, required: Bool, _ rule: CountRule?, _ keyRule: StringRule?,
                            _ valueRule: StringRule?) -> [String: String]? {
        guard let members = entries(v, loc, required: required, rule, keyRule) else { return nil }
        var out: [String: String] = [:]
        out.reserveCapacity(members.count)
        var bad = false
        for m in members {
            guard case .string(let s) = m.value else { wrongType(m.value, loc + "." + m.key, Constraint.string); continue }
            if let valueRule, !bad, !valueRule.violations(s).isEmpty { bad = true }
            out[m.key] = s
        }
        if bad, let valueRule, let v { violation(v.awsDisplay(limit: 1024), loc, Constraint.mapValues(valueRule.all)) }
        return out
    }
}

extension WireJSON {
    /// The value as AWS validation messages print it (Java's `toString` of the decoded value): strings bare,
    /// lists as `[a, b]`, structures and maps as `{Key=value, …}`; cut at about `limit` characters.
    func awsDisplay(limit: Int) -> String {
        var out = ""
        appendDisplay(to: &out, limit: limit)
        if out.count > limit { out = String(out.prefix(limit)) + "…" }
        return out
    }

    private func appendDisplay(to out: inout String, limit: Int) {
        guard out.utf8.count <= limit * 4 else { return }
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += String(d)
        case .string(let s): out += s
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                item.appendDisplay(to: &out, limit: limit)
                if out.utf8.count > limit * 4 { break }
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, m) in members.enumerated() {
                if i > 0 { out += ", " }
                out += m.key + "="
                m.value.appendDisplay(to: &out, limit: limit)
                if out.utf8.count > limit * 4 { break }
            }
            out += "}"
        }
    }
}
