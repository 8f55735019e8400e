import Crypto
import Foundation
import Testing
import _CryptoExtras
@testable import WardenService

@Suite struct JWTTests {
    static func b64(_ s: String) -> String { JWT.base64URLEncode(Array(s.utf8)) }

    static func token(header: String, claims: String, sign: ([UInt8]) throws -> [UInt8]) rethrows -> String {
        let input = "\(b64(header)).\(b64(claims))"
        return input + "." + JWT.base64URLEncode(try sign(Array(input.utf8)))
    }

    @Test func parsesClaimsAndAudiences() throws {
        let t = try JWT.parse(Self.token(header: #"{"alg":"ES256","kid":"k1"}"#,
                                         claims: #"{"iss":"https://idp.example","sub":"u1","aud":["a","b"],"exp":1700000000,"email_verified":true}"#) { _ in [1] })
        #expect(t.algorithm == "ES256" && t.keyID == "k1")
        #expect(t.string("sub") == "u1")
        #expect(t.audiences == ["a", "b"])
        #expect(t.date("exp") == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(t.stringValues("email_verified") == ["true"])
    }

    @Test func refusesMalformedTokens() {
        for bad in ["", "a.b", "a.b.c.d", "!!.e30.AA", "e30.e30.", "\(Self.b64("{}")).\(Self.b64("{}")).AA"] {
            #expect(throws: JWT.Malformed.self) { try JWT.parse(bad) }
        }
    }

    @Test func verifiesES256AndRejectsTampering() throws {
        let key = P256.Signing.PrivateKey()
        let raw = Array(key.publicKey.rawRepresentation)
        let jwk = JWK(kty: "EC", kid: "k1", alg: "ES256", use: "sig", n: nil, e: nil, crv: "P-256",
                      x: JWT.base64URLEncode(Array(raw[0..<32])), y: JWT.base64URLEncode(Array(raw[32...])))
        let token = try Self.token(header: #"{"alg":"ES256","kid":"k1"}"#, claims: #"{"sub":"x"}"#) {
            Array(try key.signature(for: $0).rawRepresentation)
        }
        #expect(try JWT.parse(token).verify(with: jwk))
        let forged = token.replacingOccurrences(of: Self.b64(#"{"sub":"x"}"#), with: Self.b64(#"{"sub":"y"}"#))
        #expect(try !JWT.parse(forged).verify(with: jwk))
        var other = jwk
        other.x = JWT.base64URLEncode(Array(P256.Signing.PrivateKey().publicKey.rawRepresentation.prefix(32)))
        #expect(try !JWT.parse(token).verify(with: other))
    }

    @Test func verifiesRS256AndRefusesAlgorithmConfusion() throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let prims = try key.publicKey.getKeyPrimitives()
        let jwk = JWK(kty: "RSA", kid: "r1", alg: nil, use: nil, n: JWT.base64URLEncode(Array(prims.modulus)),
                      e: JWT.base64URLEncode(Array(prims.publicExponent)), crv: nil, x: nil, y: nil)
        let token = try Self.token(header: #"{"alg":"RS256","kid":"r1"}"#, claims: #"{"sub":"x"}"#) {
            Array(try key.signature(for: SHA256.hash(data: $0), padding: .insecurePKCS1v1_5).rawRepresentation)
        }
        #expect(try JWT.parse(token).verify(with: jwk))
        // The same signature presented as another algorithm, or "none", never verifies.
        let parts = token.split(separator: ".")
        for alg in ["HS256", "none", "ES256"] {
            let swapped = "\(Self.b64("{\"alg\":\"\(alg)\",\"kid\":\"r1\"}")).\(parts[1]).\(parts[2])"
            #expect(try !JWT.parse(swapped).verify(with: jwk))
        }
        let set = JWKSet(keys: [jwk, JWK(kty: "RSA", kid: "other", alg: nil, use: "enc", n: nil, e: nil, crv: nil, x: nil, y: nil)])
        #expect(set.candidates(for: try JWT.parse(token)) == [jwk])
    }

    @Test func base64URLRoundTrips() {
        for n in 0..<40 {
            let bytes = (0..<n).map { UInt8(($0 * 37 + 11) & 0xFF) }
            #expect(JWT.base64URLDecode(JWT.base64URLEncode(bytes)) == bytes)
        }
    }
}
