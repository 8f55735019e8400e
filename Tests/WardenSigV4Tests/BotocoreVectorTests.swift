import Foundation
import Testing
@testable import WardenSigV4

/// Vectors produced by botocore's own signer (scripts/gen-sigv4-vectors.py).
struct BotocoreVector: Decodable {
    var name, method, path, query, body, secret, canonicalRequest, stringToSign, signature: String
    var headers: [[String]]

    var request: SigV4Request {
        SigV4Request(method: method, path: path, query: query, headers: headers.map { ($0[0], $0[1]) },
                     payloadSHA256Hex: SigV4.sha256Hex(Array(body.unicodeScalars.map { UInt8($0.value) })))
    }
}

struct VectorFile: Decodable { var amzDate: String; var vectors: [BotocoreVector] }

func loadVectors() throws -> VectorFile {
    let url = try #require(Bundle.module.url(forResource: "botocore", withExtension: "json", subdirectory: "Vectors"))
    return try JSONDecoder().decode(VectorFile.self, from: Data(contentsOf: url))
}

@Suite struct BotocoreVectorTests {
    @Test func canonicalRequestsAndSignaturesMatchBotocore() throws {
        let file = try loadVectors()
        #expect(file.vectors.count >= 10)
        let now = try #require(SigV4.parseAmzDate(file.amzDate))
        for v in file.vectors {
            let auth = try SigV4.parse(v.request)
            #expect(SigV4.canonicalRequest(v.request, auth) == v.canonicalRequest, "\(v.name)")
            #expect(SigV4.stringToSign(SigV4.canonicalRequest(v.request, auth), auth) == v.stringToSign, "\(v.name)")
            let key = SigV4.deriveSigningKey(secret: v.secret, date: auth.date, region: auth.region, service: auth.service)
            #expect(SigV4.signature(v.request, auth, signingKey: key) == v.signature, "\(v.name)")
            #expect(throws: Never.self, "\(v.name)") { try SigV4.verify(v.request, auth, signingKey: key, now: now) }
        }
    }

    @Test func aWrongSecretOrAlteredBodyDoesNotVerify() throws {
        let file = try loadVectors()
        let now = try #require(SigV4.parseAmzDate(file.amzDate))
        let v = file.vectors[0]
        let auth = try SigV4.parse(v.request)
        let wrong = SigV4.deriveSigningKey(secret: "x" + v.secret.dropFirst(), date: auth.date, region: auth.region, service: auth.service)
        #expect(throws: SigV4Error.self) { try SigV4.verify(v.request, auth, signingKey: wrong, now: now) }
        var tampered = v.request
        tampered.payloadSHA256Hex = SigV4.sha256Hex(Array("Action=DeleteUser".utf8))
        let key = SigV4.deriveSigningKey(secret: v.secret, date: auth.date, region: auth.region, service: auth.service)
        #expect(throws: SigV4Error(.signatureDoesNotMatch, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")) {
            try SigV4.verify(tampered, auth, signingKey: key, now: now)
        }
    }

    @Test func clockSkewAndPresignedExpiry() throws {
        let file = try loadVectors()
        let then = try #require(SigV4.parseAmzDate(file.amzDate))
        let header = file.vectors[0], presigned = try #require(file.vectors.first { $0.name == "presigned" })
        for (v, later, code) in [(header, 16.0 * 60, SigV4Error.Code.signatureDoesNotMatch), (presigned, 301.0, .accessDenied)] {
            let auth = try SigV4.parse(v.request)
            let key = SigV4.deriveSigningKey(secret: v.secret, date: auth.date, region: auth.region, service: auth.service)
            #expect(throws: Never.self) { try SigV4.verify(v.request, auth, signingKey: key, now: then.addingTimeInterval(60)) }
            do {
                try SigV4.verify(v.request, auth, signingKey: key, now: then.addingTimeInterval(later))
                Issue.record("\(v.name) should have expired")
            } catch { #expect(error.code == code) }
        }
    }

    @Test func malformedAuthorizationIsIncomplete() {
        func parse(_ auth: String?, date: String? = "20261123T120000Z", query: String = "") -> SigV4Error.Code? {
            var headers: [(name: String, value: String)] = [("Host", "h")]
            if let auth { headers.append(("Authorization", auth)) }
            if let date { headers.append(("X-Amz-Date", date)) }
            do { _ = try SigV4.parse(SigV4Request(method: "GET", path: "/", query: query, headers: headers, payloadSHA256Hex: "")); return nil } catch { return error.code }
        }
        #expect(parse(nil) == .missingAuthenticationToken)
        #expect(parse("AWS4-HMAC-SHA256 Credential=AKID/20261123/us-east-1/iam/aws4_request") == .incompleteSignature)
        #expect(parse("AWS4-HMAC-SHA256 Credential=AKID/20261123/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=abc", date: nil) == .incompleteSignature)
        #expect(parse("AWS4-HMAC-SHA256 Credential=AKID/bad, SignedHeaders=host, Signature=abc") == .incompleteSignature)
        #expect(parse("Basic dXNlcjpwYXNz") == .incompleteSignature)
        #expect(parse(nil, date: nil, query: "X-Amz-Algorithm=AWS4-HMAC-SHA256") == .incompleteSignature)
        #expect(parse("AWS4-HMAC-SHA256 Credential=AKID/20261123/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=abc") == nil)
    }

    @Test func signingKeyCacheFollowsTheSecret() {
        let cache = SigningKeyCache()
        let a = cache.key(accessKeyID: "AKID", secret: "one", date: "20261123", region: "us-east-1", service: "iam")
        let b = cache.key(accessKeyID: "AKID", secret: "two", date: "20261123", region: "us-east-1", service: "iam")
        #expect(a.bytes != b.bytes)
        #expect(b.bytes == SigV4.deriveSigningKey(secret: "two", date: "20261123", region: "us-east-1", service: "iam").bytes)
        #expect(SigV4.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!SigV4.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!SigV4.constantTimeEqual([1, 2], [1, 2, 3]))
    }
}
