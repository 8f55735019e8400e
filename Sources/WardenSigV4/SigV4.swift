import Crypto
import Foundation

/// The parts of an HTTP request that Signature Version 4 looks at. The server adapts its request type to this.
public struct SigV4Request: Sendable {
    public var method: String
    /// The path as received, percent-encoded.
    public var path: String
    /// The raw query string without `?`.
    public var query: String
    /// Header names and values as received (repeated names allowed).
    public var headers: [(name: String, value: String)]
    /// Hex SHA-256 of the body (or the value of `x-amz-content-sha256`).
    public var payloadSHA256Hex: String

    public init(method: String, path: String, query: String, headers: [(name: String, value: String)], payloadSHA256Hex: String) {
        self.method = method; self.path = path; self.query = query; self.headers = headers; self.payloadSHA256Hex = payloadSHA256Hex
    }

    /// The first value of a header, by case-insensitive name.
    func header(_ name: String) -> String? {
        for h in headers where h.name.caseInsensitiveCompare(name) == .orderedSame { return h.value }
        return nil
    }
}

/// What the `Authorization` header or a presigned query string says.
public struct SigV4Authorization: Sendable, Equatable {
    public var accessKeyID: String
    /// `yyyyMMdd` of the credential scope.
    public var date: String
    public var region: String
    public var service: String
    /// Lowercased, in the order given.
    public var signedHeaders: [String]
    public var signature: String
    /// `X-Amz-Date` (or `Date`) as given: `yyyyMMdd'T'HHmmss'Z'`.
    public var amzDate: String
    public var requestTime: Date
    public var securityToken: String?
    /// Presigned URLs: seconds of validity.
    public var expires: Int?
    public var isPresigned: Bool
}

/// A SigV4 failure with AWS's code, message and HTTP status.
public struct SigV4Error: Error, Sendable, Equatable {
    public enum Code: String, Sendable {
        case missingAuthenticationToken = "MissingAuthenticationToken"
        case incompleteSignature = "IncompleteSignature"
        case signatureDoesNotMatch = "SignatureDoesNotMatch"
        case accessDenied = "AccessDenied"
        case invalidClientTokenId = "InvalidClientTokenId"
    }
    public var code: Code
    public var message: String
    public var httpStatus: Int { code == .incompleteSignature ? 400 : 403 }
    public init(_ code: Code, _ message: String) { self.code = code; self.message = message }
}

/// A derived signing key (`kSigning`), cacheable per key, date, region and service.
public struct SigningKey: Sendable {
    let bytes: [UInt8]
    public init(bytes: [UInt8]) { self.bytes = bytes }
    var key: SymmetricKey { SymmetricKey(data: bytes) }
}

/// Signature Version 4: parse, canonicalize, derive, sign and verify.
public enum SigV4 {
    static let algorithm = "AWS4-HMAC-SHA256"
    /// AWS refuses requests more than 15 minutes from its clock.
    public static let allowedSkew: TimeInterval = 15 * 60

    static let dateFormat: Date.ISO8601FormatStyle = .iso8601.year().month().day().dateSeparator(.omitted)
        .time(includingFractionalSeconds: false).timeSeparator(.omitted).timeZone(separator: .omitted)

