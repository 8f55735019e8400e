import Foundation
import Testing
import WardenWire
@testable import WardenClient

/// Decoding JSON 1.1 answers: outputs into the response types, errors into `WardenClientError`.
@Suite struct ResponseTests {
    static func decode(_ status: Int, _ body: String, headers: [(name: String, value: String)] = []) -> Result<WireJSON, WardenClientError> {
        do throws(WardenClientError) {
            return .success(try JSONRPCResponse.decode(status: status, headers: headers, body: Array(body.utf8)))
        } catch {
            return .failure(error)
        }
    }

    static func error(_ status: Int, _ body: String, headers: [(name: String, value: String)] = []) -> WardenClientError? {
        if case .failure(let e) = decode(status, body, headers: headers) { return e }
        return nil
    }

    @Test func awsErrors() {
        let denied = Self.error(400, #"{"__type":"AccessDeniedException","message":"User: arn:aws:iam::123456789012:user/u is not authorized to perform: warden:GetSecurityStatus"}"#)
        #expect(denied?.kind == .service)
        #expect(denied?.code == "AccessDeniedException")
        #expect(denied?.httpStatus == 400)
        #expect(denied?.description == "AccessDeniedException: User: arn:aws:iam::123456789012:user/u is not authorized to perform: warden:GetSecurityStatus")
        let prefixed = Self.error(400, #"{"__type":"com.amazonaws.warden#ValidationException","Message":"bad"}"#)
        #expect(prefixed?.code == "ValidationException")
        #expect(prefixed?.message == "bad")
        let header = Self.error(403, #"{"message":"nope"}"#, headers: [("x-amzn-ErrorType", "UnrecognizedClientException:http://internal")])
        #expect(header?.code == "UnrecognizedClientException")
        let html = Self.error(502, "<html>\nBad Gateway\n</html>")
        #expect(html?.code == "HTTP502")
        #expect(html?.message == "<html> Bad Gateway </html>")
        #expect(Self.error(500, "")?.message == "The server answered with HTTP status 500.")
    }

    @Test func successBodies() throws {
        #expect(try Self.decode(200, "").get() == .object([]))
        #expect(Self.error(200, "[1]")?.code == "MalformedResponse")
        #expect(Self.error(200, "{nope")?.kind == .malformedResponse)
    }

    @Test func reportDecodes() throws {
        let report = try SecurityChecksReport(wireJSON: try WireJSON(parsing: Samples.statusBody))
        #expect(report.generatedAt == Date(timeIntervalSince1970: 1_796_083_200.5))
        #expect(report.checks.map(\.id) == Samples.report.checks.map(\.id))
        #expect(report == Samples.report)
    }

    @Test func missingOrWrongMembersNameTheShape() {
        func failure(_ text: String) -> String? {
            do {
                _ = try SecurityChecksReport(wireJSON: try WireJSON(parsing: text))
                return nil
            } catch let e as WardenClientError {
                return e.message
            } catch {
                return "\(error)"
            }
        }
        #expect(failure(#"{"Checks":[]}"#) == "`GetSecurityChecksResponse` has no `GeneratedAt`.")
        #expect(failure(#"{"Checks":[{"Id":"x"}],"GeneratedAt":1}"#) == "`CheckResult` has no `Title`.")
        #expect(failure(#"{"Checks":{},"GeneratedAt":1}"#) == "`GetSecurityChecksResponse.Checks` is not a list.")
        #expect(failure(#"{"Checks":[],"GeneratedAt":"2026-12-01T00:00:00Z","Extra":1}"#) == nil)
    }

    @Test func alertsRemediationsAndPages() throws {
        let page = try ListPage<SecurityAlert>(wireJSON: try WireJSON(parsing: Samples.alertsBody), member: "Alerts", shape: "ListAlertsResponse")
        #expect(page.nextToken == "t2")
        #expect(page.items == [Samples.alert])
        let remediations = try ListPage<Remediation>(
            wireJSON: try WireJSON(parsing: #"{"Remediations":[{"CheckId":"root-access-keys","Action":"DeactivateAccessKey","Resource":"AKIA1","Status":"WOULD_APPLY","Time":1796083200}]}"#),
            member: "Remediations", shape: "ListRemediationsResponse")
        #expect(remediations.nextToken == nil)
        #expect(remediations.items.first?.status == "WOULD_APPLY")
        #expect(remediations.items.first?.reason == nil)
    }
}
