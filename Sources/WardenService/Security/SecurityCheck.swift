import Foundation
import WardenStore

/// One best-practice check: what it looks at, why (the practice it comes from, and where else it is defined), how
/// to fix what it finds, and the evaluation itself, a pure function of an account's state and the clock.
///
/// Checks read a snapshot; they never change anything (remediation, which does, is separate and off by default).
public struct SecurityCheck: Sendable {
    /// How much a failure matters.
    public enum Severity: String, Sendable, CaseIterable { case low = "LOW", medium = "MEDIUM", high = "HIGH", critical = "CRITICAL" }

    /// A stable id, lowercase with hyphens (`root-access-keys`).
    public let id: String
    /// One line for a person.
    public let title: String
    public let severity: Severity
    /// The best practice the check comes from (the IAM notes, CIS, prowler), in words.
    public let practice: String
    /// Where the same check is defined elsewhere: `CIS 1.4`, `prowler iam_no_root_access_key`.
    public let references: [String]
    /// What to do about a failure.
    public let fix: String
    /// The findings on the account, at least one (a check with nothing to look at says so in a `PASS` or `INFO`).
    let evaluate: @Sendable (SecurityContext) -> [SecurityFinding]

    init(id: String, title: String, severity: Severity, practice: String, references: [String] = [], fix: String,
         evaluate: @escaping @Sendable (SecurityContext) -> [SecurityFinding]) {
        self.id = id; self.title = title; self.severity = severity; self.practice = practice
        self.references = references; self.fix = fix; self.evaluate = evaluate
    }

    /// Runs the check.
    public func run(_ context: SecurityContext) -> SecurityCheckResult {
        var findings = evaluate(context)
        if findings.isEmpty { findings = [.pass(context.accountResource, "Nothing to check.")] }
        return SecurityCheckResult(check: self, findings: findings)
    }
}

/// A check's outcome on one resource.
public struct SecurityFinding: Sendable, Equatable {
    /// `PASS`, `FAIL`, or `INFO` for what is worth knowing but is not a failure.
    public enum Status: String, Sendable { case pass = "PASS", fail = "FAIL", info = "INFO" }

    /// The resource, as an ARN (the account's root ARN for account-wide findings).
    public var resource: String
    public var status: Status
    /// Why, in one sentence, with names in backticks.
    public var reason: String

    static func pass(_ resource: String, _ reason: String) -> Self { .init(resource: resource, status: .pass, reason: reason) }
    static func fail(_ resource: String, _ reason: String) -> Self { .init(resource: resource, status: .fail, reason: reason) }
    static func info(_ resource: String, _ reason: String) -> Self { .init(resource: resource, status: .info, reason: reason) }
}

/// A check with its findings on one account.
public struct SecurityCheckResult: Sendable {
    public let check: SecurityCheck
    public let findings: [SecurityFinding]

    /// `FAIL` when any finding fails; otherwise `PASS` when any passes; `INFO` when all are informational.
    public var status: SecurityFinding.Status {
        if findings.contains(where: { $0.status == .fail }) { return .fail }
        if findings.contains(where: { $0.status == .pass }) { return .pass }
        return .info
    }
}
