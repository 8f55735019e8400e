/// A value that may contain policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'default'}`,
/// `${*}`), compiled into literal pattern pieces and variable references.
struct Template: Sendable {
    enum Part: Sendable {
        /// Compiled pattern bytes (wildcards encoded as `Glob.star`/`Glob.question`).
        case pattern([UInt8])
        /// A context key (normalized) substituted as literal text; `fallback` when missing.
        case variable(key: String, hash: UInt64, fallback: String?)
    }

    /// The pattern when there are no variables (the common, fast case).
    let fixed: [UInt8]?
    let parts: [Part]
    /// For each part, the variable's key as written (empty for pattern parts).
    let variableNames: [String]
    /// Whether the fixed pattern contains a wildcard (otherwise equality suffices).
    let hasWildcard: Bool
    let foldCase: Bool
    /// Normalized keys of the variables used.
    var variableKeys: [String] {
        parts.compactMap { if case .variable(let k, _, _) = $0 { return k } else { return nil } }
    }

    /// Variables without a default whose key `context` lacks, as written in the policy.
    func missingVariables(_ context: RequestContext, into out: inout [String]) {
        guard fixed == nil else { return }
        for (i, part) in parts.enumerated() {
            guard case .variable(let key, let hash, nil) = part, context.value(normalizedKey: key, hash: hash) == nil else { continue }
            out.append(i < variableNames.count ? variableNames[i] : key)
        }
    }

    /// Compiles `text`. With `variables` false (legacy Version, or operators that take no variables) `${…}` is
    /// literal text. With `wildcards` false `*` and `?` are literal (…Equals operators).
    init(_ text: String, variables: Bool, wildcards: Bool, foldCase: Bool) {
        self.foldCase = foldCase
        guard variables, text.utf8.contains(UInt8(ascii: "$")) else {
            let p = Glob.compile(text, foldCase: foldCase, wildcards: wildcards)
            fixed = p
            parts = [.pattern(p)]
            variableNames = [""]
            hasWildcard = Glob.hasWildcard(p)
            return
        }
        var parts: [Part] = []
        var names: [String] = []
        var current: [UInt8] = []
        var rest = Substring(text)
        while let start = rest.firstRange(of: "${") {
            current += Glob.compile(String(rest[..<start.lowerBound]), foldCase: foldCase, wildcards: wildcards)
            let afterOpen = rest[start.upperBound...]
            guard let close = afterOpen.firstIndex(of: "}") else {
                // An unterminated `${` is literal text.
                Glob.appendLiteral(String(rest[start.lowerBound...]), foldCase: foldCase, to: &current)
                rest = ""
                break
            }
            let body = afterOpen[..<close]
            rest = afterOpen[afterOpen.index(after: close)...]
            switch body {
            case "*": current.append(UInt8(ascii: "*"))  // `${*}` is a literal asterisk, not a wildcard
            case "?": current.append(UInt8(ascii: "?"))
            case "$": current.append(UInt8(ascii: "$"))
            default:
                var key = body
                var fallback: String?
                if let comma = body.firstIndex(of: ",") {
                    key = body[..<comma]
                    let d = body[body.index(after: comma)...].drop { $0 == " " }
                    if d.count >= 2, d.first == "'", d.last == "'" {
                        fallback = String(d.dropFirst().dropLast())
                    } else {
                        fallback = String(d)
                    }
                }
                let trimmedKey = String(key.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
                if !current.isEmpty { parts.append(.pattern(current)); names.append(""); current = [] }
                let normalized = RequestContext.normalize(trimmedKey)
                parts.append(.variable(key: normalized, hash: fnv1a(normalized), fallback: fallback))
                names.append(trimmedKey)
            }
        }
        current += Glob.compile(String(rest), foldCase: foldCase, wildcards: wildcards)
        if !current.isEmpty { parts.append(.pattern(current)); names.append("") }
        let hasVariable = parts.contains { if case .variable = $0 { return true } else { return false } }
        if hasVariable {
            fixed = nil
            hasWildcard = true  // decided per resolution; use the matcher
        } else {
            let p = parts.reduce(into: [UInt8]()) { acc, part in if case .pattern(let b) = part { acc += b } }
            fixed = p
            hasWildcard = Glob.hasWildcard(p)
        }
        self.parts = parts.isEmpty ? [.pattern([])] : parts
        variableNames = parts.isEmpty ? [""] : names
    }

    /// Resolves the variables against `context` into a temporary buffer and calls `body`; nil when a variable
    /// has no value and no default (the element then does not match), or its key is multivalued.
    @inline(__always)
    func withResolved<R>(_ context: RequestContext, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        if let fixed { return fixed.withUnsafeBufferPointer(body) }
        return resolveSlow(context, body)
    }

    private func resolveSlow<R>(_ context: RequestContext, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        var size = 0
        for part in parts {
            switch part {
            case .pattern(let b): size += b.count
            case .variable(let key, let hash, let fallback):
                switch context.value(normalizedKey: key, hash: hash) {
                case .string(let s)?: size += s.utf8.count
                case .strings(let a)? where a.count == 1: size += a[0].utf8.count
                case .strings? : return nil  // multivalued keys cannot be policy variables
                case nil:
                    guard let fallback else { return nil }
                    size += fallback.utf8.count
                }
            }
        }
        let fold = foldCase
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(size, 1)) { buffer -> R in
            var i = 0
            func put(_ s: String) {
                for c in s.utf8 { buffer[i] = fold ? Glob.lower(c) : c; i += 1 }
            }
            for part in parts {
                switch part {
                case .pattern(let b):
                    for c in b { buffer[i] = c; i += 1 }
                case .variable(let key, let hash, let fallback):
                    switch context.value(normalizedKey: key, hash: hash) {
                    case .string(let s)?: put(s)
                    case .strings(let a)?: put(a[0])
                    case nil: put(fallback ?? "")
                    }
                }
            }
            return body(UnsafeBufferPointer(rebasing: buffer[0..<i]))
        }
    }

    /// Whether `text` matches this template under `context`; false when a variable cannot be resolved.
    @inline(__always)
    func matches(_ text: UnsafeBufferPointer<UInt8>, _ context: RequestContext) -> Bool {
        if let fixed, !hasWildcard {
            guard fixed.count == text.count else { return false }
            return fixed.withUnsafeBufferPointer { p in
                if !foldCase { return memoryEqual(p, text) }
                for i in 0..<p.count where p[i] != Glob.lower(text[i]) { return false }
                return true
            }
        }
        return withResolved(context) { p in Glob.matches(p, text, foldCase: foldCase) } ?? false
    }
}

@inline(__always)
func memoryEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    if a.isEmpty { return true }
    for i in 0..<a.count where a[i] != b[i] { return false }
    return true
}
