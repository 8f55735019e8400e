/// Wildcard matching for actions, resources and `…Like` operators, on UTF-8 bytes without allocating.
///
/// Compiled patterns are byte arrays in which `*` is stored as `Glob.star` (0xFF) and `?` as `Glob.question`
/// (0xFE); neither byte occurs in UTF-8, so a literal `*` produced by `${*}` stays distinguishable.
public enum Glob {
    static let star: UInt8 = 0xFF
    static let question: UInt8 = 0xFE

    /// Compiles a pattern; with `foldCase` ASCII letters are lowercased (the text is folded while matching).
    public static func compile(_ pattern: String, foldCase: Bool, wildcards: Bool = true) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(pattern.utf8.count)
        for c in pattern.utf8 {
            if wildcards && c == UInt8(ascii: "*") {
                out.append(star)
            } else if wildcards && c == UInt8(ascii: "?") {
                out.append(question)
            } else {
                out.append(foldCase ? lower(c) : c)
            }
        }
        return out
    }

    /// Appends literal bytes (no wildcard meaning) to a compiled pattern.
    static func appendLiteral(_ s: String, foldCase: Bool, to out: inout [UInt8]) {
        for c in s.utf8 { out.append(foldCase ? lower(c) : c) }
    }

    @inline(__always) static func lower(_ c: UInt8) -> UInt8 {
        c &- 0x41 < 26 ? c | 0x20 : c
    }

    static func hasWildcard(_ pattern: [UInt8]) -> Bool {
        pattern.contains(star) || pattern.contains(question)
    }

    /// Length of the UTF-8 scalar starting at `i` (1 for a stray continuation byte).
    @inline(__always) static func scalarLength(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let c = t[i]
        let len: Int
        if c < 0xC0 { len = 1 } else if c < 0xE0 { len = 2 } else if c < 0xF0 { len = 3 } else { len = 4 }
        return min(len, t.count - i)
    }

    /// Whether `text` matches the compiled `pattern`. `*` matches any run (including `/` and `:`), `?` one character.
    static func matches(_ pattern: UnsafeBufferPointer<UInt8>, _ text: UnsafeBufferPointer<UInt8>, foldCase: Bool) -> Bool {
        let pn = pattern.count
        let tn = text.count
        var p = 0
        var t = 0
        var starP = -1
        var starT = 0
        while t < tn {
            if p < pn {
                let pc = pattern[p]
                if pc == star {
                    starP = p
                    p += 1
                    starT = t
                    continue
                }
                if pc == question {
                    t += scalarLength(text, t)
                    p += 1
                    continue
                }
                let tc = foldCase ? lower(text[t]) : text[t]
                if pc == tc {
                    p += 1
                    t += 1
                    continue
                }
            }
            if starP >= 0 {
                p = starP + 1
                starT += scalarLength(text, starT)
                t = starT
                continue
            }
            return false
        }
        while p < pn, pattern[p] == star { p += 1 }
        return p == pn
    }

    /// `matches` for an array pattern and a String text.
    public static func matches(_ pattern: [UInt8], _ text: String, foldCase: Bool) -> Bool {
        pattern.withUnsafeBufferPointer { p in
            withUTF8(text) { t in matches(p, t, foldCase: foldCase) }
        }
    }

    /// Byte equality with ASCII case folding.
    static func equalsIgnoringASCIICase(_ a: UnsafeBufferPointer<UInt8>, _ b: StaticString) -> Bool {
        guard a.count == b.utf8CodeUnitCount else { return false }
        let p = b.utf8Start
        for i in 0..<a.count where lower(a[i]) != lower(p[i]) { return false }
        return true
    }
}

/// Calls `body` with the contiguous UTF-8 bytes of `s` (native Swift strings need no copy).
@inline(__always)
func withUTF8<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let r = s.utf8.withContiguousStorageIfAvailable(body) { return r }
    var copy = s
    copy.makeContiguousUTF8()
    return copy.utf8.withContiguousStorageIfAvailable(body)!
}
