import Foundation
import WardenPolicy

/// `iam:PassRole` to Bedrock AgentCore on every role (prowler's `iam_policy_passrole_to_bedrock_agentcore_restricted`):
/// whoever holds it can hand any role, an administrator's included, to an agent runtime and act with it.
extension AgentCoreFacts {
    /// The service principals of the AgentCore family that a pattern value is checked against.
    static let principalProbes = ["bedrock-agentcore.amazonaws.com", "runtime-identity.bedrock-agentcore.amazonaws.com"]
    /// The shortest and the longest role name (64 characters, IAM's maximum): a pattern naming both names every role.
    static let everyRoleProbes = ["role/a", "role/" + String(repeating: "r0le-name-", count: 6) + "abcd"]
    /// The condition operators that can pin `iam:PassedToService`, lowercased.
    static let passedToServiceOperators: Set<String> = Set(["", "foranyvalue:", "forallvalues:"].flatMap { q in
        ["stringequals", "stringequalsignorecase", "stringlike"].flatMap { op in ["", "ifexists"].map { q + op + $0 } }
    })

    /// Whether an `Allow` statement's `Action` names `iam:PassRole` (`*` and `*:*` excluded).
    static func coversPassRole(_ s: PolicyStatement) -> Bool {
        actionParts(s).contains { svc, op in !(svc == "*" && op == "*") && PolicyFacts.matches(svc, "iam") && PolicyFacts.matches(op, "PassRole") }
    }

    /// Whether some `Allow` in the document names an AgentCore action.
    static func grantsAgentCoreAction(_ doc: PolicyDocument) -> Bool {
        doc.statements.contains { s in s.effect == .allow && actionParts(s).contains { PolicyFacts.matches($0.service, service) } }
    }

    /// The values a statement's conditions give `iam:PassedToService`.
    static func passedToServiceValues(_ s: PolicyStatement) -> [String] {
        s.conditions.filter { passedToServiceOperators.contains($0.operatorName.lowercased()) }
            .flatMap { $0.entries.filter { $0.key.lowercased() == "iam:passedtoservice" }.flatMap { $0.values.map(\.text) } }
    }

    /// The keys a `Null: false` test forces to be present (every value `false`: IAM ORs values within a key).
    static func nullGuardedKeys(_ s: PolicyStatement) -> Set<String> {
        var out = Set<String>()
        for block in s.conditions where block.operatorName.lowercased() == "null" {
            for e in block.entries where !e.values.isEmpty && e.values.allSatisfy({ $0.text.trimmingCharacters(in: .whitespaces).lowercased() == "false" }) {
                out.insert(e.key.lowercased())
            }
        }
        return out
    }

    /// Whether every pin of `iam:PassedToService` holds vacuously when the key is absent (`…IfExists`,
    /// `ForAllValues:…`) and no `Null: false` test makes it present.
    static func passedToServicePinIsDefeasible(_ s: PolicyStatement) -> Bool {
        let guarded = nullGuardedKeys(s).contains("iam:passedtoservice")
        let pins = s.conditions.filter { b in
            passedToServiceOperators.contains(b.operatorName.lowercased()) && b.entries.contains { $0.key.lowercased() == "iam:passedtoservice" }
        }
        return !pins.isEmpty && pins.allSatisfy { b in
            let op = b.operatorName.lowercased()
            return (op.hasSuffix("ifexists") || op.hasPrefix("forallvalues:")) && !guarded
        }
    }

