import Foundation
import WardenCore
import WardenPolicy

/// How a role's trust policy lets principals in: anyone, other accounts, AWS services, and the conditions that
/// narrow them. The service rules are prowler's (`iam_role_cross_service_confused_deputy_prevention`,
/// `iam_role_service_trust_restricts_source_to_account`).
enum TrustFacts {
    /// The values of one principal type (`AWS`, `Service`) of a statement's `Principal` (not `NotPrincipal`).
    static func principals(_ s: PolicyStatement, _ type: String) -> [String] {
        guard let p = s.principal, !p.negated, case .map(let entries) = p.value else { return [] }
        return entries.filter { $0.type == type }.flatMap(\.values.values)
    }

    /// Whether an `Allow` lets anyone in: `Principal: "*"`, an `AWS` value with a wildcard (`*`,
    /// `arn:aws:iam::*:root`), or a `NotPrincipal` (everyone but those listed).
    static func admitsAnyone(_ s: PolicyStatement) -> Bool {
        guard s.effect == .allow, let p = s.principal else { return false }
        if p.negated { return true }
        if case .wildcard = p.value { return true }
        return principals(s, "AWS").contains { $0.contains("*") }
    }

    /// The account an `AWS` principal value names: a bare account id, or an ARN's account. Nil for a unique id,
    /// which IAM leaves in place of a deleted principal and which matches no one.
    static func account(ofPrincipal value: String) -> String? {
        if isAccountID(value) { return value }
        return ARN.parse(value)?.account
    }

    /// Whether a statement requires an external id or MFA of whoever assumes the role: a condition (not negated,
    /// not `…IfExists`, which holds when the key is absent) on `sts:ExternalId`, `aws:MultiFactorAuthAge`, or
    /// `aws:MultiFactorAuthPresent` being `true`.
    static func requiresExternalIDOrMFA(_ s: PolicyStatement) -> Bool {
        s.conditions.contains { block in
            let op = block.operatorName.lowercased()
            guard !op.contains("not"), !op.hasSuffix("ifexists") else { return false }
            return block.entries.contains { e in
                switch e.key.lowercased() {
                case "sts:externalid", "aws:multifactorauthage": true
                case "aws:multifactorauthpresent": e.values.contains { $0.text.lowercased() == "true" }
                default: false
                }
            }
        }
    }

    /// Whether a value is a twelve-digit account id.
    static func isAccountID(_ v: String) -> Bool { v.count == 12 && v.allSatisfy { $0.isASCII && $0.isNumber } }

    // MARK: Confused deputy (prowler's `is_policy_public` with `check_cross_service_confused_deputy`)

    /// Condition keys that, under `StringEquals`/`StringLike`, tie a service's request to a source.
    static let restrictiveStringKeys: Set<String> = [
        "aws:sourceaccount", "aws:sourceowner", "aws:sourcearn", "aws:principalaccount", "aws:principalarn", "aws:principalorgid",
        "aws:principalorgpaths", "aws:resourceaccount", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceorgid", "aws:sourceorgpaths",
        "aws:userid", "aws:username", "aws:calledvia", "aws:calledviafirst", "aws:calledvialast", "kms:calleraccount",
        "kms:viaservice", "s3:resourceaccount", "lambda:eventsourcetoken",
    ]
    /// Condition keys that, under `ArnEquals`/`ArnLike`, do.
    static let restrictiveARNKeys: Set<String> = ["aws:sourcearn", "aws:principalarn"]

    /// Whether an `Allow` lets an AWS service assume the role on anyone's behalf: it trusts a service principal
    /// (other than Secrets Manager and EKS, which act only in their own account) with `sts:AssumeRole`, `sts:*` or
    /// `*`, and no condition ties the request to a source.
    static func exposesToConfusedDeputy(_ s: PolicyStatement) -> Bool {
        guard s.effect == .allow else { return false }
        let services = principals(s, "Service")
        let crossService = services.contains { $0 == "*" || $0.hasSuffix(".amazonaws.com") || $0.hasSuffix(".amazon.com") }
        let exempt = services.contains { $0 == "secretsmanager.amazonaws.com" || $0 == "eks.amazonaws.com" }
        guard crossService, !exempt, let a = s.action, !a.negated,
              a.value.values.contains(where: { ["*", "sts:assumerole", "sts:*"].contains($0.lowercased()) }) else { return false }
        let restricted = s.conditions.contains { block in
            let keys: Set<String>
            switch block.operatorName {
            case "StringEquals", "StringLike": keys = restrictiveStringKeys
            case "ArnEquals", "ArnLike": keys = restrictiveARNKeys
            default: return false
            }
            return block.entries.contains { keys.contains($0.key.lowercased()) }
        }
        return !restricted
    }

    // MARK: Source confined to an account (prowler's `iam_role_service_trust_restricts_source_to_account`)

