import Foundation

/// The security checks as Prometheus metrics (text format 0.0.4), evaluated when scraped: per account and check,
/// the check's status, and its findings counted by status.
///
///     warden_security_check_status{account="123456789012",check="root-mfa",status="FAIL"} 1
///     warden_security_check_findings{account="123456789012",check="root-mfa",status="FAIL"} 1
public enum SecurityMetrics {
    /// The metrics text for every account of the store.
    public static func text(_ service: WardenService) -> String {
        var out = [
            "# HELP warden_security_check_status 1 for the status each best-practice check has now (PASS, FAIL or INFO).",
            "# TYPE warden_security_check_status gauge",
        ]
        var findings = [
            "# HELP warden_security_check_findings The findings of each best-practice check, by status.",
            "# TYPE warden_security_check_findings gauge",
        ]
        let now = service.clock.now()
        let snapshot = service.store.snapshot()
        for account in snapshot.accounts.keys.sorted() {
            guard let state = snapshot.accounts[account] else { continue }
            let context = SecurityContext(state: state, now: now, settings: service.securitySettings, managedPolicies: service.managedPolicies)
            for result in SecurityChecks.run(SecurityChecks.all, context) {
                let labels = "account=\"\(account)\",check=\"\(result.check.id)\""
                for status in [SecurityFinding.Status.pass, .fail, .info] {
                    out.append("warden_security_check_status{\(labels),status=\"\(status.rawValue)\"} \(result.status == status ? 1 : 0)")
                    findings.append("warden_security_check_findings{\(labels),status=\"\(status.rawValue)\"} \(result.findings.filter { $0.status == status }.count)")
                }
            }
        }
        return (out + findings).joined(separator: "\n") + "\n"
    }
}
