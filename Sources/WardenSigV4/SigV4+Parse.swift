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
    static func parseHeader(_ raw: String, _ request: SigV4Request) throws(SigV4Error) -> SigV4Authorization {
        let header = raw.drop { $0 == " " || $0 == "\t" }
        let scheme = header.prefix { $0 != " " && $0 != "\t" }
        var credential: Substring?, signedHeaders: Substring?, signature: Substring?
        if scheme == algorithm {
            for part in header.dropFirst(scheme.count).split(separator: ",") {
                let component = trim(part)
                if component.isEmpty { continue }
                guard let eq = component.firstIndex(of: "=") else {
                    throw SigV4Error(.incompleteSignature, "'\(component)' not a valid key=value pair (missing equal-sign) in Authorization header: '\(raw)'.")
                }
                let value = component[component.index(after: eq)...]
                switch component[..<eq] {
                case "Credential": credential = value
                case "SignedHeaders": signedHeaders = value
                case "Signature": signature = value
                default: continue  // AWS ignores components it does not know
                }
            }
        } else if scheme.hasPrefix("AWS4-") {
            throw SigV4Error(.incompleteSignature, "Unsupported AWS 'algorithm': '\(scheme)'.")
        }
        let xAmzDate = request.header("x-amz-date")
        let dateHeader = xAmzDate ?? request.header("date")
        var missing: [String] = []
        if credential == nil { missing.append("Authorization header requires 'Credential' parameter.") }
        if signature == nil { missing.append("Authorization header requires 'Signature' parameter.") }
        if signedHeaders == nil { missing.append("Authorization header requires 'SignedHeaders' parameter.") }
        if dateHeader == nil { missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.") }
        guard missing.isEmpty, let credential, let signature, let signedHeaders, let dateHeader else {
            throw SigV4Error(.incompleteSignature, missing.joined(separator: " ") + " Authorization=\(raw)")
        }
        let scope = try parseCredential(credential)
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
            signedHeaders: splitSignedHeaders(signedHeaders), signature: String(signature), amzDate: amzDate,
            requestTime: Date(timeIntervalSince1970: TimeInterval(seconds)),
            securityToken: request.header("x-amz-security-token"), expires: nil, isPresigned: false)
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
        let scope = try parseCredential(credential[...])
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
            signedHeaders: splitSignedHeaders(signedHeaders[...]), signature: signature, amzDate: date,
            requestTime: Date(timeIntervalSince1970: TimeInterval(seconds)),
            securityToken: q["X-Amz-Security-Token"], expires: expires, isPresigned: true)
    }

    static func invalidDate(_ value: String) -> SigV4Error {
        SigV4Error(.incompleteSignature, "Date must be in ISO-8601 'basic format'. Got '\(value)'. See http://en.wikipedia.org/wiki/ISO_8601")
    }

    /// `AKID/yyyyMMdd/region/service/aws4_request`.
    static func parseCredential(_ credential: Substring) throws(SigV4Error) -> (key: String, date: String, region: String, service: String) {
        let parts = credential.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5 else {
            throw SigV4Error(.incompleteSignature, "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '\(credential)'")
        }
        let region = parts[2]
        guard !region.isEmpty, region.utf8.allSatisfy({ $0 &- 97 < 26 || $0 &- 48 < 10 || $0 == 45 }) else {
            throw SigV4Error(.signatureDoesNotMatch, "Credential should be scoped to a valid region, not '\(region)'. ")
        }
        guard parts[4] == "aws4_request" else {
            throw SigV4Error(.signatureDoesNotMatch, "Credential should be scoped with a valid terminator: 'aws4_request', not '\(parts[4])'. ")
        }
        return (String(parts[0]), String(parts[1]), String(region), String(parts[3]))
    }

    /// `host;x-amz-date` → ["host", "x-amz-date"], lowercased (AWS requires lowercase; lenient on input).
    static func splitSignedHeaders(_ s: Substring) -> [String] {
        s.split(separator: ";").map { name in
            name.utf8.contains { $0 &- 65 < 26 } ? name.lowercased() : String(name)
        }
    }

    static func trim(_ s: Substring) -> Substring {
        var s = s
        while let c = s.utf8.first, ASCII.isSpace(c) { s = s.dropFirst() }
        while let c = s.utf8.last, ASCII.isSpace(c) { s = s.dropLast() }
        return s
    }
}
