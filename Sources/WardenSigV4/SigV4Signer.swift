import Foundation

/// A client-side signer that signs like botocore (for tests, the benchmark and load generators).
public struct SigV4Signer: Sendable {
    /// The access key id.
    public var accessKeyID: String
    /// The secret access key.
    public var secret: String
    /// The region of the credential scope.
    public var region: String
    /// The service of the credential scope (`iam`, `sts`).
    public var service: String
    /// A session token for temporary credentials.
    public var sessionToken: String?

    /// botocore's SIGNED_HEADERS_BLACKLIST: hop-by-hop and proxy-rewritten headers are never signed.
    static let unsignedHeaders: Set<String> = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id", "authorization",
    ]

    /// Creates a signer for one set of credentials and scope.
    public init(accessKeyID: String, secret: String, region: String, service: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secret = secret
        self.region = region
        self.service = service
        self.sessionToken = sessionToken
    }

    /// The headers to add to a request (`X-Amz-Date`, `X-Amz-Security-Token` with a session token, and
    /// `Authorization`). `headers` must include `Host`; every header but botocore's unsigned ones is signed.
    public func authorizationHeaders(method: String, path: String, query: String, headers: [(name: String, value: String)],
                                     body: [UInt8], date: Date) -> [(name: String, value: String)] {
        let amzDate = AmzTime.format(date)
        var added: [(name: String, value: String)] = [("X-Amz-Date", amzDate)]
        if let sessionToken { added.append(("X-Amz-Security-Token", sessionToken)) }
        let replaced: Set<String> = ["x-amz-date", "x-amz-security-token", "authorization", "date"]
        let all = headers.filter { !replaced.contains($0.name.lowercased()) } + added
        let request = SigV4Request(method: method, path: path, query: query, headers: all, payloadSHA256Hex: SigV4.sha256Hex(body))
        let auth = authorization(signedHeaders: signedHeaderNames(all), amzDate: amzDate, date: date, expires: nil)
        let signature = SigV4.signature(request, auth, signingKey: key(auth))
        added.append(("Authorization", "\(SigV4.algorithm) Credential=\(accessKeyID)/\(auth.credentialScope), SignedHeaders=\(auth.signedHeaders.joined(separator: ";")), Signature=\(signature)"))
        return added
    }

    /// The request with its authorization headers added (earlier `X-Amz-Date`, `Date`, token and
    /// `Authorization` headers replaced) and `payloadSHA256Hex` set from `body`.
    public func sign(_ request: SigV4Request, body: [UInt8], date: Date) -> SigV4Request {
        var r = request
        let added = authorizationHeaders(method: r.method, path: r.path, query: r.query, headers: r.headers, body: body, date: date)
        let replaced: Set<String> = ["x-amz-date", "x-amz-security-token", "authorization", "date"]
        r.headers = r.headers.filter { !replaced.contains($0.name.lowercased()) } + added
        r.payloadSHA256Hex = SigV4.sha256Hex(body)
        return r
    }

    /// A presigned URL's query string, as botocore's SigV4QueryAuth builds it: the operation parameters,
    /// then `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`,
    /// `X-Amz-Security-Token`, and last `X-Amz-Signature`. `headers` must include `Host`; the body is empty.
    public func presignedQuery(method: String, path: String, query: String, headers: [(name: String, value: String)],
                               expires: Int, date: Date) -> String {
        let amzDate = AmzTime.format(date)
        let signed = headers.filter {
            // botocore drops its own default form content type from presigned requests.
            !($0.name.lowercased() == "content-type" && $0.value == "application/x-www-form-urlencoded; charset=utf-8")
        }
        let auth = authorization(signedHeaders: signedHeaderNames(signed), amzDate: amzDate, date: date, expires: expires)
        var params = QueryString.pairs(query)
        params.append(("X-Amz-Algorithm", SigV4.algorithm))
        params.append(("X-Amz-Credential", "\(accessKeyID)/\(auth.credentialScope)"))
        params.append(("X-Amz-Date", amzDate))
        params.append(("X-Amz-Expires", String(expires)))
        params.append(("X-Amz-SignedHeaders", auth.signedHeaders.joined(separator: ";")))
        if let sessionToken { params.append(("X-Amz-Security-Token", sessionToken)) }
        let unsigned = params.map { "\(QueryString.encode($0.0))=\(QueryString.encode($0.1))" }.joined(separator: "&")
        let request = SigV4Request(method: method, path: path, query: unsigned, headers: signed, payloadSHA256Hex: SigV4.emptyPayloadSHA256)
        return unsigned + "&X-Amz-Signature=" + SigV4.signature(request, auth, signingKey: key(auth))
    }

    /// Lowercased, de-duplicated, sorted names of the headers botocore signs.
    func signedHeaderNames(_ headers: [(name: String, value: String)]) -> [String] {
        Set(headers.map { $0.name.lowercased() }).subtracting(Self.unsignedHeaders).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    func authorization(signedHeaders: [String], amzDate: String, date: Date, expires: Int?) -> SigV4Authorization {
        SigV4Authorization(
            accessKeyID: accessKeyID, date: String(amzDate.prefix(8)), region: region, service: service, signedHeaders: signedHeaders,
            signature: "", amzDate: amzDate, requestTime: date, securityToken: sessionToken, expires: expires, isPresigned: expires != nil)
    }

    func key(_ auth: SigV4Authorization) -> SigningKey {
        SigV4.deriveSigningKey(secret: secret, date: auth.date, region: region, service: service)
    }
}