    /// Whether a value names an AgentCore service principal: `[prefix.]bedrock-agentcore[-suffix].amazonaws.com`, or a
    /// pattern matching one.
    static func namesAgentCore(_ values: [String]) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
        func word(_ s: Substring) -> Bool { !s.isEmpty && s.allSatisfy(allowed.contains) }
        return values.contains { raw in
            if principalProbes.contains(where: { PolicyFacts.matches(raw, $0) }) { return true }
            let v = raw.trimmingCharacters(in: .whitespaces).lowercased()
            guard v.hasSuffix(".amazonaws.com") else { return false }
            let labels = v.dropLast(".amazonaws.com".count).split(separator: ".", omittingEmptySubsequences: false)
            guard labels.count <= 2, labels.count == 1 || word(labels[0]), let last = labels.last else { return false }
            return last == service || (last.hasPrefix(service + "-") && word(last.dropFirst(service.count + 1)))
        }
    }

    /// Whether a PassRole statement can pass roles to AgentCore: its `iam:PassedToService` names AgentCore, or it
    /// pins no service (or only defeasibly) and the policy grants AgentCore actions.
    static func targetsAgentCore(_ s: PolicyStatement, _ doc: PolicyDocument) -> Bool {
        let values = passedToServiceValues(s)
        if namesAgentCore(values) { return true }
        if !values.isEmpty && !passedToServicePinIsDefeasible(s) { return false }
        return grantsAgentCoreAction(doc)
    }

    /// Whether a resource pattern names every role, judged by the fixed shape of a role ARN: an empty region, a
    /// twelve-digit account, and a resource matching both the shortest and the longest role name.
    static func namesEveryRole(_ resource: String) -> Bool {
        let r = resource.trimmingCharacters(in: .whitespaces)
        if r == "*" { return true }
        let f = r.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        func head(_ field: String) -> String {
            String(field.split(separator: "*", maxSplits: 1, omittingEmptySubsequences: false).first ?? "").replacingOccurrences(of: "?", with: "")
        }
        guard PolicyFacts.matches(f[0], "arn") else { return false }
        if f.count < 6 {
            // A `*` in the last field spans every field after it; what is spelled out must still fit a role ARN.
            guard f[f.count - 1].contains("*") else { return false }
            if f.count > 2 && !PolicyFacts.matches(f[2], "iam") { return false }
            if f.count == 4 && !head(f[3]).isEmpty { return false }
            if f.count == 5 { let h = head(f[4]); if !h.isEmpty && !h.allSatisfy({ $0.isASCII && $0.isNumber }) { return false } }
            return true
        }
        guard PolicyFacts.matches(f[2], "iam"), PolicyFacts.matches(f[3], "") else { return false }
        let h = head(f[4])
        if !h.isEmpty && !h.allSatisfy({ $0.isASCII && $0.isNumber }) { return false }
        if !f[4].contains("*") && f[4].count != 12 { return false }
        return everyRoleProbes.allSatisfy { PolicyFacts.matches(f[5], $0) }
    }

    /// Whether a statement's resources name every role (a `NotResource` leaves every role outside its list).
    static func allowsAnyRole(_ s: PolicyStatement) -> Bool {
        guard let r = s.resource else { return false }
        return r.negated || r.value.values.contains(where: namesEveryRole)
    }

    /// Whether an unconditional `Deny` on `Resource: "*"` takes away `iam:PassRole` (a bare `*` does).
    static func deniesPassRoleEverywhere(_ doc: PolicyDocument) -> Bool {
        doc.statements.contains { s in
            guard s.effect == .deny, s.conditions.isEmpty, PolicyFacts.listsEveryResource(s), let a = s.action, !a.negated else { return false }
            return a.value.values.contains { $0.trimmingCharacters(in: .whitespaces) == "*" }
                || actionParts(s).contains { PolicyFacts.matches($0.service, "iam") && PolicyFacts.matches($0.operation, "PassRole") }
        }
    }

    /// Whether the document allows passing every role to AgentCore.
    static func passesAnyRoleToAgentCore(_ doc: PolicyDocument) -> Bool {
        if deniesPassRoleEverywhere(doc) { return false }
        return doc.statements.contains { s in s.effect == .allow && coversPassRole(s) && allowsAnyRole(s) && targetsAgentCore(s, doc) }
    }
}
