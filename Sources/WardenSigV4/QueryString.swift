/// Query strings as SigV4 sees them: RFC 3986 encoding, canonical ordering.
enum QueryString {
    /// Decoded key → value (last wins), for reading presigned parameters.
    static func parse(_ query: String) -> [String: String] {
        var out: [String: String] = [:]
        for (k, v) in pairs(query) { out[k] = v }
        return out
    }

    /// Percent-decoded pairs in order.
    static func pairs(_ query: String) -> [(String, String)] {
        guard !query.isEmpty else { return [] }
        return query.split(separator: "&", omittingEmptySubsequences: true).map { part in
            if let eq = part.firstIndex(of: "=") {
                return (decode(part[..<eq]), decode(part[part.index(after: eq)...]))
            }
            return (decode(part[...]), "")
        }
    }

    /// The canonical query string: each key and value encoded, sorted by key then value.
    static func canonical(_ query: String, excluding: String?) -> String {
        var encoded = pairs(query).filter { $0.0 != excluding }.map { (encode($0.0, encodeSlash: true), encode($0.1, encodeSlash: true)) }
        encoded.sort { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        return encoded.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    static func isUnreserved(_ c: UInt8) -> Bool {
        (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 45 || c == 46 || c == 95 || c == 126
    }

    static let hex = Array("0123456789ABCDEF".utf8)

    /// RFC 3986 percent-encoding of everything but unreserved characters.
    static func encode(_ s: String, encodeSlash: Bool) -> String {
        var out = [UInt8]()
        out.reserveCapacity(s.utf8.count)
        for c in s.utf8 {
            if isUnreserved(c) || (!encodeSlash && c == 47) { out.append(c) } else {
                out.append(37); out.append(hex[Int(c >> 4)]); out.append(hex[Int(c & 15)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Percent-decoding (a `+` stays a `+`, as in AWS's canonicalization).
    static func decode<S: StringProtocol>(_ s: S) -> String {
        var out = [UInt8]()
        let b = Array(s.utf8)
        var i = 0
        while i < b.count {
            if b[i] == 37, i + 2 < b.count, let h = hexValue(b[i + 1]), let l = hexValue(b[i + 2]) {
                out.append(h << 4 | l); i += 3
            } else { out.append(b[i]); i += 1 }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 65...70: c - 55
        case 97...102: c - 87
        default: nil
        }
    }
}
