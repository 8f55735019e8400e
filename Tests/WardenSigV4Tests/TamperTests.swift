import Foundation
import Testing
@testable import WardenSigV4

/// Any change to a signed part of a request breaks the signature; unsigned parts do not matter.
@Suite struct TamperTests {
    static let base = Vectors.named("header whitespace collapsed")
    static let presigned = Vectors.named("presigned token")

    func verifyError(_ r: SigV4Request, _ v: BotocoreVector = base, key: SigningKey? = nil) -> SigV4Error? {
        do {
            let auth = try SigV4.parse(r)
            try SigV4.verify(r, auth, signingKey: key ?? v.key, now: v.signedAt)
            return nil
        } catch { return error }
    }

    @Test func signedPartsAreProtected() {
        let v = Self.base
        var changes: [(String, (inout SigV4Request) -> Void)] = [
            ("method", { $0.method = "PUT" }),
            ("path", { $0.path = "/x" }),
            ("query", { $0.query = "a=1" }),
            ("body", { $0.payloadSHA256Hex = SigV4.sha256Hex(Array("Action=DeleteUser".utf8)) }),
            ("signed header value", { r in r.headers = r.headers.map { $0.name == "X-Custom" ? ($0.name, "a b d") : $0 } }),
            ("signed header repeated", { $0.headers.append(("x-custom", "more")) }),
            ("host", { r in r.headers = r.headers.map { $0.name == "Host" ? ($0.name, "evil.example") : $0 } }),
        ]
        changes.append(("signature flipped", { r in
            r.headers = r.headers.map { h in
                guard h.name == "Authorization" else { return h }
                let last = h.value.last == "0" ? "1" : "0"
                return (h.name, String(h.value.dropLast()) + last)
            }
        }))
        for (label, change) in changes {
            var r = v.request
            change(&r)
            #expect(verifyError(r) == .signatureDoesNotMatch, "\(label)")
        }
    }

    @Test func unsignedPartsDoNotMatter() {
        var r = Self.base.request
        r.headers.append(("User-Agent", "curl/8"))
        r.headers.append(("X-Unsigned", "anything"))
        r.headers = r.headers.map { $0.name == "X-Custom" ? ("x-CUSTOM", "\t a  b c ") : $0 }  // same canonical value
        #expect(verifyError(r) == nil)
    }

    @Test func wrongSecretOrScopeDoesNotVerify() {
        let v = Self.base
        let wrong = SigV4.deriveSigningKey(secret: v.secret + "x", date: "20261123", region: v.region, service: v.service)
        #expect(verifyError(v.request, key: wrong) == .signatureDoesNotMatch)
        let otherService = SigV4.deriveSigningKey(secret: v.secret, date: "20261123", region: v.region, service: "sts")
        #expect(verifyError(v.request, key: otherService) == .signatureDoesNotMatch)
    }

    @Test func presignedParametersAreProtected() {
        let v = Self.presigned
        for (from, to) in [("Version=2011-06-15", "Version=2010-05-08"), ("X-Amz-Expires=900", "X-Amz-Expires=901"),
                           ("X-Amz-Security-Token=IQoJ", "X-Amz-Security-Token=XQoJ")] {
            var r = v.request
            r.query = r.query.replacingOccurrences(of: from, with: to)
            #expect(r.query != v.query)
            #expect(verifyError(r, v) == .signatureDoesNotMatch, "\(from)")
        }
        var added = v.request
        added.query += "&Extra=1"
        #expect(verifyError(added, v) == .signatureDoesNotMatch)
    }

    @Test func contentSHA256HeaderMustMatchTheBody() throws {
        let v = Vectors.named("post x-amz-content-sha256")
        #expect(verifyError(v.request, v) == nil)
        var r = v.request
        r.payloadSHA256Hex = SigV4.sha256Hex(Array("Action=DeleteUser&UserName=root".utf8))
        #expect(verifyError(r, v) == .contentSHA256Mismatch)
        #expect(SigV4Error.contentSHA256Mismatch.httpStatus == 400)
        var upper = v.request
        upper.payloadSHA256Hex = upper.payloadSHA256Hex.uppercased()
        #expect(verifyError(upper, v) == nil)
    }

    @Test func uppercaseHexSignatureIsAccepted() {
        var r = Self.base.request
        r.headers = r.headers.map { h in
            guard h.name == "Authorization", let range = h.value.range(of: "Signature=") else { return h }
            return (h.name, String(h.value[..<range.upperBound]) + h.value[range.upperBound...].uppercased())
        }
        #expect(verifyError(r) == nil)
    }
}
