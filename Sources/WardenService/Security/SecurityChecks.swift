import Foundation
import WardenStore

/// Warden's best-practice checks: the five items of the IAM dashboard's security status, then the other
/// practices of the IAM notes, the IAM items of the CIS AWS Foundations Benchmark and prowler's IAM checks.
/// docs/security-status.md lists them with their sources and the prowler mapping.
public enum SecurityChecks {
    /// The ids of the dashboard's five items, in its order.
    public static let dashboardIDs = ["root-access-keys", "root-mfa", "individual-users", "groups-for-permissions", "password-policy"]

    /// Every check, the dashboard's first.
    public static let all: [SecurityCheck] = dashboard + credentials + passwordPolicy + policies + roles + account

    /// A check by id.
    public static func check(_ id: String) -> SecurityCheck? { byID[id] }
    private static let byID: [String: SecurityCheck] = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })

    /// Runs checks on one account.
    public static func run(_ checks: [SecurityCheck], _ context: SecurityContext) -> [SecurityCheckResult] {
        checks.map { $0.run(context) }
    }
}
