import Crypto
import Foundation

/// A client-side signer (for tests and the load generator): signs a request like botocore does.
public struct SigV4Signer: Sendable {
    public var accessKeyID: String
    public var secret: String
    public var region: String
    public var service: String
    public var sessionToken: String?

    public init(accessKeyID: String, secret: String, region: String, service: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID; self.secret = secret; self.region = region; self.service = service; self.sessionToken = sessionToken
    }

    /// Adds `X-Amz-Date`, the security token and `Authorization` to a request with a `host` header.
    public func sign(_ request: SigV4Request, body: [UInt8], date: Date) -> SigV4Request {
        var r = request
        let amz = SigV4.amzDate(date)
        r.headers.append(("X-Amz-Date", amz))
        if let t = sessionToken { r.headers.append(("X-Amz-Security-Token", t)) }
        r.payloadSHA256Hex = SigV4.sha256Hex(body)
        let signed = r.headers.map { $0.name.lowercased() }.filter { $0 != "authorization" && $0 != "user-agent" }
        let names = Array(Set(signed)).sorted()
        let auth = SigV4Authorization(accessKeyID: accessKeyID, date: String(amz.prefix(8)), region: region, service: service,
                                      signedHeaders: names, signature: "", amzDate: amz, requestTime: date,
                                      securityToken: sessionToken, expires: nil, isPresigned: false)
        let key = SigV4.deriveSigningKey(secret: secret, date: auth.date, region: region, service: service)
        let sig = SigV4.signature(r, auth, signingKey: key)
        r.headers.append(("Authorization", "AWS4-HMAC-SHA256 Credential=\(accessKeyID)/\(auth.date)/\(region)/\(service)/aws4_request, SignedHeaders=\(names.joined(separator: ";")), Signature=\(sig)"))
        return r
    }
}
