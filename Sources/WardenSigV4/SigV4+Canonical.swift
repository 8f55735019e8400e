import Crypto

/// The canonical request and string to sign, built into one byte buffer without Foundation.
extension SigV4 {
    /// The canonical request of AWS's specification, as text (for tests and diagnostics; `verify` uses bytes).
    public static func canonicalRequest(_ request: SigV4Request, _ auth: SigV4Authorization) -> String {
        var out = ByteWriter(capacity: 512)
        appendCanonicalRequest(request, auth, to: &out)
        return out.string
    }

    /// The string to sign for a canonical request.
    public static func stringToSign(_ canonicalRequest: String, _ auth: SigV4Authorization) -> String {
        var out = ByteWriter(capacity: 160)
        appendStringToSign(canonicalHash: SHA256.hash(data: Array(canonicalRequest.utf8)), auth, to: &out)
        return out.string
    }

    /// The hex signature of a request under a signing key.
    public static func signature(_ request: SigV4Request, _ auth: SigV4Authorization, signingKey: SigningKey) -> String {
        var hex = ByteWriter(capacity: 64)
        computeMAC(request, auth, signingKey).withUnsafeBytes { hex.appendHex($0) }
        return hex.string
    }

    /// HMAC(kSigning, string to sign), with both intermediate texts built in reused buffers.
    static func computeMAC(_ request: SigV4Request, _ auth: SigV4Authorization, _ key: SigningKey) -> SHA256.Digest {
        var buffer = ByteWriter(capacity: estimatedSize(request))
        appendCanonicalRequest(request, auth, to: &buffer)
        var hasher = SHA256()
        hasher.update(bufferPointer: UnsafeRawBufferPointer(buffer.bytes))
        let hash = hasher.finalize()
        buffer.truncate(to: 0)
        appendStringToSign(canonicalHash: hash, auth, to: &buffer)
        return key.mac(UnsafeRawBufferPointer(buffer.bytes))
    }

    /// An upper bound for the common case, so the buffer is allocated once.
    static func estimatedSize(_ request: SigV4Request) -> Int {
        var n = 256 + request.method.utf8.count + 3 * request.path.utf8.count + 3 * request.query.utf8.count
        for h in request.headers { n += h.name.utf8.count + h.value.utf8.count + 2 }
        return n
    }

    /// METHOD \n URI \n QUERY \n HEADERS \n SIGNED-HEADERS \n PAYLOAD-HASH
    static func appendCanonicalRequest(_ request: SigV4Request, _ auth: SigV4Authorization, to out: inout ByteWriter) {
        for c in request.method.utf8 { out.append(ASCII.upper(c)) }
        out.append(10)
        withBytes(request.path) { appendCanonicalURI($0, to: &out) }
        out.append(10)
        withBytes(request.query) { QueryString.appendCanonical($0, excludeSignature: auth.isPresigned, to: &out) }
        out.append(10)
        for name in auth.signedHeaders {
            out.append(name)
            out.append(58)
            var first = true
            for h in request.headers where ASCII.equalsLowercased(h.name, name) {
                if !first { out.append(44) }
                first = false
                withBytes(h.value) { appendTrimmedValue($0, to: &out) }
            }
            out.append(10)
        }
        out.append(10)
        for (i, name) in auth.signedHeaders.enumerated() {
            if i > 0 { out.append(59) }
            out.append(name)
        }
        out.append(10)
        // botocore signs the x-amz-content-sha256 header's value when the header is there (verify checks it
        // against the body), otherwise the hash of the body.
        out.append(request.header("x-amz-content-sha256") ?? request.payloadSHA256Hex)
    }

    /// AWS4-HMAC-SHA256 \n AMZ-DATE \n SCOPE \n hex(SHA256(canonical request))
    static func appendStringToSign(canonicalHash: SHA256.Digest, _ auth: SigV4Authorization, to out: inout ByteWriter) {
        out.append(algorithm)
        out.append(10)
        out.append(auth.amzDate)
        out.append(10)
        out.append(auth.date)
        out.append(47)
        out.append(auth.region)
        out.append(47)
        out.append(auth.service)
        out.append("/aws4_request\n")
        canonicalHash.withUnsafeBytes { out.appendHex($0) }
    }

    /// Non-S3 canonical URI, as botocore computes it: dot segments and empty segments removed, then every byte
    /// but unreserved characters, `/` and `~` percent-encoded. The path is not decoded first, so `%20` becomes
    /// `%2520`: AWS's "encode twice" rule for non-S3 services.
    static func appendCanonicalURI(_ path: UnsafeBufferPointer<UInt8>, to out: inout ByteWriter) {
        if path.isEmpty { out.append(47); return }
        // Fast path (almost every IAM/STS request is "/"): starts with "/", only unreserved bytes and
        // single slashes, no "." or ".." segment.
        var simple = path[0] == 47
        var previous: UInt8 = 0
        var segmentStart = 0
        if simple {
            for i in 0..<path.count {
                let c = path[i]
                if c == 47 {
                    if previous == 47 || isDotSegment(path, segmentStart, i) { simple = false; break }
                    segmentStart = i + 1
                } else if !ASCII.isUnreserved(c) { simple = false; break }
                previous = c
            }
            if simple && isDotSegment(path, segmentStart, path.count) { simple = false }
        }
        if simple { out.append(path); return }

        // RFC 3986 5.2.4 remove_dot_segments, plus dropping empty segments (botocore's normalize_url_path).
        var segments: [Range<Int>] = []
        var start = 0
        for i in 0...path.count where i == path.count || path[i] == 47 {
            if i > start {
                if isDotSegment(path, start, i) {
                    if i - start == 2 { _ = segments.popLast() }
                } else {
                    segments.append(start..<i)
                }
            }
            start = i + 1
        }
        if path[0] == 47 { out.append(47) }
        for (n, s) in segments.enumerated() {
            if n > 0 { out.append(47) }
            for i in s {
                let c = path[i]
                if c == 126 { out.append(c) } else { QueryString.appendEncoded(c, to: &out) }
            }
        }
        if path[path.count - 1] == 47 && !segments.isEmpty { out.append(47) }
    }

    /// Whether `path[from..<to]` is "." or "..".
    @inline(__always)
    static func isDotSegment(_ path: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        let n = to - from
        return (n == 1 && path[from] == 46) || (n == 2 && path[from] == 46 && path[from + 1] == 46)
    }

    /// A header value trimmed, with every run of whitespace (including obs-fold CR LF) made one space:
    /// botocore's `' '.join(value.split())`.
    static func appendTrimmedValue(_ v: UnsafeBufferPointer<UInt8>, to out: inout ByteWriter) {
        var start = 0, end = v.count
        while start < end, ASCII.isSpace(v[start]) { start += 1 }
        while end > start, ASCII.isSpace(v[end - 1]) { end -= 1 }
        // Copy runs of non-space bytes in bulk; each interior whitespace run becomes one space.
        var i = start
        while i < end {
            var j = i
            while j < end, !ASCII.isSpace(v[j]) { j += 1 }
            out.append(UnsafeBufferPointer(rebasing: v[i..<j]))
            if j < end {
                out.append(32)
                while j < end, ASCII.isSpace(v[j]) { j += 1 }
            }
            i = j
        }
    }

    /// Runs `body` over the UTF-8 bytes of `s` without copying when the string is native.
    @inline(__always)
    static func withBytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let r = s.utf8.withContiguousStorageIfAvailable(body) { return r }
        return Array(s.utf8).withUnsafeBufferPointer(body)
    }
}
