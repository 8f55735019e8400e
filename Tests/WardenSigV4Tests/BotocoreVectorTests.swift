import Foundation
import Testing
@testable import WardenSigV4

/// Every vector botocore produced: parse, canonical request, string to sign, signature, verify, and the
/// Swift client signer reproducing botocore's output.
@Suite struct BotocoreVectorTests {
    @Test func thereAreEnoughVectors() {
        #expect(Vectors.all.count >= 40)
        #expect(Vectors.all.contains { $0.presignExpires != nil })
        #expect(Vectors.all.contains { $0.token != nil })
    }

    @Test(arguments: Vectors.all)
    func canonicalRequestStringToSignAndSignatureMatchBotocore(_ v: BotocoreVector) throws {
        let auth = try SigV4.parse(v.request)
        #expect(auth.accessKeyID == v.accessKeyID)
        #expect(auth.region == v.region)
        #expect(auth.service == v.service)
        #expect(auth.amzDate == v.amzDate)
        #expect(auth.securityToken == v.token)
        #expect(auth.isPresigned == (v.presignExpires != nil))
        #expect(auth.expires == v.presignExpires)
        #expect(auth.signature == v.signature)
        let canonical = SigV4.canonicalRequest(v.request, auth)
        #expect(canonical == v.canonicalRequest)
        #expect(SigV4.stringToSign(canonical, auth) == v.stringToSign)
        #expect(SigV4.signature(v.request, auth, signingKey: v.key) == v.signature)
    }

    @Test(arguments: Vectors.all)
    func verifiesAtTheSigningInstantAndWithinTheWindow(_ v: BotocoreVector) throws {
        let auth = try SigV4.parse(v.request)
        for offset in [0.0, -899, 59] {
            #expect(throws: Never.self) { try SigV4.verify(v.request, auth, signingKey: v.key, now: v.signedAt.addingTimeInterval(offset)) }
        }
    }

    @Test(arguments: Vectors.all.filter { $0.presignExpires == nil && !$0.name.hasPrefix("date header") })
    func clientSignerReproducesBotocoreAuthorization(_ v: BotocoreVector) throws {
        let added = v.signer.authorizationHeaders(
            method: v.method, path: v.path, query: v.query,
            headers: v.headersBeforeSigning.map { ($0[0], $0[1]) } + [("Host", try #require(v.request.header("host")))],
            body: v.body, date: v.signedAt)
        let expected = try #require(v.request.header("authorization"))
        #expect(added.last?.name == "Authorization")
        #expect(added.last?.value == expected)
    }

    @Test(arguments: Vectors.all.filter { $0.presignExpires != nil && $0.method == "GET" })
    func clientPresignerReproducesBotocoreQuery(_ v: BotocoreVector) throws {
        let original = try #require(URLComponents(string: v.url))
        let query = v.signer.presignedQuery(
            method: v.method, path: v.path, query: original.percentEncodedQuery ?? "",
            headers: v.headersBeforeSigning.map { ($0[0], $0[1]) } + [("Host", try #require(v.request.header("host")))],
            expires: try #require(v.presignExpires), date: v.signedAt)
        #expect(query == v.query)
    }

    @Test func signedRequestsFromTheClientSignerVerify() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let signer = SigV4Signer(accessKeyID: "AKIAEXAMPLE", secret: "s3cr3t/+=", region: "eu-central-1", service: "iam", sessionToken: "tok")
        let body = Array("Action=ListUsers&Version=2010-05-08".utf8)
        let r = signer.sign(SigV4Request(method: "POST", path: "/", query: "", headers: [("Host", "localhost:8080")], payloadSHA256Hex: ""),
                            body: body, date: now)
        let auth = try SigV4.parse(r)
        #expect(auth.securityToken == "tok")
        let key = SigV4.deriveSigningKey(secret: signer.secret, date: auth.date, region: auth.region, service: auth.service)
        try SigV4.verify(r, auth, signingKey: key, now: now)

        let query = signer.presignedQuery(method: "GET", path: "/", query: "Action=GetCallerIdentity&Version=2011-06-15",
                                          headers: [("Host", "localhost:8080")], expires: 120, date: now)
        let presigned = SigV4Request(method: "GET", path: "/", query: query, headers: [("Host", "localhost:8080")], payloadSHA256Hex: SigV4.emptyPayloadSHA256)
        let pauth = try SigV4.parse(presigned)
        #expect(pauth.isPresigned && pauth.expires == 120 && pauth.securityToken == "tok")
        try SigV4.verify(presigned, pauth, signingKey: key, now: now.addingTimeInterval(120))
    }
}
