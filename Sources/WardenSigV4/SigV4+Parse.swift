import Foundation

/// Reading the `Authorization` header or presigned query parameters, with AWS's messages for malformed ones.
extension SigV4 {
    /// Reads the authorization of a request from its `Authorization` header or its presigned query parameters.
    ///
    /// Throws `MissingAuthenticationToken` when there is neither, `IncompleteSignature` when it is malformed,
    /// and `SignatureDoesNotMatch` for scope problems a key cannot fix (region, terminator, scope date that is not
    /// the request's day, `host` not signed), so the server refuses them before looking up any key.
    public static func parse(_ request: SigV4Request) throws(SigV4Error) -> SigV4Authorization {
        let header = request.header("authorization").flatMap { isBlank($0) ? nil : $0 }
        let presigned = QueryString.mentionsPresignParameters(request.query) ? presignParameters(request.query) : nil
        let auth: SigV4Authorization
        switch (header, presigned) {
        case (let header?, nil): auth = try parseHeader(header, request)
        case (nil, let query?): auth = try parsePresigned(query)
        case (.some, .some): throw .twoAuthMechanisms
        case (nil, nil): throw .missingAuthenticationToken
        }
        try checkScope(auth)
        return auth
    }

    static func isBlank(_ s: String) -> Bool { s.utf8.allSatisfy(ASCII.isSpace) }

    /// The decoded query parameters when they carry presigned authentication (`X-Amz-Algorithm`,
    /// `X-Amz-Credential` or `X-Amz-Signature`), else nil.
    static func presignParameters(_ query: String) -> [String: String]? {
        var q: [String: String] = [:]
        for (k, v) in QueryString.pairs(query) where k.hasPrefix("X-Amz-") && q[k] == nil { q[k] = v }
        return q["X-Amz-Algorithm"] != nil || q["X-Amz-Credential"] != nil || q["X-Amz-Signature"] != nil ? q : nil
    }

    /// `AWS4-HMAC-SHA256 Credential=AKID/20261123/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=…`
    ///
    /// Scanned as bytes: Character-level Substring splitting costs microseconds per request.
    static func parseHeader(_ raw: String, _ request: SigV4Request) throws(SigV4Error) -> SigV4Authorization {
        let xAmzDate = request.header("x-amz-date")
        let dateHeader = xAmzDate ?? request.header("date")
        let parsed: Result<(scope: Scope, signedHeaders: [String], signature: String), SigV4Error> = withBytes(raw) { b in
            var i = 0
            while i < b.count, b[i] == 32 || b[i] == 9 { i += 1 }
            let schemeStart = i
            while i < b.count, b[i] != 32 && b[i] != 9 { i += 1 }
            let scheme = UnsafeBufferPointer(rebasing: b[schemeStart..<i])
            var credential: Range<Int>?, signedHeaders: Range<Int>?, signature: Range<Int>?
            if ASCII.equals(scheme, "AWS4-HMAC-SHA256") {
                while i < b.count {
                    var end = i
                    while end < b.count && b[end] != 44 { end += 1 }
                    var s = i, e = end
                    while s < e, ASCII.isSpace(b[s]) { s += 1 }
                    while e > s, ASCII.isSpace(b[e - 1]) { e -= 1 }
                    i = end + 1
                    if s == e { continue }
                    var eq = s
                    while eq < e && b[eq] != 61 { eq += 1 }
                    guard eq < e else {
                        return .failure(SigV4Error(.incompleteSignature, "'\(string(b, s..<e))' not a valid key=value pair (missing equal-sign) in Authorization header: '\(raw)'."))
                    }
                    let name = UnsafeBufferPointer(rebasing: b[s..<eq])
                    if ASCII.equals(name, "Credential") { credential = (eq + 1)..<e }
                    else if ASCII.equals(name, "SignedHeaders") { signedHeaders = (eq + 1)..<e }
                    else if ASCII.equals(name, "Signature") { signature = (eq + 1)..<e }
                    // AWS ignores components it does not know.
                }
            } else if scheme.starts(with: "AWS4-".utf8) {
                return .failure(SigV4Error(.incompleteSignature, "Unsupported AWS 'algorithm': '\(string(b, schemeStart..<(schemeStart + scheme.count)))'."))
            }
            var missing: [String] = []
            if credential == nil { missing.append("Authorization header requires 'Credential' parameter.") }
            if signature == nil { missing.append("Authorization header requires 'Signature' parameter.") }
            if signedHeaders == nil { missing.append("Authorization header requires 'SignedHeaders' parameter.") }
            if dateHeader == nil { missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.") }
            guard missing.isEmpty, let credential, let signature, let signedHeaders else {
                return .failure(SigV4Error(.incompleteSignature, missing.joined(separator: " ") + " Authorization=\(raw)"))
            }
            return parseCredential(UnsafeBufferPointer(rebasing: b[credential])).map { scope in
                (scope, splitSignedHeaders(UnsafeBufferPointer(rebasing: b[signedHeaders])), string(b, signature))
            }
        }
        let (scope, signedHeaders, signature) = try parsed.get()
        guard let dateHeader else { throw .missingAuthenticationToken }  // unreachable: checked above
        let seconds: Int64
        let amzDate: String
        if let s = AmzTime.parse(dateHeader) {
            (seconds, amzDate) = (s, dateHeader)
        } else if xAmzDate == nil, let s = AmzTime.parseHTTPDate(dateHeader) {
            (seconds, amzDate) = (s, AmzTime.format(s))  // botocore signs the ISO form of the Date header's time
        } else {
            throw invalidDate(dateHeader)
        }
        return SigV4Authorization(
            accessKeyID: scope.key, date: scope.date, region: scope.region, service: scope.service,
            signedHeaders: signedHeaders, signature: signature, amzDate: amzDate,
            requestTime: Date(timeIntervalSince1970: TimeInterval(seconds)),
            securityToken: request.header("x-amz-security-token"), expires: nil, isPresigned: false)
    }

    @inline(__always)
    static func string(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self)
    }

