import WardenWire

/// One best-practice check and its result (`CheckResult`).
public struct SecurityCheck: WireJSONDecodable, Equatable {
    /// The status of a failing check or finding.
    public static let failStatus = "FAIL"
    /// The status of a passing check or finding.
    public static let passStatus = "PASS"

    /// The check's id (`root-mfa`).
    public var id: String
    /// A one-line title.
    public var title: String
    /// `LOW`, `MEDIUM`, `HIGH` or `CRITICAL`.
    public var severity: String
    /// `PASS`, `FAIL` or `INFO`.
    public var status: String
    /// The best practice the check comes from.
    public var practice: String
    /// Where else the check is defined (CIS items, prowler checks); empty when the server sends none.
    public var references: [String]
    /// How to fix a failure.
    public var fix: String
    /// The result for each resource looked at.
    public var findings: [SecurityFinding]

    /// Creates a check result.
    public init(id: String, title: String, severity: String, status: String, practice: String, references: [String] = [],
                fix: String, findings: [SecurityFinding] = []) {
        self.id = id
        self.title = title
        self.severity = severity
        self.status = status
        self.practice = practice
        self.references = references
        self.fix = fix
        self.findings = findings
    }

    /// Decodes `CheckResult`.
    public init(wireJSON json: WireJSON) throws(WardenClientError) {
        let r = try ShapeReader(json, shape: "CheckResult")
        self.init(
            id: try r.string("Id"), title: try r.string("Title"), severity: try r.string("Severity"), status: try r.string("Status"),
            practice: try r.string("Practice"), references: try r.stringList("References"), fix: try r.string("Fix"),
            findings: try r.list("Findings", of: SecurityFinding.self, required: true))
    }

    /// Whether the check fails.
    public var isFailing: Bool { status == Self.failStatus }
    /// Whether the check passes.
    public var isPassing: Bool { status == Self.passStatus }
}
