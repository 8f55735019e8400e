import Foundation
import Testing
@testable import WardenSigV4

/// Constant-time comparison and the signing-key cache.
@Suite struct CompareAndCacheTests {
    @Test func constantTimeEqual() {
        #expect(SigV4.constantTimeEqual([], []))
        #expect(SigV4.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!SigV4.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!SigV4.constantTimeEqual([0, 2, 3], [1, 2, 3]))
        #expect(!SigV4.constantTimeEqual([1, 2], [1, 2, 3]))
        for i in 0..<32 {
            var b = [UInt8](repeating: 7, count: 32)
            b[i] ^= 0x80
            #expect(!SigV4.constantTimeEqual(b, [UInt8](repeating: 7, count: 32)))
        }
    }

    @Test func signatureMatchesDecodesHexOfEitherCase() {
        let expected: [UInt8] = (0..<32).map { UInt8($0 * 8 + 1) }
        let hex = expected.map { String(format: "%02x", $0) }.joined()
        func matches(_ s: String) -> Bool {
            Array(s.utf8).withUnsafeBufferPointer { g in expected.withUnsafeBytes { SigV4.signatureMatches(g, $0) } }
        }
        #expect(matches(hex))
        #expect(matches(hex.uppercased()))
        #expect(!matches(String(hex.dropLast())))
        #expect(!matches(hex + "0"))
        #expect(!matches(String(hex.dropLast()) + "g"))
        #expect(!matches(""))
        for i in stride(from: 0, to: 64, by: 7) {
            var chars = Array(hex)
            chars[i] = chars[i] == "0" ? "1" : "0"
            #expect(!matches(String(chars)), "\(i)")
        }
    }

    @Test func derivedKeyMatchesAWSExample() {
        // AWS's documented example: secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20150830, us-east-1, iam.
        let key = SigV4.deriveSigningKey(secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", date: "20150830", region: "us-east-1", service: "iam")
        #expect(key.bytes.map { String(format: "%02x", $0) }.joined() == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")
    }

    @Test func cacheReusesAndFollowsTheSecret() {
        let cache = SigningKeyCache()
        let a = cache.key(accessKeyID: "AKID", secret: "one", date: "20261123", region: "us-east-1", service: "iam")
        let again = cache.key(accessKeyID: "AKID", secret: "one", date: "20261123", region: "us-east-1", service: "iam")
        #expect(a.bytes == again.bytes)
        #expect(cache.count == 1)
        let rotated = cache.key(accessKeyID: "AKID", secret: "two", date: "20261123", region: "us-east-1", service: "iam")
        #expect(rotated.bytes != a.bytes)
        #expect(rotated.bytes == SigV4.deriveSigningKey(secret: "two", date: "20261123", region: "us-east-1", service: "iam").bytes)
        #expect(cache.count == 1)
        // Back to the first secret: derived again, never the stale key.
        #expect(cache.key(accessKeyID: "AKID", secret: "one", date: "20261123", region: "us-east-1", service: "iam").bytes == a.bytes)
        // Every part of the scope is part of the key.
        let other = [
            cache.key(accessKeyID: "AKID2", secret: "one", date: "20261123", region: "us-east-1", service: "iam"),
            cache.key(accessKeyID: "AKID", secret: "one", date: "20261124", region: "us-east-1", service: "iam"),
            cache.key(accessKeyID: "AKID", secret: "one", date: "20261123", region: "eu-west-1", service: "iam"),
            cache.key(accessKeyID: "AKID", secret: "one", date: "20261123", region: "us-east-1", service: "sts"),
        ]
        // The key material does not depend on the access key id, only on secret and scope.
        #expect(other[0].bytes == a.bytes)
        #expect(Set(other.dropFirst().map(\.bytes)).count == 3 && !other.dropFirst().contains { $0.bytes == a.bytes })
        #expect(cache.count == 5)
    }

    @Test func cacheRemovesAnAccessKey() {
        let cache = SigningKeyCache()
        for d in ["20261123", "20261124"] {
            _ = cache.key(accessKeyID: "AKID", secret: "s", date: d, region: "us-east-1", service: "iam")
            _ = cache.key(accessKeyID: "AKID2", secret: "s", date: d, region: "us-east-1", service: "iam")
        }
        cache.remove(accessKeyID: "AKID")
        #expect(cache.count == 2)
        cache.removeAll()
        #expect(cache.count == 0)
    }

    @Test func cacheIsBoundedAndKeepsRecentlyUsedKeys() {
        let cache = SigningKeyCache(capacity: 10)
        let hot = cache.key(accessKeyID: "HOT", secret: "s", date: "20261123", region: "us-east-1", service: "iam")
        for i in 0..<100 {
            _ = cache.key(accessKeyID: "K\(i)", secret: "s", date: "20261123", region: "us-east-1", service: "iam")
            #expect(cache.key(accessKeyID: "HOT", secret: "s", date: "20261123", region: "us-east-1", service: "iam").bytes == hot.bytes)
            #expect(cache.count <= 10)
        }
    }

    @Test func cacheIsSafeUnderConcurrency() async {
        let cache = SigningKeyCache(capacity: 16)
        await withTaskGroup(of: Bool.self) { group in
            for t in 0..<8 {
                group.addTask {
                    var ok = true
                    for i in 0..<500 {
                        let id = "K\((i + t) % 24)", secret = "secret-\(i % 3)"
                        let key = cache.key(accessKeyID: id, secret: secret, date: "20261123", region: "us-east-1", service: "iam")
                        ok = ok && key.bytes == SigV4.deriveSigningKey(secret: secret, date: "20261123", region: "us-east-1", service: "iam").bytes
                        if i % 97 == 0 { cache.remove(accessKeyID: id) }
                    }
                    return ok
                }
            }
            for await ok in group { #expect(ok) }
        }
        #expect(cache.count <= 16)
    }

    @Test func verifyingWithACachedKeyFromManyThreads() async throws {
        let v = Vectors.named("session token header")
        let cache = SigningKeyCache()
        let auth = try SigV4.parse(v.request)
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<200 {
                        let key = cache.key(accessKeyID: auth.accessKeyID, secret: v.secret, date: auth.date, region: auth.region, service: auth.service)
                        do { try SigV4.verify(v.request, auth, signingKey: key, now: v.signedAt) } catch { return false }
                    }
                    return true
                }
            }
            for await ok in group { #expect(ok) }
        }
    }
}
