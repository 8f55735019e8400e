import Foundation
@testable import WardenClient

/// Sample responses as a Warden server writes them, and the values they decode to.
enum Samples {
    static let statusBody = #"""
        {"Checks":[
          {"Id":"root-mfa","Title":"Root user has MFA","Severity":"CRITICAL","Status":"PASS","Practice":"Lock away the root user",
           "References":["CIS 1.5","prowler iam_root_mfa_enabled"],"Fix":"Enable MFA for the root user.",
           "Findings":[{"Resource":"arn:aws:iam::123456789012:root","Status":"PASS","Reason":"MFA is enabled"}]},
          {"Id":"root-access-keys","Title":"Root user has no access keys","Severity":"CRITICAL","Status":"FAIL","Practice":"Lock away the root user",
           "Fix":"Delete the root user's access keys.",
           "Findings":[{"Resource":"arn:aws:iam::123456789012:root","Status":"FAIL","Reason":"1 active access key"}]},
          {"Id":"user-mfa","Title":"Users with a password have MFA","Severity":"HIGH","Status":"FAIL","Practice":"Require MFA",
           "References":[],"Fix":"Assign an MFA device to each console user.",
           "Findings":[{"Resource":"arn:aws:iam::123456789012:user/alice","Status":"FAIL","Reason":"console password, no MFA"},
                       {"Resource":"arn:aws:iam::123456789012:user/bob","Status":"PASS","Reason":"virtual MFA"}]},
          {"Id":"password-policy","Title":"A password policy is set","Severity":"MEDIUM","Status":"PASS","Practice":"Strong passwords",
           "Fix":"Set a password policy.","Findings":[]},
          {"Id":"access-analyzer","Title":"Access is reviewed","Severity":"LOW","Status":"INFO","Practice":"Review access",
           "Fix":"Review the access advisor's report.","Findings":[{"Resource":"123456789012","Status":"INFO","Reason":"\"last used\" data only"}]}
        ],"GeneratedAt":1796083200.5}
        """#

    static let report = SecurityChecksReport(
        checks: [
            SecurityCheck(id: "root-mfa", title: "Root user has MFA", severity: "CRITICAL", status: "PASS", practice: "Lock away the root user",
                          references: ["CIS 1.5", "prowler iam_root_mfa_enabled"], fix: "Enable MFA for the root user.",
                          findings: [SecurityFinding(resource: "arn:aws:iam::123456789012:root", status: "PASS", reason: "MFA is enabled")]),
            SecurityCheck(id: "root-access-keys", title: "Root user has no access keys", severity: "CRITICAL", status: "FAIL",
                          practice: "Lock away the root user", fix: "Delete the root user's access keys.",
                          findings: [SecurityFinding(resource: "arn:aws:iam::123456789012:root", status: "FAIL", reason: "1 active access key")]),
            SecurityCheck(id: "user-mfa", title: "Users with a password have MFA", severity: "HIGH", status: "FAIL", practice: "Require MFA",
                          fix: "Assign an MFA device to each console user.",
                          findings: [
                              SecurityFinding(resource: "arn:aws:iam::123456789012:user/alice", status: "FAIL", reason: "console password, no MFA"),
                              SecurityFinding(resource: "arn:aws:iam::123456789012:user/bob", status: "PASS", reason: "virtual MFA"),
                          ]),
            SecurityCheck(id: "password-policy", title: "A password policy is set", severity: "MEDIUM", status: "PASS", practice: "Strong passwords",
                          fix: "Set a password policy."),
            SecurityCheck(id: "access-analyzer", title: "Access is reviewed", severity: "LOW", status: "INFO", practice: "Review access",
                          fix: "Review the access advisor's report.",
                          findings: [SecurityFinding(resource: "123456789012", status: "INFO", reason: "\"last used\" data only")]),
        ],
        generatedAt: Date(timeIntervalSince1970: 1_796_083_200.5))

    static let alertsBody = #"""
        {"Alerts":[{"AlertId":"a-1","Rule":"root-sign-in","Severity":"HIGH","AccountId":"123456789012","Time":1796083200,
          "EventId":"e-9","EventName":"ConsoleLogin","Text":"The root user signed in",
          "Deliveries":[{"Sink":"webhook","Status":"FAILED","Attempts":3,"LastError":"connection refused"},
                        {"Sink":"log","Status":"DELIVERED","Attempts":1,"DeliveredAt":1796083201}]}],
         "NextToken":"t2"}
        """#

    static let alert = SecurityAlert(
        alertID: "a-1", rule: "root-sign-in", severity: "HIGH", accountID: "123456789012", time: Date(timeIntervalSince1970: 1_796_083_200),
        eventID: "e-9", eventName: "ConsoleLogin", text: "The root user signed in",
        deliveries: [
            AlertDelivery(sink: "webhook", status: "FAILED", attempts: 3, lastError: "connection refused"),
            AlertDelivery(sink: "log", status: "DELIVERED", attempts: 1, deliveredAt: Date(timeIntervalSince1970: 1_796_083_201)),
        ])
}
