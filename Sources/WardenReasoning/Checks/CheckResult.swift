import WardenPolicy

/// Which grammar the checked documents follow (Access Analyzer's `policyType`).
public enum PolicyCheckType: String, Sendable, CaseIterable {
    /// Identity-based policies: no `Principal`.
    case identityPolicy = "IDENTITY_POLICY"
    /// Resource-based policies (a role trust policy included): `Principal` required.
    case resourcePolicy = "RESOURCE_POLICY"
}

/// Why a check failed: a statement of the checked policy that grants the access in question.
public struct CheckReason: Sendable, Equatable {
    /// AWS's wording, e.g. `New access in the statement with index: 0.`
    public var description: String
    /// The statement's position in the document (0-based).
    public var statementIndex: Int?
    /// The statement's `Sid`, if it has one.
    public var statementId: String?

    /// Creates a reason.
    public init(description: String, statementIndex: Int?, statementId: String?) {
        self.description = description
        self.statementIndex = statementIndex
        self.statementId = statementId
    }
}

/// The answer of a check: PASS or FAIL, AWS's message, and the statements responsible for a FAIL.
public struct CheckResult: Sendable, Equatable {
    /// True for PASS. A check that could not decide throws instead of answering.
    public var passed: Bool
    /// AWS's message for the result.
    public var message: String
    /// For a FAIL: the statements that grant the access, in document order.
    public var reasons: [CheckReason]

    /// `PASS` or `FAIL`, as Access Analyzer's `result`.
    public var result: String { passed ? "PASS" : "FAIL" }

    /// Creates a result.
    public init(passed: Bool, message: String, reasons: [CheckReason]) {
        self.passed = passed
        self.message = message
        self.reasons = reasons
    }
}

/// One entry of CheckAccessNotGranted's `access`: actions and/or resources (at least one), each list matched
/// as policy patterns (a listed `s3:Get*` covers every action it matches).
public struct AccessQuery: Sendable, Equatable {
    /// Actions; empty = any action.
    public var actions: [String]
    /// Resource ARNs; empty = any resource.
    public var resources: [String]

    /// Creates an entry.
    public init(actions: [String] = [], resources: [String] = []) {
        self.actions = actions
        self.resources = resources
    }
}

/// A request the solver found, in the evaluator's terms (for explanations and the differential test).
public struct Counterexample: Sendable, Equatable {
    /// The action (lowercase, as the evaluator compares it).
    public var action: String
    /// The resource.
    public var resource: String
    /// The caller's ARN, when the policies read the principal (otherwise nil: any caller).
    public var principalARN: String?
    /// The caller's `aws:PrincipalType`-style kind, when the principal was read.
    public var principalType: String?
    /// Condition keys (normalized) and their values; a key that is absent is not listed.
    public var context: [String: [String]]
    /// Whether every atom of the encoding was interpreted, so the request is a real one (not only a model of an
    /// over-approximation).
    public var exact: Bool
}
