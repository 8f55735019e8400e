import Foundation
import WardenPolicy

/// Prowler's two Bedrock AgentCore checks of customer managed policies, ported rule for rule
/// (`iam_policy_no_agentcore_workload_access_token_wildcard`, `iam_policy_passrole_to_bedrock_agentcore_restricted`).
/// Both leave `Action: "*"` to the administrator checks and decline to guess at an `Allow` with `NotAction`.
/// Resource patterns are judged by their shape (which resource types, which role names they can reach), never by
/// matching example resources, because names cannot be enumerated.
enum AgentCoreFacts {
    /// The service prefix of AgentCore actions.
    static let service = "bedrock-agentcore"
    /// The operations that hand out a workload access token.
    static let tokenOperations = ["GetWorkloadAccessToken", "GetWorkloadAccessTokenForJWT", "GetWorkloadAccessTokenForUserId"]
    /// The resource-path segment of workload identities (the directory and the identities in it).
    static let workloadIdentitySegment = "workload-identity-directory"
    /// The leading segments of every other AgentCore resource type (prowler's list, from AWS's service reference).
    static let otherSegments = [
        "ab-test", "batch-evaluate", "browser", "browser-custom", "browser-profile", "capacity-provider", "code-interpreter",
        "code-interpreter-custom", "configuration-bundle", "dataset", "evaluator", "gateway", "harness", "memory",
        "online-evaluation-config", "payment-manager", "policy-engine", "recommendation", "registry", "runtime", "token-vault", "tool",
    ]

    /// Whether an `Allow` uses `NotAction`, which neither check evaluates (the finding is then `INFO`).
    static func hasAllowNotAction(_ doc: PolicyDocument) -> Bool {
        doc.statements.contains { $0.effect == .allow && $0.action?.negated == true }
    }

    /// The `service` and `operation` of each `Action` pattern (not `NotAction`) with a colon.
    static func actionParts(_ s: PolicyStatement) -> [(service: String, operation: String)] {
        guard let a = s.action, !a.negated else { return [] }
        return a.value.values.compactMap { p in
            let t = p.trimmingCharacters(in: .whitespaces)
            guard let colon = t.firstIndex(of: ":") else { return nil }
            return (String(t[..<colon]), String(t[t.index(after: colon)...]))
        }
    }

    /// The token operations an `Allow`'s `Action` names (`*` and `*:*` excluded: the administrator checks' finding).
    static func tokenOperations(allowedBy s: PolicyStatement) -> Set<String> {
        var out = Set<String>()
        for (svc, op) in actionParts(s) where !(svc == "*" && op == "*") && PolicyFacts.matches(svc, service) {
            out.formUnion(tokenOperations.filter { PolicyFacts.matches(op, $0) })
        }
        return out
    }

    /// The token operations taken away by unconditional `Deny` statements on `Resource: "*"` (a bare `*` takes all).
    static func deniedTokenOperations(_ doc: PolicyDocument) -> Set<String> {
        var out = Set<String>()
        for s in doc.statements where s.effect == .deny && s.conditions.isEmpty && PolicyFacts.listsEveryResource(s) {
            if s.action.map({ !$0.negated && $0.value.values.contains { $0.trimmingCharacters(in: .whitespaces) == "*" } }) ?? false {
                out.formUnion(tokenOperations)
            }
            for (svc, op) in actionParts(s) where PolicyFacts.matches(svc, service) {
                out.formUnion(tokenOperations.filter { PolicyFacts.matches(op, $0) })
            }
        }
        return out
    }

    /// Whether no resource of a statement reaches a workload identity other than one named (a `NotResource`
    /// names everything but its list, so it is not scoped).
    static func isWorkloadIdentityScoped(_ s: PolicyStatement) -> Bool {
        guard let r = s.resource else { return true }
        if r.negated { return false }
        return !r.value.values.contains(where: reachesOtherWorkloadIdentities)
    }

    /// Whether a resource pattern can name workload identities beyond the workload identity directory: it can
    /// reach another AgentCore resource type as well as workload identities (`*`, `…:*prod-*`). A pattern of
    /// fewer than six fields reaches them when a `*` in its last field spans the rest (IAM wildcards match `:`).
    static func reachesOtherWorkloadIdentities(_ resource: String) -> Bool {
        let r = resource.trimmingCharacters(in: .whitespaces)
        if r == "*" { return true }
        let f = r.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard PolicyFacts.matches(f[0], "arn") else { return false }
        if f.count < 6 {
            guard f[f.count - 1].contains("*") else { return false }
            return f.count < 3 || PolicyFacts.matches(f[2], service)
        }
        guard PolicyFacts.matches(f[2], service) else { return false }
        guard otherSegments.contains(where: { mayReach(f[5], segment: $0) }) else { return false }
        return mayReach(f[5], segment: workloadIdentitySegment)
    }

    /// Whether a resource field can name a resource whose path starts with `segment`: its head (up to the first
    /// `*`, where each `?` is one unknown character) agrees with the segment, and either covers it or a `*` follows.
    static func mayReach(_ field: String, segment: String) -> Bool {
        let head = Array(field.split(separator: "*", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        let seg = Array(segment)
        for i in 0..<min(head.count, seg.count) where head[i] != "?" && head[i] != seg[i] { return false }
        return head.count >= seg.count || field.contains("*")
    }
}
