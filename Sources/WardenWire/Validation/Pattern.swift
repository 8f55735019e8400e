/// A regular expression in the Java dialect the AWS models use (`[\w+=,.@-]+`, `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`,
/// `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`, …), matched against a whole value like Java's `matches()`.
///
/// A small backtracking matcher over Unicode scalars instead of `NSRegularExpression`: the model patterns are
/// tiny, the common ones are a single character class (checked in one linear pass), and this keeps WardenWire
/// free of ICU and thread-safety questions. Supported: literals, `.`, classes with ranges and negation,
/// `\w \d \s \W \D \S`, `\p{L} \p{Z} \p{N}` (and `\P{…}`), `\uXXXX`, `\xHH`, groups, `(?:…)`, `(?!…)`,
/// alternation, greedy `* + ? {n} {n,} {n,m}`, `^`, `$`, and the inline flag `(?s)`.
// A final class rather than a struct: rules hold it and are passed around per member, and one reference
// is cheaper to retain than a tree of arrays.
final class Pattern: Sendable {
    /// The pattern as written in the model (quoted verbatim in AWS messages).
    let source: String
    private let root: PatternNode
    // Fast path: the whole pattern is one character class repeated (`[…]+` or `[…]*`).
    private let simple: (set: ScalarSet, allowsEmpty: Bool)?

    /// Compiles `source`; nil if it uses syntax outside the supported subset.
    init?(_ source: String) {
        var parser = PatternParser(Array(source.unicodeScalars))
        guard let node = parser.parseAlternation(), parser.atEnd else { return nil }
        self.source = source
        self.root = node
        self.simple = Pattern.simpleForm(node)
    }

    /// Whether matching takes one linear pass without recursion (a single repeated class).
    var isLinear: Bool { simple != nil }

    /// Whether the entire value matches.
    func matches(_ value: String) -> Bool {
        if let simple {
            if value.isEmpty { return simple.allowsEmpty }
            // ASCII bytes are checked in place; a string with any other byte takes the scalar path.
            let ascii = value.utf8.withContiguousStorageIfAvailable { buf -> Bool? in
                for b in buf {
                    if b >= 0x80 { return nil }
                    if !simple.set.contains(Unicode.Scalar(b)) { return false }
                }
                return true
            }
            if let result = ascii ?? nil { return result }
            for s in value.unicodeScalars where !simple.set.contains(s) { return false }
            return true
        }
        let scalars = Array(value.unicodeScalars)
        return PatternMatcher(input: scalars).match(root, 0) { $0 == scalars.count }
    }

    private static func simpleForm(_ node: PatternNode) -> (ScalarSet, Bool)? {
        var node = node
        // Anchors at the ends change nothing for a whole-value match.
        if case .sequence(var parts) = node {
            if case .start = parts.first { parts.removeFirst() }
            if case .end = parts.last { parts.removeLast() }
            guard parts.count == 1 else { return nil }
            node = parts[0]
        }
        if case .repeated(let inner, let min, let max) = node, max == nil, min <= 1, case .set(let set) = inner {
            return (set, min == 0)
        }
        return nil
    }
}

/// A set of Unicode scalars: explicit ranges plus the named classes the models use.
struct ScalarSet: Sendable {
    enum Named: Sendable { case word, digit, space, letter, separator, number }
    var ranges: [ClosedRange<UInt32>] = []
    var named: [(Named, Bool)] = []  // (class, negated)
    var negated = false
    // Membership of the 128 ASCII scalars (negation applied), filled by `sealed()`; most values are ASCII.
    private var asciiLow: UInt64 = 0
    private var asciiHigh: UInt64 = 0

    /// The set with its ASCII bitmap computed; call once the ranges and classes are complete.
    func sealed() -> ScalarSet {
        var copy = self
        copy.asciiLow = 0
        copy.asciiHigh = 0
        for v in 0..<128 where containsIgnoringNegation(Unicode.Scalar(UInt8(v))) != negated {
            if v < 64 { copy.asciiLow |= 1 << UInt64(v) } else { copy.asciiHigh |= 1 << UInt64(v - 64) }
        }
        return copy
    }

    func contains(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 64 { return asciiLow & (1 << UInt64(v)) != 0 }
        if v < 128 { return asciiHigh & (1 << UInt64(v - 64)) != 0 }
        return containsIgnoringNegation(s) != negated
    }

    private func containsIgnoringNegation(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        for r in ranges where r.contains(v) { return true }
        for (n, neg) in named where ScalarSet.test(n, s) != neg { return true }
        return false
    }

