import Foundation
import WardenCore
import WardenStore
import WardenWire

/// Warden's own API (models/warden, JSON 1.1, signing name `warden`): the IAM dashboard's security status and the
/// best-practice checks. Authorized like every call, with the actions `warden:GetSecurityStatus` and
/// `warden:GetSecurityChecks` on `*`.
extension WardenService {
    static func registerSecurity(_ r: inout Registry) {
        r.json(.warden, "GetSecurityStatus", authorize: .anyResource) {
            (_: WardenSecurity.GetSecurityStatusRequest, call) -> WardenSecurity.GetSecurityStatusResponse in
            let checks = SecurityChecks.dashboardIDs.compactMap(SecurityChecks.check)
            return WardenSecurity.GetSecurityStatusResponse(checks: try call.service.runChecks(checks, call).map(wire), generatedAt: call.now)
        }
        r.json(.warden, "GetSecurityChecks", authorize: .anyResource) {
            (i: WardenSecurity.GetSecurityChecksRequest, call) -> WardenSecurity.GetSecurityChecksResponse in
            var checks = SecurityChecks.all
            if let ids = i.checkIds {
                let unknown = ids.filter { SecurityChecks.check($0) == nil }
                guard unknown.isEmpty else {
                    throw ServiceError(.validationException, "No such check: \(unknown.map { "`\($0)`" }.joined(separator: ", ")). `warden security checks` lists every check.")
                }
                let wanted = Set(ids)
                checks = checks.filter { wanted.contains($0.id) }
            }
            return WardenSecurity.GetSecurityChecksResponse(checks: try call.service.runChecks(checks, call).map(wire), generatedAt: call.now)
        }
    }

    /// Runs checks on the caller's account as it is now.
    func runChecks(_ checks: [SecurityCheck], _ call: Call) throws -> [SecurityCheckResult] {
        let context = SecurityContext(state: try call.state(), now: call.now, settings: securitySettings, managedPolicies: managedPolicies)
        return SecurityChecks.run(checks, context)
    }

    static func wire(_ r: SecurityCheckResult) -> WardenSecurity.CheckResult {
        WardenSecurity.CheckResult(
            id: r.check.id, title: r.check.title, severity: WardenSecurity.Severity(rawValue: r.check.severity.rawValue) ?? .medium,
            status: WardenSecurity.CheckStatus(rawValue: r.status.rawValue) ?? .info, practice: r.check.practice,
            references: r.check.references, fix: r.check.fix,
            findings: r.findings.map { WardenSecurity.Finding(resource: $0.resource, status: WardenSecurity.CheckStatus(rawValue: $0.status.rawValue) ?? .info, reason: $0.reason) })
    }
}
