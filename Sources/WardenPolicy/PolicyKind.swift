/// Where a policy document is attached; decides which grammar rules apply (principal required or forbidden,
/// resource required, actions restricted) and which part of the evaluation logic it takes part in.
public enum PolicyKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// A user, group or role policy (inline or managed): no `Principal`, `Resource` required.
    case identity
    /// A resource-based policy (bucket, queue, key policy …): `Principal` required.
    case resource
    /// A role trust policy (`AssumeRolePolicyDocument`): `Principal` required, no `Resource`, only STS actions.
    case trust
    /// A permissions boundary: a managed identity policy used as a limit.
    case boundary
    /// A session policy passed to AssumeRole*/GetFederationToken.
    case session
    /// An AWS Organizations service control policy (SCP): principal side, no `Principal`.
    case serviceControl
    /// An AWS Organizations resource control policy (RCP): resource side, `Principal` must be `*`.
    case resourceControl

    /// Whether statements of this kind must name a `Principal`/`NotPrincipal`.
    var requiresPrincipal: Bool { self == .resource || self == .trust || self == .resourceControl }
    /// Whether statements of this kind must not name a principal.
    var forbidsPrincipal: Bool { !requiresPrincipal }
}

/// AWS's size quotas for policy documents, counted in characters with whitespace removed
/// (IAM quotas page: "IAM does not count white space when calculating the size of a policy").
public enum PolicySizeLimit {
    /// Customer managed policy (CreatePolicy, CreatePolicyVersion): `Cannot exceed quota for PolicySize: 6144`.
    public static let managedPolicy = 6_144
    /// Aggregate of a user's inline policies.
    public static let userInlineAggregate = 2_048
    /// Aggregate of a group's inline policies.
    public static let groupInlineAggregate = 5_120
    /// Aggregate of a role's inline policies.
    public static let roleInlineAggregate = 10_240
    /// Role trust policy, default quota (`ACLSizePerRole`).
    public static let trustPolicy = 2_048
    /// Role trust policy, the most the quota can be raised to.
    public static let trustPolicyMaximum = 4_096
    /// Inline session policy passed to AssumeRole*/GetFederationToken (plaintext characters).
    public static let sessionPolicy = 2_048
    /// Managed session policies (`PolicyArns`) per session.
    public static let sessionManagedPolicies = 10
    /// Service control policy document.
    public static let serviceControlPolicy = 5_120

    /// The size AWS counts for `json`: every character except spaces, tabs, carriage returns and line feeds.
    public static func countedSize(of json: String) -> Int {
        var n = 0
        for scalar in json.unicodeScalars where !(scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r") {
            n += 1
        }
        return n
    }
}