    static func test(_ named: Named, _ s: Unicode.Scalar) -> Bool {
        let v = s.value
        switch named {
        // Java's \w, \d, \s are ASCII-only unless UNICODE_CHARACTER_CLASS is set.
        case .word: return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
        case .digit: return v >= 0x30 && v <= 0x39
        case .space: return v == 0x20 || (v >= 0x09 && v <= 0x0D)
        case .letter:
            if v < 0x80 { return (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) }
            switch s.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
            default: return false
            }
        case .separator:
            if v < 0x80 { return v == 0x20 }
            switch s.properties.generalCategory {
            case .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
            default: return false
            }
        case .number:
            if v < 0x80 { return v >= 0x30 && v <= 0x39 }
            switch s.properties.generalCategory {
            case .decimalNumber, .letterNumber, .otherNumber: return true
            default: return false
            }
        }
    }
}

indirect enum PatternNode: Sendable {
    case set(ScalarSet)
    case sequence([PatternNode])
    case alternation([PatternNode])
    case repeated(PatternNode, min: Int, max: Int?)
    case negativeLookahead(PatternNode)
    case start
    case end
}

private struct PatternParser {
    let s: [Unicode.Scalar]
    var i = 0
    var dotAll = false
    init(_ s: [Unicode.Scalar]) { self.s = s }
    var atEnd: Bool { i == s.count }
    func peek(_ o: Int = 0) -> Unicode.Scalar? { i + o < s.count ? s[i + o] : nil }

