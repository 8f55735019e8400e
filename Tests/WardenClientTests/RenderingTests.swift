import Foundation
import Testing
import WardenWire
@testable import WardenClient

/// The `--json` contract, the text for a person, and the exit statuses.
@Suite struct RenderingTests {
    static let checkKeys = ["id", "title", "severity", "status", "practice", "references", "fix", "findings"]

    @Test func checksJSONParsesBackFieldByField() throws {
        let text = PrettyJSON.format(SecurityJSON.checks(Samples.report.checks))
        #expect(text.hasPrefix("{\n  \"checks\": [\n    {\n      \"id\": \"root-mfa\",\n"))
        #expect(text.hasSuffix("}\n"))
        let parsed = try WireJSON(parsing: text)
        #expect(parsed.objectValue?.map(\.key) == ["checks"])
        let checks = try #require(parsed["checks"]?.arrayValue)
        #expect(checks.count == Samples.report.checks.count)
        for (json, check) in zip(checks, Samples.report.checks) {
            #expect(json.objectValue?.map(\.key) == Self.checkKeys)
            #expect(json["id"]?.stringValue == check.id)
            #expect(json["title"]?.stringValue == check.title)
            #expect(json["severity"]?.stringValue == check.severity)
            #expect(json["status"]?.stringValue == check.status)
            #expect(json["practice"]?.stringValue == check.practice)
            #expect(json["references"]?.arrayValue?.compactMap(\.stringValue) == check.references)
            #expect(json["fix"]?.stringValue == check.fix)
            let findings = try #require(json["findings"]?.arrayValue)
            #expect(findings.count == check.findings.count)
            for (f, finding) in zip(findings, check.findings) {
                #expect(f.objectValue?.map(\.key) == ["resource", "status", "reason"])
                #expect(f["resource"]?.stringValue == finding.resource)
                #expect(f["status"]?.stringValue == finding.status)
                #expect(f["reason"]?.stringValue == finding.reason)
            }
        }
        // Foundation's parser, independent of WireJSON, reads the same text.
        let foundation = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        let first = (foundation?["checks"] as? [[String: Any]])?.last
        #expect((first?["findings"] as? [[String: Any]])?.first?["reason"] as? String == "\"last used\" data only")
        #expect(PrettyJSON.format(SecurityJSON.checks([])) == "{\n  \"checks\": []\n}\n")
    }

    @Test func alertsAndRemediationsJSON() throws {
        let alerts = try WireJSON(parsing: PrettyJSON.format(SecurityJSON.alerts([Samples.alert])))
        let a = try #require(alerts["alerts"]?[0])
        #expect(a.objectValue?.map(\.key) == ["id", "rule", "severity", "account_id", "time", "event_id", "event_name", "text", "deliveries"])
        #expect(a["time"]?.stringValue == "2026-12-01T00:00:00Z")
        #expect(a["event_name"]?.stringValue == "ConsoleLogin")
        #expect(a["deliveries"]?[0]?["last_error"]?.stringValue == "connection refused")
        #expect(a["deliveries"]?[0]?["delivered_at"]?.isNull == true)
        #expect(a["deliveries"]?[1]?["delivered_at"]?.stringValue == "2026-12-01T00:00:01Z")
        #expect(a["deliveries"]?[1]?["attempts"]?.intValue == 1)

        let r = Remediation(checkID: "root-access-keys", action: "DeactivateAccessKey", resource: "AKIA1", status: "APPLIED",
                            time: Date(timeIntervalSince1970: 1_796_083_200.25))
        let remediations = try WireJSON(parsing: PrettyJSON.format(SecurityJSON.remediations([r])))
        let first = try #require(remediations["remediations"]?[0])
        #expect(first.objectValue?.map(\.key) == ["check_id", "action", "resource", "status", "reason", "time"])
        #expect(first["reason"]?.isNull == true)
        #expect(first["time"]?.stringValue == "2026-12-01T00:00:00.250Z")
    }

    @Test func checksText() {
        let text = SecurityTextRenderer(color: false).checks(Samples.report.checks)
        #expect(text == """
            PASS  CRITICAL  root-mfa          Root user has MFA
            FAIL  CRITICAL  root-access-keys  Root user has no access keys
                  FAIL  arn:aws:iam::123456789012:root — 1 active access key
                  Fix: Delete the root user's access keys.
            FAIL  HIGH      user-mfa          Users with a password have MFA
                  FAIL  arn:aws:iam::123456789012:user/alice — console password, no MFA
                  Fix: Assign an MFA device to each console user.
            PASS  MEDIUM    password-policy   A password policy is set
            INFO  LOW       access-analyzer   Access is reviewed
            2 of 5 checks pass

            """)
        #expect(!text.contains("\u{1B}"))
        let colored = SecurityTextRenderer(color: true).checks(Samples.report.checks)
        #expect(colored.contains("\u{1B}[1;31mFAIL\u{1B}[0m"))
    }

    @Test func alertsAndRemediationsText() {
        let renderer = SecurityTextRenderer()
        #expect(renderer.alerts([Samples.alert]) == """
            2026-12-01T00:00:00Z  HIGH  root-sign-in  The root user signed in (ConsoleLogin, event e-9)
                webhook: FAILED after 3 attempts: connection refused
                log: DELIVERED after 1 attempt
            1 alert

            """)
        #expect(renderer.alerts([]) == "No alerts.\n")
        let time = Date(timeIntervalSince1970: 0)
        let done = [
            Remediation(checkID: "root-access-keys", action: "DeactivateAccessKey", resource: "AKIA1", status: "WOULD_APPLY", time: time),
            Remediation(checkID: "user-mfa", action: "DenyWithoutMFA", resource: "alice", status: "FAILED", reason: "no such user", time: time),
        ]
        #expect(renderer.remediations(done, dryRun: true) == """
            WOULD_APPLY  root-access-keys  DeactivateAccessKey  AKIA1
            FAILED       user-mfa          DenyWithoutMFA  alice — no such user
            1 remediation would apply, 1 failed

            """)
        #expect(renderer.remediations([], dryRun: false) == "No remediations applied.\n")
    }

    @Test func exitStatus() {
        #expect(SecurityExitStatus.forChecks(Samples.report.checks) == 1)
        #expect(SecurityExitStatus.forChecks(Samples.report.checks.filter { !$0.isFailing }) == 0)
        #expect(SecurityExitStatus.forChecks([]) == 0)
        #expect(SecurityExitStatus.error == 2)
    }
}
