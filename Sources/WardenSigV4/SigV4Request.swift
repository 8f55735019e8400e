/// The parts of an HTTP request that Signature Version 4 looks at. The server adapts its request type to this;
/// nothing here knows about an HTTP library.
public struct SigV4Request: Sendable {
    /// The HTTP method as received (canonicalized to upper case).
    public var method: String
    /// The path exactly as received on the wire, still percent-encoded (not decoded by the HTTP layer).
    public var path: String
    /// The raw query string without the leading `?`, still percent-encoded.
    public var query: String
    /// Header names and values as received, in order; repeated names are allowed. Include `Host`
    /// (for HTTP/2 the `:authority` value under the name `host`).
    public var headers: [(name: String, value: String)]
    /// Lowercase hex SHA-256 of the body bytes received, computed by the caller from the body itself.
    ///
    /// Do not pass the value of `x-amz-content-sha256` here: when that header is present, verification signs
    /// with its value (as botocore does) and additionally checks that it equals this hash, so a replayed
    /// signature cannot carry a different body.
    public var payloadSHA256Hex: String

    /// Creates a request from its parts as received.
    public init(method: String, path: String, query: String, headers: [(name: String, value: String)], payloadSHA256Hex: String) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.payloadSHA256Hex = payloadSHA256Hex
    }

    /// The first value of a header, by ASCII case-insensitive name (`name` must be lowercase).
    func header(_ name: String) -> String? {
        for h in headers where ASCII.equalsLowercased(h.name, name) { return h.value }
        return nil
    }
}

/// ASCII helpers that avoid Foundation and allocation on the hot path.
enum ASCII {
    /// Whether `s` equals `lowercase` ignoring ASCII case (`lowercase` must already be lowercase).
    @inline(__always)
    static func equalsLowercased(_ s: String, _ lowercase: String) -> Bool {
        guard s.utf8.count == lowercase.utf8.count else { return false }
        return SigV4.withBytes(s) { a in
            SigV4.withBytes(lowercase) { b in
                for i in 0..<a.count where lower(a[i]) != b[i] { return false }
                return true
            }
        }
    }

    /// Whether two strings are equal ignoring ASCII case.
    static func equalsIgnoringCase(_ s: String, _ t: String) -> Bool {
        let a = s.utf8, b = t.utf8
        guard a.count == b.count else { return false }
        return a.elementsEqual(b) { lower($0) == lower($1) }
    }

    /// ASCII lowercase of one byte.
    @inline(__always)
    static func lower(_ c: UInt8) -> UInt8 { c &- 65 < 26 ? c | 0x20 : c }

    /// ASCII uppercase of one byte.
    @inline(__always)
    static func upper(_ c: UInt8) -> UInt8 { c &- 97 < 26 ? c & ~0x20 : c }

    /// Whitespace as Python's `str.split()` sees it in ASCII (botocore trims header values with it).
    @inline(__always)
    static func isSpace(_ c: UInt8) -> Bool {
        // Bit n of the mask is set for n in 9...13, 0x1C...0x1F and 32: one compare and one shift per byte.
        c <= 32 && (UInt64(0x1_F000_3E00) >> UInt64(c)) & 1 != 0
    }

    /// RFC 3986 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~".
    @inline(__always)
    static func isUnreserved(_ c: UInt8) -> Bool {
        (c &- 65 < 26) || (c &- 97 < 26) || (c &- 48 < 10) || c == 45 || c == 46 || c == 95 || c == 126
    }

    /// The value of a hex digit, or nil.
    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 65...70: c - 55
        case 97...102: c - 87
        default: nil
        }
    }

    /// Lowercase hex digit of a nibble (AWS signatures and hashes are lowercase hex).
    @inline(__always)
    static func lowerHex(_ d: UInt8) -> UInt8 { d < 10 ? 48 + d : 87 + d }

    /// Uppercase hex digit of a nibble (percent-encoding uses uppercase).
    @inline(__always)
    static func upperHex(_ d: UInt8) -> UInt8 { d < 10 ? 48 + d : 55 + d }

    /// Whether two byte buffers are equal.
    @inline(__always)
    static func equals(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        for i in 0..<a.count where a[i] != b[i] { return false }
        return true
    }

    /// Whether bytes equal a string's UTF-8.
    @inline(__always)
    static func equals(_ b: UnsafeBufferPointer<UInt8>, _ s: StaticString) -> Bool {
        guard b.count == s.utf8CodeUnitCount else { return false }
        let p = s.utf8Start
        for i in 0..<b.count where b[i] != p[i] { return false }
        return true
    }
}
