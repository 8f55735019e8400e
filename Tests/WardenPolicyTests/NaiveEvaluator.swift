import Foundation
@testable import WardenPolicy

/// A deliberately simple evaluator written straight from the AWS documentation: it works on the parsed
/// document, Characters and Strings, re-derives everything per request and has no index or early exits.
/// The property test compares the compiled engine against it.
struct NaiveRequest {
    var principal: String
    var principalAccount: String
    var kind: RequestPrincipal.Kind
    var roleARN: String?       // for role sessions
    var action: String
    var resource: String
    var resourceAccount: String?
    var context: [String: [String]]   // keys in any case; a single value is a one-element array
    var singleValued: Set<String>     // lowercased keys given as single strings
}

enum NaiveEvaluator {
    // MARK: wildcards

    static func glob(_ p: [Character], _ t: [Character]) -> Bool {
        var memo: [Int: Bool] = [:]
        func m(_ i: Int, _ j: Int) -> Bool {
            let k = i * 10_000 + j
            if let v = memo[k] { return v }
            let r: Bool
            if i == p.count {
                r = j == t.count
            } else if p[i] == "*" {
                r = m(i + 1, j) || (j < t.count && m(i, j + 1))
            } else if p[i] == "?" {
                r = j < t.count && m(i + 1, j + 1)
            } else {
                r = j < t.count && p[i] == t[j] && m(i + 1, j + 1)
            }
            memo[k] = r
            return r
        }
        return m(0, 0)
    }

    static func glob(_ p: String, _ t: String) -> Bool { glob(Array(p), Array(t)) }

    static func value(_ key: String, _ r: NaiveRequest) -> [String]? {
        for (k, v) in r.context where k.lowercased() == key.lowercased() { return v }
        return nil
    }

