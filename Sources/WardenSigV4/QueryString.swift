/// Query strings as SigV4 sees them: RFC 3986 percent-encoding and the canonical ordering.
enum QueryString {
    /// Percent-decoded `key=value` pairs in order. Every `&`-separated piece counts, empty ones included, as in
    /// botocore's canonicalization; a piece without `=` has an empty value. A `+` stays a `+` (SigV4 is not
    /// form encoding).
    static func pairs(_ query: String) -> [(String, String)] {
        guard !query.isEmpty else { return [] }
        return SigV4.withBytes(query) { b in
            var out: [(String, String)] = []
            var start = 0
            while start <= b.count {
                var end = start
                while end < b.count && b[end] != 38 { end += 1 }
                var eq = start
                while eq < end && b[eq] != 61 { eq += 1 }
                out.append((decode(b, start..<eq), decode(b, min(eq + 1, end)..<end)))
                start = end + 1
            }
            return out
        }
    }

    /// The decoded value of the first parameter named `name`, if any.
    static func value(_ query: String, _ name: String) -> String? {
        for (k, v) in pairs(query) where k == name { return v }
        return nil
    }

    /// Whether the raw query names one of the presigned-URL parameters (cheap pre-check before decoding).
    static func mentionsPresignParameters(_ query: String) -> Bool {
        guard !query.isEmpty else { return false }
        return query.utf8.withContiguousStorageIfAvailable { b in
            // Looks for "X-Amz-" (any case) at the start of a key.
            var atKey = true
            var i = 0
            while i < b.count {
                let c = b[i]
                if atKey, i + 6 <= b.count, ASCII.lower(c) == 120, b[i + 1] == 45, ASCII.lower(b[i + 2]) == 97,
                   ASCII.lower(b[i + 3]) == 109, ASCII.lower(b[i + 4]) == 122, b[i + 5] == 45 { return true }
                atKey = c == 38
                i += 1
            }
            return false
        } ?? pairs(query).contains { $0.0.lowercased().hasPrefix("x-amz-") }
    }

    /// RFC 3986 percent-encoding of everything but unreserved characters (and `/` unless `encodeSlash`).
    static func encode(_ s: String, encodeSlash: Bool = true) -> String {
        var out = [UInt8]()
        out.reserveCapacity(s.utf8.count)
        for c in s.utf8 { appendEncoded(c, to: &out, keepSlash: !encodeSlash) }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    static func appendEncoded(_ c: UInt8, to out: inout ByteWriter) {
        if ASCII.isUnreserved(c) { out.append(c) } else { out.appendPercentEncoded(c) }
    }

    @inline(__always)
    static func appendEncoded(_ c: UInt8, to out: inout [UInt8], keepSlash: Bool = false) {
        if ASCII.isUnreserved(c) || (keepSlash && c == 47) {
            out.append(c)
        } else {
            out.append(37)
            out.append(ASCII.upperHex(c >> 4))
            out.append(ASCII.upperHex(c & 15))
        }
    }

    /// Percent-decoding of `b[r]`; a `%` not followed by two hex digits stays literal.
    static func decode(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> String {
        String(unsafeUninitializedCapacity: r.count) { out in
            var n = 0
            var i = r.lowerBound
            while i < r.upperBound {
                if b[i] == 37, i + 2 < r.upperBound, let h = ASCII.hexValue(b[i + 1]), let l = ASCII.hexValue(b[i + 2]) {
                    out[n] = h << 4 | l
                    i += 3
                } else {
                    out[n] = b[i]
                    i += 1
                }
                n += 1
            }
            return n
        }
    }

    /// Appends the canonical query string of raw `query` to `out`: each key and value percent-decoded and
    /// re-encoded per RFC 3986 (so a client's `%2f` or unencoded `:` still canonicalizes as AWS does), pairs
    /// sorted by encoded key, then encoded value; `X-Amz-Signature` left out when `excludeSignature`.
    static func appendCanonical(_ query: UnsafeBufferPointer<UInt8>, excludeSignature: Bool, to out: inout ByteWriter) {
        guard !query.isEmpty else { return }
        // All encoded components live in one scratch buffer; pairs are offsets into it.
        var scratch = ByteWriter(capacity: query.count + query.count / 2 + 16)
        var entries: [(k: Range<Int>, v: Range<Int>)] = []
        var start = 0
        while start <= query.count {
            var end = start
            while end < query.count && query[end] != 38 { end += 1 }
            var eq = start
            while eq < end && query[eq] != 61 { eq += 1 }
            let k0 = scratch.count
            reencode(query, start, eq, &scratch)
            let k1 = scratch.count
            reencode(query, eq < end ? eq + 1 : end, end, &scratch)
            let entry = (k: k0..<k1, v: k1..<scratch.count)
            if excludeSignature && isSignatureKey(scratch.bytes, entry.k) {
                scratch.truncate(to: k0)
            } else {
                entries.append(entry)
            }
            start = end + 1
        }
        let s = scratch.bytes
        if entries.count > 1 {
            entries.sort { a, b in
                let c = compare(s, a.k, b.k)
                return c != 0 ? c < 0 : compare(s, a.v, b.v) < 0
            }
        }
        for (n, e) in entries.enumerated() {
            if n > 0 { out.append(38) }
            out.append(UnsafeBufferPointer(rebasing: s[e.k]))
            out.append(61)
            out.append(UnsafeBufferPointer(rebasing: s[e.v]))
        }
    }

    /// Decodes `b[from..<to]` and appends it RFC 3986 encoded.
    @inline(__always)
    private static func reencode(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, _ out: inout ByteWriter) {
        var i = from
        while i < to {
            var c = b[i]
            if c == 37, i + 2 < to, let h = ASCII.hexValue(b[i + 1]), let l = ASCII.hexValue(b[i + 2]) {
                c = h << 4 | l
                i += 3
            } else {
                i += 1
            }
            appendEncoded(c, to: &out)
        }
    }

    private static let signatureKey = Array("X-Amz-Signature".utf8)

    private static func isSignatureKey(_ s: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        guard r.count == signatureKey.count else { return false }
        for (i, c) in zip(r, signatureKey) where s[i] != c { return false }
        return true
    }

    /// Byte-wise three-way comparison (code-point order for the ASCII of encoded components).
    @inline(__always)
    private static func compare(_ s: UnsafeBufferPointer<UInt8>, _ a: Range<Int>, _ b: Range<Int>) -> Int {
        let n = min(a.count, b.count)
        for i in 0..<n {
            let x = s[a.lowerBound + i], y = s[b.lowerBound + i]
            if x != y { return x < y ? -1 : 1 }
        }
        return a.count - b.count
    }
}
