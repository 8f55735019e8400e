/// The parameters of one AWS Query request: a decoded `application/x-www-form-urlencoded` body or URL query.
///
/// AWS Query flattens structured input into dotted keys (`Tags.member.1.Key=k`); this type only holds the
/// flat key/value pairs. The generated `QueryDecodable` conformances read structure out of them.
public struct QueryParameters: Sendable, Equatable {
    /// The decoded key/value pairs. When a key is repeated, the last occurrence wins.
    public var pairs: [String: String]

    /// Decodes a form-encoded string: `+` is a space, `%XX` is a UTF-8 byte, repeated keys keep the last value.
    ///
    /// Malformed percent escapes are kept literally rather than rejected, as lenient servers do; invalid UTF-8
    /// becomes U+FFFD.
    public init(formEncoded: String) {
        var pairs: [String: String] = [:]
        var body = formEncoded
        body.withUTF8 { bytes in
            var start = 0
            let count = bytes.count
            while start < count {
                var end = start
                while end < count && bytes[end] != UInt8(ascii: "&") { end += 1 }
                if end > start {
                    var eq = start
                    while eq < end && bytes[eq] != UInt8(ascii: "=") { eq += 1 }
                    let key = Self.decodeComponent(bytes, start, eq)
                    let value = eq < end ? Self.decodeComponent(bytes, eq + 1, end) : ""
                    pairs[key] = value
                }
                start = end + 1
            }
        }
        self.pairs = pairs
    }

    /// Wraps already-decoded pairs.
    public init(_ pairs: [String: String]) {
        self.pairs = pairs
    }

    /// The value of one flattened key, e.g. `UserName` or `Tags.member.1.Key`.
    public subscript(_ key: String) -> String? {
        pairs[key]
    }

    /// The `Action` parameter: the operation name.
    public var action: String? { pairs["Action"] }

    /// The `Version` parameter: the API version the client speaks.
    public var version: String? { pairs["Version"] }

    /// Whether any key equals `prefix` or starts with `prefix` followed by a dot.
    public func containsKey(withPrefix prefix: String) -> Bool {
        if pairs[prefix] != nil { return true }
        let dotted = prefix + "."
        return pairs.keys.contains { $0.hasPrefix(dotted) }
    }

    /// The distinct numeric indices `N` present under `prefix + infix + N` (e.g. `Tags.member.N…`), ascending.
    /// Returns nil when nothing is present under `prefix`, and `[]` when only `prefix=` itself is sent
    /// (botocore's encoding of an empty list).
    public func indices(under prefix: String, infix: String = ".member.") -> [Int]? {
        let head = prefix + infix
        var found: [Int] = []
        for key in pairs.keys where key.hasPrefix(head) {
            var n = 0
            var digits = 0
            for b in key.utf8.dropFirst(head.utf8.count) {
                if b == UInt8(ascii: ".") { break }
                guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9"), digits < 9 else { digits = -1; break }
                n = n * 10 + Int(b - UInt8(ascii: "0"))
                digits += 1
            }
            if digits > 0 { found.append(n) }
        }
        if found.isEmpty { return pairs[prefix] != nil ? [] : nil }
        found.sort()
        var unique: [Int] = []
        unique.reserveCapacity(found.count)
        for n in found where unique.last != n { unique.append(n) }
        return unique
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    static func decodeComponent(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        // Fast path: nothing to decode.
        var plain = true
        for i in start..<end where bytes[i] == UInt8(ascii: "%") || bytes[i] == UInt8(ascii: "+") {
            plain = false
            break
        }
        if plain { return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        var i = start
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if b == UInt8(ascii: "%"), i + 2 < end, let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2]) {
                out.append(hi << 4 | lo)
                i += 2
            } else {
                out.append(b)
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