    /// `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`,
    /// `X-Amz-Signature` (and `X-Amz-Security-Token`) from the decoded query.
    static func parsePresigned(_ q: [String: String]) throws(SigV4Error) -> SigV4Authorization {
        var missing: [String] = []
        for name in ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date"] where q[name] == nil {
            missing.append("AWS query-string parameters must include '\(name)'.")
        }
        guard missing.isEmpty, let algorithmName = q["X-Amz-Algorithm"], let credential = q["X-Amz-Credential"],
              let signature = q["X-Amz-Signature"], let signedHeaders = q["X-Amz-SignedHeaders"], let date = q["X-Amz-Date"] else {
            throw SigV4Error(.incompleteSignature, missing.joined(separator: " ") + " Re-examine the query-string parameters.")
        }
        guard algorithmName == algorithm else {
            throw SigV4Error(.incompleteSignature, "X-Amz-Algorithm only supports \"\(algorithm)\"")
        }
        let scope = try withBytes(credential) { parseCredential($0) }.get()
        guard let seconds = AmzTime.parse(date) else { throw invalidDate(date) }
        var expires: Int?
        if let e = q["X-Amz-Expires"] {
            guard let v = Int(e) else { throw SigV4Error(.incompleteSignature, "X-Amz-Expires should be a number") }
            guard v >= 0 else { throw SigV4Error(.incompleteSignature, "X-Amz-Expires must be non-negative") }
            guard v <= maxExpires else {
                throw SigV4Error(.incompleteSignature, "X-Amz-Expires must be less than a week (in seconds) that is 604800")
            }
            expires = v
        }
        return SigV4Authorization(
            accessKeyID: scope.key, date: scope.date, region: scope.region, service: scope.service,
            signedHeaders: withBytes(signedHeaders) { splitSignedHeaders($0) }, signature: signature, amzDate: date,
            requestTime: Date(timeIntervalSince1970: TimeInterval(seconds)),
            securityToken: q["X-Amz-Security-Token"], expires: expires, isPresigned: true)
    }

    static func invalidDate(_ value: String) -> SigV4Error {
        SigV4Error(.incompleteSignature, "Date must be in ISO-8601 'basic format'. Got '\(value)'. See http://en.wikipedia.org/wiki/ISO_8601")
    }

    /// The four named parts of a credential scope.
    typealias Scope = (key: String, date: String, region: String, service: String)

    /// `AKID/yyyyMMdd/region/service/aws4_request`.
    static func parseCredential(_ b: UnsafeBufferPointer<UInt8>) -> Result<Scope, SigV4Error> {
        var parts: [Range<Int>] = []
        parts.reserveCapacity(5)
        var start = 0
        for i in 0...b.count where i == b.count || b[i] == 47 {
            parts.append(start..<i)
            start = i + 1
        }
        guard parts.count == 5 else {
            return .failure(SigV4Error(.incompleteSignature, "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '\(string(b, 0..<b.count))'"))
        }
        let region = UnsafeBufferPointer(rebasing: b[parts[2]])
        guard !region.isEmpty, region.allSatisfy({ $0 &- 97 < 26 || $0 &- 48 < 10 || $0 == 45 }) else {
            return .failure(SigV4Error(.signatureDoesNotMatch, "Credential should be scoped to a valid region, not '\(string(b, parts[2]))'. "))
        }
        guard ASCII.equals(UnsafeBufferPointer(rebasing: b[parts[4]]), "aws4_request") else {
            return .failure(SigV4Error(.signatureDoesNotMatch, "Credential should be scoped with a valid terminator: 'aws4_request', not '\(string(b, parts[4]))'. "))
        }
        return .success((string(b, parts[0]), string(b, parts[1]), string(b, parts[2]), string(b, parts[3])))
    }

    /// `host;x-amz-date` → ["host", "x-amz-date"], lowercased (AWS requires lowercase; lenient on input).
    static func splitSignedHeaders(_ b: UnsafeBufferPointer<UInt8>) -> [String] {
        var names: [String] = []
        names.reserveCapacity(8)
        var start = 0
        for i in 0...b.count where i == b.count || b[i] == 59 {
            if i > start {
                let name = UnsafeBufferPointer(rebasing: b[start..<i])
                if name.contains(where: { $0 &- 65 < 26 }) {
                    names.append(String(unsafeUninitializedCapacity: name.count) { out in
                        for (k, c) in name.enumerated() { out[k] = ASCII.lower(c) }
                        return name.count
                    })
                } else {
                    names.append(String(decoding: name, as: UTF8.self))
                }
            }
            start = i + 1
        }
        return names
    }
}
