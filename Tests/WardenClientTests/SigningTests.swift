import Foundation
import Testing
import WardenSigV4
import WardenWire
@testable import WardenClient

/// A request signed by the client is accepted by WardenSigV4's server-side verifier (not a comparison with a
/// string computed the same way), carries the JSON 1.1 headers, and any change to it breaks the signature.
@Suite struct SigningTests {
    static let date = Date(timeIntervalSince1970: 1_796_083_200)  // 2026-12-01T00:00:00Z

    static func configuration(token: String? = nil, region: String = "eu-central-1", endpoint: String = "http://127.0.0.1:8080")
        throws -> ClientConfiguration {
        ClientConfiguration(
            credentials: AWSCredentials(accessKeyID: "AKIASIGNINGTEST00001", secretAccessKey: "signing-secret", sessionToken: token,
                                        source: .environment),
            region: region, endpoint: try ServiceEndpoint(parsing: endpoint))
    }

    /// The request as the server would see it.
    static func received(_ r: JSONRPCRequest) -> SigV4Request {
        SigV4Request(method: r.method, path: r.path, query: "", headers: r.headers, payloadSHA256Hex: SigV4.sha256Hex(r.body))
    }

    /// Parses and verifies as the server does, with the key derived from the secret.
    static func verify(_ request: SigV4Request, secret: String = "signing-secret") throws -> SigV4Authorization {
        let auth = try SigV4.parse(request)
        let key = SigV4.deriveSigningKey(secret: secret, date: auth.date, region: auth.region, service: auth.service)
        try SigV4.verify(request, auth, signingKey: key, now: date.addingTimeInterval(30))
        return auth
    }

    @Test func headersAndBody() throws {
        let input: WireJSON = ["CheckIds": ["root-mfa"]]
        let r = JSONRPCRequest(operation: "GetSecurityChecks", input: input, configuration: try Self.configuration(), date: Self.date)
        #expect(r.method == "POST")
        #expect(r.url == "http://127.0.0.1:8080/")
        #expect(r.header("x-amz-target") == "WardenSecurity_20261201.GetSecurityChecks")
        #expect(r.header("content-type") == "application/x-amz-json-1.1")
        #expect(r.header("host") == "127.0.0.1:8080")
        #expect(r.header("x-amz-date") == "20261201T000000Z")
        #expect(r.header("x-amz-security-token") == nil)
        #expect(try WireJSON(parsing: r.body) == input)
        let authorization = try #require(r.header("authorization"))
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIASIGNINGTEST00001/20261201/eu-central-1/warden/aws4_request, "))
        #expect(authorization.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-target,"))
        #expect(!authorization.contains("signing-secret"))
    }

    @Test func verifierAcceptsTheSignature() throws {
        let r = JSONRPCRequest(operation: "GetSecurityStatus", input: [:], configuration: try Self.configuration(), date: Self.date)
        #expect(r.body == Array("{}".utf8))
        let auth = try Self.verify(Self.received(r))
        #expect(auth.service == "warden")
        #expect(auth.region == "eu-central-1")
        #expect(auth.accessKeyID == "AKIASIGNINGTEST00001")
        #expect(auth.securityToken == nil)
    }

    @Test func sessionTokenIsSentAndSigned() throws {
        let r = JSONRPCRequest(operation: "ListAlerts", input: [:], configuration: try Self.configuration(token: "session-token"), date: Self.date)
        #expect(r.header("x-amz-security-token") == "session-token")
        #expect(!r.description.contains("session-token"))
        #expect(r.description.contains("X-Amz-Target: WardenSecurity_20261201.ListAlerts"))
        #expect(r.header("authorization")?.contains("x-amz-security-token") == true)
        #expect(try Self.verify(Self.received(r)).securityToken == "session-token")
        var swapped = Self.received(r)
        swapped.headers = swapped.headers.map { $0.name.lowercased() == "x-amz-security-token" ? ($0.name, "other-token") : $0 }
        #expect(throws: SigV4Error.self) { try Self.verify(swapped) }
    }

    @Test func anyChangeBreaksTheSignature() throws {
        let r = Self.received(JSONRPCRequest(operation: "RunRemediations", input: ["DryRun": true], configuration: try Self.configuration(), date: Self.date))
        var changes: [(String, (inout SigV4Request) -> Void)] = [
            ("body", { $0.payloadSHA256Hex = SigV4.sha256Hex(Array(#"{"DryRun":false}"#.utf8)) }),
            ("target", { r in r.headers = r.headers.map { $0.name == "X-Amz-Target" ? ($0.name, "WardenSecurity_20261201.ListAlerts") : $0 } }),
            ("host", { r in r.headers = r.headers.map { $0.name == "Host" ? ($0.name, "127.0.0.1:8081") : $0 } }),
            ("path", { $0.path = "/other/" }),
        ]
        changes.append(("content type", { r in r.headers = r.headers.map { $0.name == "Content-Type" ? ($0.name, "application/json") : $0 } }))
        for (label, change) in changes {
            var tampered = r
            change(&tampered)
            #expect(throws: SigV4Error.self, "\(label)") { try Self.verify(tampered) }
        }
        #expect(throws: SigV4Error.self) { try Self.verify(r, secret: "wrong-secret") }
    }

    @Test func basePathAndIPv6Endpoint() throws {
        let r = JSONRPCRequest(operation: "GetSecurityStatus", input: [:], configuration: try Self.configuration(endpoint: "https://[::1]:8443/api"),
                               date: Self.date)
        #expect(r.url == "https://[::1]:8443/api/")
        #expect(r.path == "/api/")
        #expect(r.header("host") == "[::1]:8443")
        _ = try Self.verify(Self.received(r))
    }
}