    /// Replaces `${key}` / `${key, 'default'}`; nil when a key has no single value and no default.
    static func substitute(_ text: String, _ r: NaiveRequest, variables: Bool) -> String? {
        guard variables else { return text }
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else { out += rest[open.lowerBound...]; return out }
            let body = String(rest[open.upperBound..<close])
            rest = rest[rest.index(after: close)...]
            var key = body
            var fallback: String?
            if let comma = body.firstIndex(of: ",") {
                key = String(body[..<comma]).trimmingCharacters(in: .whitespaces)
                fallback = String(body[body.index(after: comma)...]).trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
            }
            if let v = value(key, r), v.count == 1 {
                out += v[0]
            } else if let fallback {
                out += fallback
            } else {
                return nil
            }
        }
        return out + rest
    }

    // MARK: statement parts

    static func arnMatch(_ pattern: String, _ arn: String, foldPrefix: Bool) -> Bool {
        if pattern == "*" { return true }
        let p = pattern.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        let a = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        if p.count < 6 || a.count < 6 { return p.count < 6 && a.count < 6 && glob(pattern, arn) }
        for i in 0..<6 {
            let fold = foldPrefix && i < 5
            if !glob(fold ? p[i].lowercased() : p[i], fold ? a[i].lowercased() : a[i]) { return false }
        }
        return true
    }

    static func actionMatches(_ s: PolicyStatement, _ r: NaiveRequest) -> Bool {
        guard let a = s.action else { return false }
        let hit = a.value.values.contains { glob($0.lowercased(), r.action.lowercased()) }
        return hit != a.negated
    }

    static func resourceMatches(_ s: PolicyStatement, _ r: NaiveRequest, variables: Bool) -> Bool {
        guard let res = s.resource else { return true }
        let hit = res.value.values.contains { p in
            guard let sub = substitute(p, r, variables: variables) else { return false }
            return arnMatch(sub, r.resource, foldPrefix: true)
        }
        return hit != res.negated
    }

    /// 0 none, 1 account, 2 parent role, 3 direct.
    static func principalClass(_ s: PolicyStatement, _ r: NaiveRequest, hasBoundary: Bool) -> Int {
        guard let p = s.principal else { return 3 }
        var named: [String] = []
        var any = false
        switch p.value {
        case .wildcard: any = true
        case .map(let entries):
            for e in entries where e.type == "AWS" { named += e.values.values }
        }
        if named.contains("*") { any = true }
        let accountNamed = named.contains(r.principalAccount) || named.contains("arn:aws:iam::\(r.principalAccount):root")
        let direct = any || named.contains(r.principal) || (r.kind == .root && accountNamed)
        let parent = any || (r.roleARN.map { named.contains($0) } ?? false)
        if p.negated {
            if hasBoundary { return 3 }
            let excluded = direct && (any || accountNamed) && (r.kind != .assumedRole || parent)
            return excluded ? 0 : 3
        }
        if direct { return 3 }
        if parent { return 2 }
        if accountNamed || any { return 1 }
        return 0
    }

    // MARK: conditions

    static func number(_ s: String) -> Double? {
        guard !s.isEmpty, s.allSatisfy({ "0123456789.-+eE".contains($0) }), let d = Double(s), d.isFinite else { return nil }
        return d
    }

    static func date(_ s: String) -> Double? {
        if let n = Double(s), !s.contains("-") { return n }
        let f = ISO8601DateFormatter()
        return f.date(from: s)?.timeIntervalSince1970
    }

    static func ipv4(_ s: String) -> (UInt32, Int)? {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, parts.count <= 2 else { return nil }
        var v: UInt32 = 0
        for o in octets {
            guard let n = UInt32(o), n < 256 else { return nil }
            v = v << 8 | n
        }
        var prefix = 32
        if parts.count == 2 { guard let p = Int(parts[1]), p >= 0, p <= 32 else { return nil }; prefix = p }
        return (v, prefix)
    }

    /// nil: the request value has the wrong type.
    static func positive(_ base: String, _ policy: String, _ v: String, _ r: NaiveRequest, variables: Bool) -> Bool? {
        let vars = variables && (base.hasPrefix("String") || base.hasPrefix("Arn") || base == "Bool")
        switch base {
        case "StringEquals", "StringNotEquals":
            guard let p = substitute(policy, r, variables: vars) else { return false }
            return p == v
        case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase":
            guard let p = substitute(policy, r, variables: vars) else { return false }
            return p.lowercased() == v.lowercased()
        case "StringLike", "StringNotLike":
            guard let p = substitute(policy, r, variables: vars) else { return false }
            return glob(p, v)
        case "Bool":
            guard let p = substitute(policy, r, variables: vars) else { return false }
            return p.lowercased() == v.lowercased()
        case let b where b.hasPrefix("Numeric"):
            guard let x = number(v) else { return nil }
            guard let y = number(policy) else { return false }
            return compare(b.dropFirst("Numeric".count), x, y)
        case let b where b.hasPrefix("Date"):
            guard let x = date(v) else { return nil }
            guard let y = date(policy) else { return false }
            return compare(b.dropFirst("Date".count), x, y)
        case "IpAddress", "NotIpAddress":
            guard let (x, _) = ipv4(v) else { return nil }
            guard let (net, prefix) = ipv4(policy) else { return false }
            let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << UInt32(32 - prefix)
            return x & mask == net & mask
        case "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike":
            guard let p = substitute(policy, r, variables: vars) else { return false }
            return arnMatch(p, v, foldPrefix: false)
        default:
            return false
        }
    }

    static func compare(_ how: Substring, _ x: Double, _ y: Double) -> Bool {
        switch how {
        case "Equals", "NotEquals": return x == y
        case "LessThan": return x < y
        case "LessThanEquals": return x <= y
        case "GreaterThan": return x > y
        case "GreaterThanEquals": return x >= y
        default: return false
        }
    }

    static func condition(_ op: String, _ key: String, _ policyValues: [String], _ r: NaiveRequest, variables: Bool) -> Bool {
        var name = op
        var qualifier = ""
        for q in ["ForAllValues:", "ForAnyValue:"] where name.hasPrefix(q) { qualifier = q; name.removeFirst(q.count) }
        var ifExists = false
        if name.hasSuffix("IfExists") { ifExists = true; name.removeLast("IfExists".count) }
        let negated = ["StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "NumericNotEquals", "DateNotEquals",
                       "NotIpAddress", "ArnNotEquals", "ArnNotLike"].contains(name)
        var values = value(key, r)
        if values?.isEmpty == true { values = nil }
        if name == "Null" {
            if qualifier == "ForAllValues:" { return true }
            if qualifier == "ForAnyValue:" { return false }
            return policyValues.contains { p in
                (p.lowercased() == "true" && values == nil) || (p.lowercased() == "false" && values != nil)
            }
        }
        guard let values else {
            if ifExists { return true }
            if qualifier == "ForAllValues:" { return true }
            if qualifier == "ForAnyValue:" { return false }
            return negated
        }
        func anyMatch(_ v: String) -> Bool? {
            var result = false
            for p in policyValues {
                guard let m = positive(name, p, v, r, variables: variables) else { return nil }
                if m { result = true }
            }
            return result
        }
        switch qualifier {
        case "ForAllValues:":
            for v in values {
                guard let m = anyMatch(v) else { return false }
                if negated ? m : !m { return false }
            }
            return true
        case "ForAnyValue:":
            return values.contains { v in anyMatch(v).map { negated ? !$0 : $0 } ?? false }
        default:
            guard values.count == 1, let m = anyMatch(values[0]) else { return false }
            return negated ? !m : m
        }
    }

    // MARK: combining

    /// (matched Deny, best Allow class) for one document.
    static func scan(_ d: PolicyDocument, _ r: NaiveRequest, hasBoundary: Bool) -> (Bool, Int) {
        var deny = false
        var allow = 0
        for s in d.statements {
            guard actionMatches(s, r), resourceMatches(s, r, variables: d.substitutesVariables) else { continue }
            let cls = principalClass(s, r, hasBoundary: hasBoundary)
            guard cls > 0 else { continue }
            let ok = s.conditions.allSatisfy { block in
                block.entries.allSatisfy { e in condition(block.operatorName, e.key, e.values.map(\.text), r, variables: d.substitutesVariables) }
            }
            guard ok else { continue }
            if s.effect == .deny { deny = true } else { allow = max(allow, cls) }
        }
        return (deny, allow)
    }

    struct Policies {
        var identity: [PolicyDocument] = []
        var boundary: [PolicyDocument]?
        var session: [PolicyDocument]?
        var resource: PolicyDocument?
        var scp: [[PolicyDocument]]?
    }

    static func evaluate(_ r: NaiveRequest, _ p: Policies) -> (Decision.Effect, PolicyType?) {
        if r.action.lowercased() == "sts:getcalleridentity" { return (.allowed, nil) }
        let hb = p.boundary != nil
        var scpOK = true
        for level in p.scp ?? [] {
            let scans = level.map { scan($0, r, hasBoundary: hb) }
            if scans.contains(where: { $0.0 }) { return (.explicitDeny, .serviceControlPolicy) }
            if !scans.contains(where: { $0.1 > 0 }) { scpOK = false }
        }
        let res = p.resource.map { scan($0, r, hasBoundary: hb) } ?? (false, 0)
        if res.0 { return (.explicitDeny, .resourceBased) }
        let ids = p.identity.map { scan($0, r, hasBoundary: hb) }
        if ids.contains(where: { $0.0 }) { return (.explicitDeny, .identityBased) }
        let bs = (p.boundary ?? []).map { scan($0, r, hasBoundary: hb) }
        if bs.contains(where: { $0.0 }) { return (.explicitDeny, .permissionsBoundary) }
        let ss = (p.session ?? []).map { scan($0, r, hasBoundary: hb) }
        if ss.contains(where: { $0.0 }) { return (.explicitDeny, .sessionPolicy) }
        if !scpOK { return (.implicitDeny, .serviceControlPolicy) }
        let idOK = ids.contains { $0.1 > 0 }
        let bOK = p.boundary == nil || bs.contains { $0.1 > 0 }
        let sOK = p.session == nil || ss.contains { $0.1 > 0 }
        let cross = r.resourceAccount != nil && r.resourceAccount != r.principalAccount
        if r.kind == .root {
            return cross && res.1 == 0 ? (.implicitDeny, .resourceBased) : (.allowed, nil)
        }
        if cross {
            if !idOK { return (.implicitDeny, .identityBased) }
            if !bOK { return (.implicitDeny, .permissionsBoundary) }
            if !sOK { return (.implicitDeny, .sessionPolicy) }
            return res.1 == 0 ? (.implicitDeny, .resourceBased) : (.allowed, nil)
        }
        if res.1 == 3 { return (.allowed, nil) }
        if res.1 < 2 && !idOK { return (.implicitDeny, .identityBased) }
        if !bOK { return (.implicitDeny, .permissionsBoundary) }
        if !sOK { return (.implicitDeny, .sessionPolicy) }
        return (.allowed, nil)
    }
}
