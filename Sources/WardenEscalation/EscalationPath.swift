/// One way a principal can reach administrator permissions: a chain of steps, each decided by the policy engine.
public struct EscalationPath: Sendable, Equatable, Codable {
    /// The `target` of a path that ends by giving a principal full permissions (rather than reaching a principal
    /// that already has them).
    public static let administrator = "administrator"

    /// The ARN of the principal (user or role) that can escalate.
    public var principal: String
    /// The ARN of the administrator principal the path reaches, or `administrator` when the last step makes a
    /// principal on the path an administrator (an admin policy attached, a boundary removed, …).
    public var target: String
    /// The steps, in the order they are taken; the first starts at `principal`.
    public var steps: [EscalationStep]

    /// Creates a path.
    public init(principal: String, target: String, steps: [EscalationStep]) {
        self.principal = principal
        self.target = target
        self.steps = steps
    }
}

/// One step of an escalation path: what the principal `from` does to become, or to empower, `to`.
public struct EscalationStep: Sendable, Equatable, Codable {
    /// The method's stable kebab-case id (`assume-role`, `create-policy-version`, `pass-role-lambda`, …); see
    /// `EscalationMethod`.
    public var method: String
    /// The ARN of the principal taking the step.
    public var from: String
    /// The ARN of the principal the step yields (the principal become, or the principal made an administrator).
    public var to: String
    /// The actions the step needs, e.g. `["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]`.
    public var actions: [String]
    /// The statements that allow those actions (identity policies, and the trust policy for role assumption).
    public var grants: [Grant]
    /// What happens, in a sentence.
    public var description: String
    /// How to close the step.
    public var fix: String

    /// Creates a step.
    public init(method: String, from: String, to: String, actions: [String], grants: [Grant], description: String,
                fix: String) {
        self.method = method
        self.from = from
        self.to = to
        self.actions = actions
        self.grants = grants
        self.description = description
        self.fix = fix
    }
}

/// A policy statement that allows (part of) a step.
public struct Grant: Sendable, Equatable, Hashable, Codable {
    /// The policy: a managed policy's ARN, or for inline policies `user/NAME/POLICY`, `group/NAME/POLICY`,
    /// `role/NAME/POLICY`, and `role/NAME/trust-policy` for a role's trust policy.
    public var policy: String
    /// The action this statement allows in the step.
    public var action: String
    /// The statement's 0-based index in the policy document.
    public var statementIndex: Int
    /// The statement's `Sid`, if any.
    public var sid: String?
    /// Condition keys of this statement whose values the account data cannot tell (`aws:MultiFactorAuthPresent`,
    /// `aws:SourceIp`, …) and that the analysis assumed a request can satisfy. Empty when the statement had none.
    public var assumedConditionKeys: [String]

    /// Creates a grant.
    public init(policy: String, action: String, statementIndex: Int, sid: String? = nil, assumedConditionKeys: [String] = []) {
        self.policy = policy
        self.action = action
        self.statementIndex = statementIndex
        self.sid = sid
        self.assumedConditionKeys = assumedConditionKeys
    }
}

/// The analysis of one account: the escalation paths and what could not be analysed.
public struct EscalationReport: Sendable, Equatable, Codable {
    /// The paths, sorted by principal then target.
    public var paths: [EscalationPath]
    /// Policies that did not parse or could not be found (such a policy grants nothing in the analysis).
    public var warnings: [String]

    /// Creates a report.
    public init(paths: [EscalationPath], warnings: [String]) {
        self.paths = paths
        self.warnings = warnings
    }
}