    mutating func parseAlternation() -> PatternNode? {
        var branches: [PatternNode] = []
        guard let first = parseSequence() else { return nil }
        branches.append(first)
        while peek() == "|" {
            i += 1
            guard let next = parseSequence() else { return nil }
            branches.append(next)
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    mutating func parseSequence() -> PatternNode? {
        var items: [PatternNode] = []
        while let c = peek(), c != "|", c != ")" {
            // The inline flag `(?s)` (DOTALL: `.` also matches line ends); other flags are unsupported.
            if c == "(", peek(1) == "?", peek(2) == "s", peek(3) == ")" {
                dotAll = true
                i += 4
                continue
            }
            guard var atom = parseAtom() else { return nil }
            while let q = peek(), q == "*" || q == "+" || q == "?" || q == "{" {
                guard let (min, max) = parseQuantifier() else { return nil }
                atom = .repeated(atom, min: min, max: max)
                if peek() == "?" { i += 1 }  // lazy and greedy accept the same whole-value matches
            }
            items.append(atom)
        }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    mutating func parseQuantifier() -> (Int, Int?)? {
        let c = s[i]
        i += 1
        switch c {
        case "*": return (0, nil)
        case "+": return (1, nil)
        case "?": return (0, 1)
        default:
            guard let min = parseNumber() else { return nil }
            if peek() == "}" { i += 1; return (min, min) }
            guard peek() == "," else { return nil }
            i += 1
            if peek() == "}" { i += 1; return (min, nil) }
            guard let max = parseNumber(), peek() == "}" else { return nil }
            i += 1
            return (min, max)
        }
    }

    mutating func parseNumber() -> Int? {
        var n = 0, digits = 0
        while let c = peek(), let d = Int(String(c)), c.isASCII { n = n * 10 + d; digits += 1; i += 1 }
        return digits > 0 ? n : nil
    }

    mutating func parseAtom() -> PatternNode? {
        let c = s[i]
        i += 1
        switch c {
        case "^": return .start
        case "$": return .end
        case ".":
            var set = ScalarSet(); set.ranges = dotAll ? [] : [0x0A...0x0A, 0x0D...0x0D]; set.negated = true
            return .set(set.sealed())
        case "(":
            var lookahead = false
            if peek() == "?" {
                if peek(1) == ":" { i += 2 } else if peek(1) == "!" { i += 2; lookahead = true } else { return nil }
            }
            guard let inner = parseAlternation(), peek() == ")" else { return nil }
            i += 1
            return lookahead ? .negativeLookahead(inner) : inner
        case "[": return parseClass().map { .set($0.sealed()) }
        case "\\": return parseEscape().map { .set($0.sealed()) }
        case "*", "+", "?", "{", ")": return nil
        default:
            var set = ScalarSet(); set.ranges = [c.value...c.value]
            return .set(set.sealed())
        }
    }

    /// After a backslash: a named class or a single scalar (as a one-element set).
    mutating func parseEscape() -> ScalarSet? {
        guard let c = peek() else { return nil }
        i += 1
        var set = ScalarSet()
        switch c {
        case "w", "W": set.named = [(.word, c == "W")]
        case "d", "D": set.named = [(.digit, c == "D")]
        case "s", "S": set.named = [(.space, c == "S")]
        case "p", "P":
            guard peek() == "{" else { return nil }
            i += 1
            var name = ""
            while let n = peek(), n != "}" { name.unicodeScalars.append(n); i += 1 }
            guard peek() == "}" else { return nil }
            i += 1
            let named: ScalarSet.Named
            switch name {
            case "L", "IsL", "IsLetter": named = .letter
            case "Z", "IsZ": named = .separator
            case "N", "IsN": named = .number
            default: return nil
            }
            set.named = [(named, c == "P")]
        default:
            guard let v = parseEscapedScalar(c) else { return nil }
            set.ranges = [v...v]
        }
        return set
    }

    mutating func parseEscapedScalar(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "t": return 0x09
        case "n": return 0x0A
        case "r": return 0x0D
        case "f": return 0x0C
        case "u": return parseHex(4)
        case "x": return parseHex(2)
        default:
            // Escaped punctuation stands for itself; escaped letters/digits not handled above are unsupported.
            if c.properties.isAlphabetic || ("0"..."9").contains(c) { return nil }
            return c.value
        }
    }

    mutating func parseHex(_ count: Int) -> UInt32? {
        var v: UInt32 = 0
        for _ in 0..<count {
            guard let c = peek(), c.isASCII, let d = UInt32(String(c), radix: 16) else { return nil }
            v = v * 16 + d
            i += 1
        }
        return v
    }

    mutating func parseClass() -> ScalarSet? {
        var set = ScalarSet()
        if peek() == "^" { set.negated = true; i += 1 }
        var first = true
        while let c = peek(), c != "]" || first {
            first = false
            i += 1
            var low: UInt32
            if c == "\\" {
                guard let e = peek() else { return nil }
                if "wWdDsSpP".unicodeScalars.contains(e) {
                    guard let inner = parseEscape() else { return nil }
                    set.named += inner.named
                    continue
                }
                i += 1
                guard let v = parseEscapedScalar(e) else { return nil }
                low = v
            } else if c == "[" {
                return nil  // nested classes and intersections are not used by the models
            } else {
                low = c.value
            }
            // A range `a-b`, unless the dash is the last character of the class.
            if peek() == "-", let next = peek(1), next != "]" {
                i += 1
                var high: UInt32
                let h = s[i]
                i += 1
                if h == "\\" {
                    guard let e = peek() else { return nil }
                    i += 1
                    guard let v = parseEscapedScalar(e) else { return nil }
                    high = v
                } else {
                    high = h.value
                }
                guard low <= high else { return nil }
                set.ranges.append(low...high)
            } else {
                set.ranges.append(low...low)
            }
        }
        guard peek() == "]" else { return nil }
        i += 1
        return set
    }
}

private struct PatternMatcher {
    let input: [Unicode.Scalar]

    /// Continuation-passing backtracking: `k` receives each position where `node` can end.
    func match(_ node: PatternNode, _ pos: Int, _ k: (Int) -> Bool) -> Bool {
        switch node {
        case .set(let set):
            return pos < input.count && set.contains(input[pos]) && k(pos + 1)
        case .start:
            return pos == 0 && k(pos)
        case .end:
            return pos == input.count && k(pos)
        case .sequence(let items):
            return matchSequence(items, 0, pos, k)
        case .alternation(let branches):
            for b in branches where match(b, pos, k) { return true }
            return false
        case .negativeLookahead(let inner):
            return !match(inner, pos, { _ in true }) && k(pos)
        case .repeated(let inner, let min, let max):
            return matchRepeat(inner, min, max, 0, pos, k)
        }
    }

    private func matchSequence(_ items: [PatternNode], _ index: Int, _ pos: Int, _ k: (Int) -> Bool) -> Bool {
        if index == items.count { return k(pos) }
        switch items[index] {
        // The common shapes, a class or a repeated class, are matched without building continuations.
        case .set(let set):
            return pos < input.count && set.contains(input[pos]) && matchSequence(items, index + 1, pos + 1, k)
        case .repeated(.set(let set), let min, let max):
            var end = pos
            let limit = max.map { Swift.min(input.count, pos + $0) } ?? input.count
            while end < limit && set.contains(input[end]) { end += 1 }
            while end - pos >= min {
                if matchSequence(items, index + 1, end, k) { return true }
                end -= 1
            }
            return false
        default:
            return match(items[index], pos) { next in matchSequence(items, index + 1, next, k) }
        }
    }

    private func matchRepeat(_ inner: PatternNode, _ min: Int, _ max: Int?, _ count: Int, _ pos: Int, _ k: (Int) -> Bool) -> Bool {
        // Greedy: try one more repetition first (never an empty one, which would loop), then stop here.
        if max.map({ count < $0 }) ?? true {
            let more = match(inner, pos) { next in
                next > pos && matchRepeat(inner, min, max, count + 1, next, k)
            }
            if more { return true }
        }
        return count >= min && k(pos)
    }
}
