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
        let a = s.utf8, b = lowercase.utf8
        guard a.count == b.count else { return false }
        var i = b.startIndex
        for c in a {
            if lower(c) != b[i] { return false }
            b.formIndex(after: &i)
        }
        return true
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
    static func isSpace(_ c: UInt8) -> Bool { c == 32 || (c >= 9 && c <= 13) || (c >= 0x1C && c <= 0x1F) }

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

    /// Lowercase hex digits (AWS signatures and hashes are lowercase hex).
    static let lowerHex: [UInt8] = Array("0123456789abcdef".utf8)
    /// Uppercase hex digits (percent-encoding uses uppercase).
    static let upperHex: [UInt8] = Array("0123456789ABCDEF".utf8)
}