    /// Parses `yyyyMMdd'T'HHmmss'Z'`.
    static func parseAmzDate(_ s: String) -> Date? {
        let b = Array(s.utf8)
        guard b.count == 16, b[8] == UInt8(ascii: "T"), b[15] == UInt8(ascii: "Z") else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r { guard b[i] >= 48 && b[i] <= 57 else { return nil }; v = v * 10 + Int(b[i] - 48) }
            return v
        }
        guard let y = num(0..<4), let mo = num(4..<6), let d = num(6..<8), let h = num(9..<11), let mi = num(11..<13), let se = num(13..<15),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, se < 61 else { return nil }
        var c = DateComponents(); c.year = y; c.month = mo; c.day = d; c.hour = h; c.minute = mi; c.second = se
        var cal = Calendar(identifier: .gregorian); cal.timeZone = TimeZone(identifier: "UTC")!
        return cal.date(from: c)
    }

    /// Formats an instant as `yyyyMMdd'T'HHmmss'Z'`.
    public static func amzDate(_ date: Date) -> String {
        var cal = Calendar(identifier: .gregorian); cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// Reads the authorization of a request from its `Authorization` header or presigned query parameters.
    public static func parse(_ request: SigV4Request) throws(SigV4Error) -> SigV4Authorization {
        if let header = request.header("authorization") {
            return try parseHeader(header, request)
        }
        let query = QueryString.parse(request.query)
        if query["X-Amz-Algorithm"] != nil || query["X-Amz-Signature"] != nil || query["X-Amz-Credential"] != nil {
            return try parsePresigned(query)
        }
        throw SigV4Error(.missingAuthenticationToken, "Request is missing Authentication Token")
    }

    static func parseHeader(_ header: String, _ request: SigV4Request) throws(SigV4Error) -> SigV4Authorization {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix(algorithm + " ") else {
            throw SigV4Error(.incompleteSignature, "Unsupported AWS 'algorithm': '\(trimmed.split(separator: " ").first.map(String.init) ?? "")'")
        }
        var fields: [String: String] = [:]
        for part in trimmed.dropFirst(algorithm.count + 1).split(separator: ",") {
            let kv = part.trimmingCharacters(in: .whitespaces)
            guard let eq = kv.firstIndex(of: "=") else {
                throw SigV4Error(.incompleteSignature, "Authorization header requires each component to be of the form key=value. '\(kv)' is not.")
            }
            fields[String(kv[..<eq])] = String(kv[kv.index(after: eq)...])
        }
        var missing: [String] = []
        for name in ["Credential", "SignedHeaders", "Signature"] where fields[name] == nil {
            missing.append("Authorization header requires '\(name)' parameter.")
        }
        let amz = request.header("x-amz-date") ?? request.header("date")
        if amz == nil { missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.") }
        if !missing.isEmpty { throw SigV4Error(.incompleteSignature, missing.joined(separator: " ") + " Authorization=\(trimmed)") }
        let scope = try parseCredential(fields["Credential"]!)
        guard let amzDate = amz, let time = parseAmzDate(amzDate) ?? parseHTTPDate(amzDate) else {
            throw SigV4Error(.incompleteSignature, "Date must be in ISO-8601 'basic format'. Got '\(amz ?? "")'. See http://en.wikipedia.org/wiki/ISO_8601")
        }
        return SigV4Authorization(
            accessKeyID: scope.key, date: scope.date, region: scope.region, service: scope.service,
            signedHeaders: fields["SignedHeaders"]!.split(separator: ";").map { $0.lowercased() },
            signature: fields["Signature"]!, amzDate: parseAmzDate(amzDate) != nil ? amzDate : amzDateString(time), requestTime: time,
            securityToken: request.header("x-amz-security-token"), expires: nil, isPresigned: false)
    }

    static func amzDateString(_ d: Date) -> String { amzDate(d) }

    static func parseHTTPDate(_ s: String) -> Date? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return f.date(from: s)
    }

    static func parsePresigned(_ q: [String: String]) throws(SigV4Error) -> SigV4Authorization {
        var missing: [String] = []
        for name in ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date"] where q[name] == nil {
            missing.append("AWS query-string parameters must include '\(name)'.")
        }
        if !missing.isEmpty { throw SigV4Error(.incompleteSignature, missing.joined(separator: " ") + " Re-examine the query-string parameters.") }
        guard q["X-Amz-Algorithm"] == algorithm else {
            throw SigV4Error(.incompleteSignature, "X-Amz-Algorithm only supports \"\(algorithm)\"")
        }
        let scope = try parseCredential(q["X-Amz-Credential"]!)
        guard let time = parseAmzDate(q["X-Amz-Date"]!) else {
            throw SigV4Error(.incompleteSignature, "Date must be in ISO-8601 'basic format'. Got '\(q["X-Amz-Date"]!)'.")
        }
        var expires: Int? = nil
        if let e = q["X-Amz-Expires"] {
            guard let v = Int(e), v >= 0 else { throw SigV4Error(.incompleteSignature, "X-Amz-Expires must be non-negative") }
            guard v <= 604_800 else { throw SigV4Error(.incompleteSignature, "X-Amz-Expires must be less than a week (in seconds) that is 604800") }
            expires = v
        }
        return SigV4Authorization(
            accessKeyID: scope.key, date: scope.date, region: scope.region, service: scope.service,
            signedHeaders: q["X-Amz-SignedHeaders"]!.split(separator: ";").map { $0.lowercased() },
            signature: q["X-Amz-Signature"]!, amzDate: q["X-Amz-Date"]!, requestTime: time,
            securityToken: q["X-Amz-Security-Token"], expires: expires, isPresigned: true)
    }

    static func parseCredential(_ credential: String) throws(SigV4Error) -> (key: String, date: String, region: String, service: String) {
        let parts = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts[4] == "aws4_request", !parts[0].isEmpty, parts[1].utf8.count == 8 else {
            throw SigV4Error(.incompleteSignature, "Credential should be scoped to a valid region, not '\(parts.count > 2 ? parts[2] : "")'. ")
        }
        return (parts[0], parts[1], parts[2], parts[3])
    }

    /// Derives `kSigning` = HMAC chain over date, region, service and "aws4_request".
    public static func deriveSigningKey(secret: String, date: String, region: String, service: String) -> SigningKey {
        func hmac(_ key: [UInt8], _ data: String) -> [UInt8] {
            Array(HMAC<SHA256>.authenticationCode(for: Array(data.utf8), using: SymmetricKey(data: key)))
        }
        let kDate = hmac(Array(("AWS4" + secret).utf8), date)
        return SigningKey(bytes: hmac(hmac(hmac(kDate, region), service), "aws4_request"))
    }

    /// The canonical request of AWS's specification.
    public static func canonicalRequest(_ request: SigV4Request, _ auth: SigV4Authorization) -> String {
        var out = request.method.uppercased() + "\n"
        out += canonicalURI(request.path) + "\n"
        out += QueryString.canonical(request.query, excluding: auth.isPresigned ? "X-Amz-Signature" : nil) + "\n"
        for name in auth.signedHeaders {
            let values = request.headers.filter { $0.name.lowercased() == name }.map { collapse($0.value) }
            out += name + ":" + values.joined(separator: ",") + "\n"
        }
        out += "\n" + auth.signedHeaders.joined(separator: ";") + "\n"
        out += auth.isPresigned && request.header("x-amz-content-sha256") == nil ? emptyHash(request) : request.payloadSHA256Hex
        return out
    }

    static func emptyHash(_ r: SigV4Request) -> String { r.payloadSHA256Hex }

    /// Trims and collapses runs of spaces, as AWS does for header values.
    static func collapse(_ v: String) -> String {
        var out = ""
        var lastSpace = false
        for ch in v.trimmingCharacters(in: .whitespaces) {
            if ch == " " || ch == "\t" { if !lastSpace { out.append(" ") }; lastSpace = true } else { out.append(ch); lastSpace = false }
        }
        return out
    }

    /// For non-S3 services the path is normalized and each segment encoded (the received path is decoded
    /// once and re-encoded, which matches botocore's double encoding of the original path).
    static func canonicalURI(_ path: String) -> String {
        if path.isEmpty { return "/" }
        var segments: [String] = []
        for seg in path.split(separator: "/", omittingEmptySubsequences: true) {
            if seg == "." { continue }
            if seg == ".." { _ = segments.popLast(); continue }
            segments.append(QueryString.encode(String(seg), encodeSlash: true))
        }
        var result = "/" + segments.joined(separator: "/")
        if path.hasSuffix("/") && !segments.isEmpty { result += "/" }
        return result
    }

    /// The string to sign.
    public static func stringToSign(_ canonical: String, _ auth: SigV4Authorization) -> String {
        let hash = hex(SHA256.hash(data: Array(canonical.utf8)))
        return "\(algorithm)\n\(auth.amzDate)\n\(auth.date)/\(auth.region)/\(auth.service)/aws4_request\n\(hash)"
    }

    /// The signature of a request with a signing key.
    public static func signature(_ request: SigV4Request, _ auth: SigV4Authorization, signingKey: SigningKey) -> String {
        let sts = stringToSign(canonicalRequest(request, auth), auth)
        return hex(HMAC<SHA256>.authenticationCode(for: Array(sts.utf8), using: signingKey.key))
    }

    /// Verifies the signature, the clock skew and presigned expiry.
    public static func verify(_ request: SigV4Request, _ auth: SigV4Authorization, signingKey: SigningKey, now: Date) throws(SigV4Error) {
        if !auth.signedHeaders.contains("host") {
            throw SigV4Error(.signatureDoesNotMatch, "'Host' must be a 'SignedHeader' in the AWS Authorization.")
        }
        if auth.isPresigned {
            let expires = TimeInterval(auth.expires ?? 900)
            if now > auth.requestTime.addingTimeInterval(expires) {
                throw SigV4Error(.accessDenied, "Request has expired")
            }
            if auth.requestTime > now.addingTimeInterval(allowedSkew) {
                throw SigV4Error(.signatureDoesNotMatch, "Signature not yet current: \(auth.amzDate) is still later than \(amzDate(now.addingTimeInterval(allowedSkew))) (\(amzDate(now)) + 15 min.)")
            }
        } else {
            if auth.requestTime < now.addingTimeInterval(-allowedSkew) {
                throw SigV4Error(.signatureDoesNotMatch, "Signature expired: \(auth.amzDate) is now earlier than \(amzDate(now.addingTimeInterval(-allowedSkew))) (\(amzDate(now)) - 15 min.)")
            }
            if auth.requestTime > now.addingTimeInterval(allowedSkew) {
                throw SigV4Error(.signatureDoesNotMatch, "Signature not yet current: \(auth.amzDate) is still later than \(amzDate(now.addingTimeInterval(allowedSkew))) (\(amzDate(now)) + 15 min.)")
            }
        }
        if !auth.amzDate.hasPrefix(auth.date) {
            throw SigV4Error(.signatureDoesNotMatch, "Credential should be scoped to a valid date, \(auth.amzDate.prefix(8)), not \(auth.date).")
        }
        let expected = signature(request, auth, signingKey: signingKey)
        guard constantTimeEqual(Array(expected.utf8), Array(auth.signature.lowercased().utf8)) else {
            throw SigV4Error(.signatureDoesNotMatch, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
        }
    }

    /// Equality in time that depends only on the lengths.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var d: UInt8 = 0
        for i in 0..<a.count { d |= a[i] ^ b[i] }
        return d == 0
    }

    static let hexDigits = Array("0123456789abcdef".utf8)
    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in bytes { out.append(hexDigits[Int(b >> 4)]); out.append(hexDigits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
    static func hex(_ digest: SHA256.Digest) -> String { hex(Array(digest)) }
    static func hex(_ mac: HashedAuthenticationCode<SHA256>) -> String { hex(Array(mac)) }

    /// Hex SHA-256 of bytes.
    public static func sha256Hex(_ bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }
}