    /// What the source-account rule finds in a trust policy.
    enum SourceVerdict: Equatable {
        /// No statement to judge: no service trust, or only unconditional plain service trust (the confused
        /// deputy check's finding).
        case notApplicable
        /// An `Allow` with `NotAction`, which the rule does not evaluate.
        case unevaluated
        /// Every service statement in scope pins its source; `organizationOnly` when one pins only an organization.
        case confined(organizationOnly: Bool)
        /// A service statement carries conditions that pin no source.
        case unconfined
    }

    /// Operators that compare a key with values and can pin it, lowercased.
    static let comparingOperators: Set<String> = Set(["", "foranyvalue:", "forallvalues:"].flatMap { q in
        ["stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"].flatMap { op in ["", "ifexists"].map { q + op + $0 } }
    })

    /// Whether a statement's `Action` names `sts:AssumeRole` (the action a service principal uses).
    static func grantsAssumeRole(_ s: PolicyStatement) -> Bool {
        guard let a = s.action, !a.negated else { return false }
        return a.value.values.contains { PolicyFacts.matches($0, "sts:AssumeRole") }
    }

    /// Whether a statement trusts a service principal (or everyone).
    static func trustsServicePrincipal(_ s: PolicyStatement) -> Bool {
        if let p = s.principal, !p.negated, case .wildcard = p.value { return true }
        return principals(s, "Service").contains { !$0.isEmpty }
    }

    /// The values each comparing operator holds `key` to, one group per operator (IAM ANDs operators and ORs the
    /// values within one). `ForAllValues:` and `…IfExists` hold when the key is absent, so they count only with a
    /// `Null: false` test on the same key.
    static func pinnedGroups(_ s: PolicyStatement, _ key: String) -> [[String]] {
        let guarded = AgentCoreFacts.nullGuardedKeys(s)
        return s.conditions.compactMap { block in
            let op = block.operatorName.lowercased()
            guard comparingOperators.contains(op) else { return nil }
            if (op.hasPrefix("forallvalues:") || op.hasSuffix("ifexists")) && !guarded.contains(key) { return nil }
            let values = block.entries.filter { $0.key.lowercased() == key }.flatMap { $0.values.map(\.text) }
            return values.isEmpty ? nil : values
        }
    }

    /// Whether one operator holds `key` to values that all qualify.
    static func pins(_ s: PolicyStatement, _ key: String, _ qualifies: (String) -> Bool) -> Bool {
        pinnedGroups(s, key).contains { $0.allSatisfy(qualifies) }
    }

    /// `aws:SourceAccount` to account ids, or `aws:SourceArn` to ARNs with a literal account.
    static func pinsAccount(_ s: PolicyStatement) -> Bool {
        pins(s, "aws:sourceaccount", isAccountID) || pins(s, "aws:sourcearn") { v in
            let f = v.split(separator: ":", omittingEmptySubsequences: false)
            return f.count >= 5 && isAccountID(String(f[4]))
        }
    }

    /// `aws:SourceOrgID` to organization ids, or `aws:SourceOrgPaths` to paths under one.
    static func pinsOrganization(_ s: PolicyStatement) -> Bool {
        func orgID(_ v: Substring) -> Bool {
            v.hasPrefix("o-") && (12...34).contains(v.count) && v.dropFirst(2).allSatisfy { ($0.isLowercase || $0.isNumber) && $0.isASCII }
        }
        return pins(s, "aws:sourceorgid") { orgID(Substring($0)) }
            || pins(s, "aws:sourceorgpaths") { v in v.firstIndex(of: "/").map { orgID(v[..<$0]) } ?? false }
    }

    /// Whether a statement is gated by some enforced condition at all (not negated, not `…IfExists`).
    static func hasEnforcedCondition(_ s: PolicyStatement) -> Bool {
        s.conditions.contains { b in
            let op = b.operatorName.lowercased()
            return !op.contains("not") && !op.hasSuffix("ifexists") && !b.entries.isEmpty
        }
    }

    /// Whether every statement is an `Allow` of `sts:AssumeRole` to service principals only.
    static func isPlainServiceTrust(_ doc: PolicyDocument) -> Bool {
        doc.statements.allSatisfy { s in
            guard s.effect == .allow, grantsAssumeRole(s), let p = s.principal, !p.negated, case .map(let entries) = p.value else { return false }
            return !entries.isEmpty && entries.allSatisfy { $0.type == "Service" }
        }
    }

    /// The rule's verdict on a trust policy.
    static func sourceVerdict(_ doc: PolicyDocument) -> SourceVerdict {
        if doc.statements.contains(where: { $0.effect == .allow && $0.action?.negated == true }) { return .unevaluated }
        let service = doc.statements.filter { $0.effect == .allow && grantsAssumeRole($0) && trustsServicePrincipal($0) }
        let plain = isPlainServiceTrust(doc)
        let inScope = service.filter { hasEnforcedCondition($0) || !plain }
        guard !inScope.isEmpty else { return .notApplicable }
        if inScope.contains(where: { !pinsAccount($0) && !pinsOrganization($0) }) { return .unconfined }
        return .confined(organizationOnly: !inScope.allSatisfy(pinsAccount))
    }
}
