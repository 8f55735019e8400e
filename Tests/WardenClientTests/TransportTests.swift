import Foundation
import Testing
import WardenSigV4
import WardenWire
@testable import WardenClient

/// The real HTTP path (AsyncHTTPClient) against a loopback server that verifies every signature as Warden does.
@Suite struct TransportTests {
    static let secret = "transport-secret"

    static func configuration(_ endpoint: String) throws -> ClientConfiguration {
        ClientConfiguration(
            credentials: AWSCredentials(accessKeyID: "AKIATRANSPORT0000001", secretAccessKey: secret, sessionToken: "tok", source: .environment),
            region: "us-west-2", endpoint: try ServiceEndpoint(parsing: endpoint))
    }

    /// The operation named by a request whose signature verifies, else nil.
    static func verifiedOperation(_ r: LoopbackServer.Request) -> String? {
        let request = SigV4Request(method: r.method, path: r.path, query: "", headers: r.headers, payloadSHA256Hex: SigV4.sha256Hex(r.body))
        guard let auth = try? SigV4.parse(request), auth.service == "warden", auth.region == "us-west-2", auth.securityToken == "tok",
              (try? SigV4.verify(request, auth, signingKey: SigV4.deriveSigningKey(secret: secret, date: auth.date, region: auth.region,
                                                                                  service: auth.service), now: Date())) != nil,
              r.header("content-type") == "application/x-amz-json-1.1" else { return nil }
        return r.header("x-amz-target").flatMap { JSONProtocol.operation(target: $0, prefix: JSONRPCRequest.targetPrefix) }
    }

    static let denied = (400, #"{"__type":"AccessDeniedException","message":"not a signed warden request"}"#)

    // Once disabled as flaky: a stopped LoopbackServer closed its listener while its accept loop still waited, so
    // another test's socket could reuse the descriptor and be served by the wrong handler (LoopbackServer.stop).
    @Test func signedCallDecodesTheReport() async throws {
        let server = LoopbackServer { r in
            Self.verifiedOperation(r) == "GetSecurityStatus" ? (200, Samples.statusBody) : Self.denied
        }
        defer { server.stop() }
        let report = try await WardenSecurityClient.withClient(try Self.configuration(server.endpoint)) { client in
            try await client.getSecurityStatus()
        }
        #expect(report == Samples.report)
        #expect(server.requests.first.map { String(decoding: $0.body, as: UTF8.self) } == "{}")
    }

    @Test func alertsFollowNextToken() async throws {
        let server = LoopbackServer { r in
            guard Self.verifiedOperation(r) == "ListAlerts", let body = try? WireJSON(parsing: r.body) else { return Self.denied }
            if body["NextToken"] == nil { return (200, Samples.alertsBody) }
            return (200, Samples.alertsBody.replacingOccurrences(of: #""NextToken":"t2""#, with: #""Other":1"#))
        }
        defer { server.stop() }
        let alerts = try await WardenSecurityClient.withClient(try Self.configuration(server.endpoint)) { client in
            try await client.listAllAlerts()
        }
        #expect(alerts == [Samples.alert, Samples.alert])
        #expect(server.requests.count == 2)
        #expect(server.requests.last.flatMap { try? WireJSON(parsing: $0.body) }?["NextToken"]?.stringValue == "t2")
    }

    @Test func checksAndRemediationsSendTheirMembers() async throws {
        let server = LoopbackServer { r in
            switch Self.verifiedOperation(r) {
            case "GetSecurityChecks": (200, Samples.statusBody)
            case "RunRemediations": (200, #"{"Remediations":[]}"#)
            default: Self.denied
            }
        }
        defer { server.stop() }
        try await WardenSecurityClient.withClient(try Self.configuration(server.endpoint)) { client in
            _ = try await client.getSecurityChecks(checkIDs: ["root-mfa", "user-mfa"])
            #expect(try await client.runRemediations(dryRun: true) == [])
        }
        let bodies = server.requests.map { String(decoding: $0.body, as: UTF8.self) }
        #expect(bodies == [#"{"CheckIds":["root-mfa","user-mfa"]}"#, #"{"DryRun":true}"#])
    }

    @Test func serviceErrorsAreMapped() async throws {
        let server = LoopbackServer { _ in
            (400, #"{"__type":"AccessDeniedException","message":"User: arn:aws:iam::123456789012:user/nobody is not authorized to perform: warden:GetSecurityStatus"}"#)
        }
        defer { server.stop() }
        await #expect(throws: WardenClientError(kind: .service, code: "AccessDeniedException",
                                                message: "User: arn:aws:iam::123456789012:user/nobody is not authorized to perform: warden:GetSecurityStatus",
                                                httpStatus: 400)) {
            try await WardenSecurityClient.withClient(try Self.configuration(server.endpoint)) { client in try await client.getSecurityStatus() }
        }
    }

    @Test func connectionRefusedIsATransportError() async throws {
        let server = LoopbackServer { _ in (200, "{}") }
        let endpoint = server.endpoint
        server.stop()  // nothing listens on the port now
        do {
            _ = try await WardenSecurityClient.withClient(try Self.configuration(endpoint)) { client in try await client.getSecurityStatus() }
            Issue.record("expected a transport error")
        } catch let error as WardenClientError {
            #expect(error.kind == .transport)
            #expect(error.code == "EndpointConnectionError")
            #expect(error.message.contains("`\(endpoint)/`"))
            #expect(!error.description.contains(Self.secret))
        }
    }
}
