import Foundation
import WardenPolicy
import WardenStore

extension SecurityChecks {
    /// Checks of how roles are trusted (TrustFacts has the rules) and of what cross-account roles may read.
    static let roles: [SecurityCheck] = [
        SecurityCheck(
            id: "trust-any-principal", title: "Do not let anyone assume a role", severity: .critical,
            practice: "A role's trust policy names who may assume it: no `Allow` with `Principal: \"*\"`, a wildcard `AWS` principal (`arn:aws:iam::*:root`) or a `NotPrincipal` without a condition, which would let any AWS account in.",
            references: ["AWS IAM best practices"],
            fix: "Name the accounts, roles or services that need the role, or add conditions that pin them (`aws:PrincipalOrgID`, `aws:PrincipalArn`): `aws iam update-assume-role-policy --role-name … --policy-document file://trust.json`."
        ) { c in
            roleFindings(c, c.roles) { r, doc in
                doc.statements.contains { TrustFacts.admitsAnyone($0) && $0.conditions.isEmpty }
                    ? .fail(c.arn(r), "Role `\(r.name)` can be assumed by anyone: its trust policy allows every principal without a condition.")
                    : .pass(c.arn(r), "Role `\(r.name)` does not trust every principal without a condition.")
            }
        },
        SecurityCheck(
            id: "trust-cross-account-conditions", title: "Require an external id or MFA of other accounts", severity: .medium,
            practice: "A role that another account may assume requires a condition of it: `sts:ExternalId` when a third party assumes it for you (against the confused deputy), or MFA (`aws:MultiFactorAuthPresent`) when people assume it.",
            references: ["AWS IAM best practices"],
            fix: "Add a condition to the statement: `\"Condition\":{\"StringEquals\":{\"sts:ExternalId\":\"…\"}}` for a third party, or `\"Condition\":{\"Bool\":{\"aws:MultiFactorAuthPresent\":\"true\"}}` for people, with `aws iam update-assume-role-policy --role-name … --policy-document file://trust.json`."
        ) { c in
            roleFindings(c, c.roles) { r, doc in
                var others: [String] = []
                for s in doc.statements where s.effect == .allow && !TrustFacts.requiresExternalIDOrMFA(s) {
                    for v in TrustFacts.principals(s, "AWS") where !v.contains("*") {
                        if let a = TrustFacts.account(ofPrincipal: v), a != c.account, !others.contains(a) { others.append(a) }
                    }
                }
                if others.isEmpty { return .pass(c.arn(r), "Role `\(r.name)` trusts no other account without an external id or MFA condition.") }
                return .fail(c.arn(r), "Role `\(r.name)` trusts account\(others.count == 1 ? "" : "s") \(ticks(others)) without an external id or MFA condition.")
            }
        },
        SecurityCheck(
            id: "confused-deputy-prevention", title: "Protect service roles from the cross-service confused deputy", severity: .high,
            practice: "A role that AWS services assume ties the service's request to its source: every statement trusting a service principal (Secrets Manager and EKS, which act only in their own account, aside) has a `StringEquals`/`StringLike`/`ArnEquals`/`ArnLike` condition on a key such as `aws:SourceAccount`, `aws:SourceArn` or `aws:SourceOrgID`, so that another customer cannot make the service act with the role. As prowler, only roles trusted by services alone are judged, service-linked roles not.",
            references: ["prowler iam_role_cross_service_confused_deputy_prevention"],
            fix: "Add the source to the trust policy: `aws iam update-assume-role-policy --role-name … --policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"SERVICE.amazonaws.com\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"ACCOUNT\"}}}]}'`."
        ) { c in
            roleFindings(c, c.roles.filter { c.isServiceRole($0) && !c.isServiceLinked($0) }) { r, doc in
                let exposed = doc.statements.filter(TrustFacts.exposesToConfusedDeputy).flatMap { TrustFacts.principals($0, "Service") }
                if exposed.isEmpty { return .pass(c.arn(r), "Service role `\(r.name)` ties each service's request to its source.") }
                return .fail(c.arn(r), "Service role `\(r.name)` trusts \(ticks(exposed)) without a condition on the request's source.")
            }
        },
        SecurityCheck(
            id: "service-trust-source-account", title: "Confine service trust to a source account", severity: .medium,
            practice: "Where a trust statement lets an AWS service assume a role under conditions, or sits in a trust policy that is more than plain service trust, the conditions pin the source: `aws:SourceAccount` to account ids, `aws:SourceArn` to ARNs with an account, or `aws:SourceOrgID`/`aws:SourceOrgPaths` to an organization (`…IfExists` and `ForAllValues:` only with a `Null: false` test). Unconditional plain service trust is the confused-deputy check's finding; a `NotAction` is reported as INFO (prowler's MANUAL); service-linked roles are not judged.",
            references: ["prowler iam_role_service_trust_restricts_source_to_account"],
            fix: "Pin the source in the statement's conditions: `aws iam update-assume-role-policy --role-name … --policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"SERVICE.amazonaws.com\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"ACCOUNT\"}}}]}'`."
        ) { c in
            roleFindings(c, c.roles.filter { !c.isServiceLinked($0) }, none: "No role trusts an AWS service under conditions.") { r, doc in
                switch TrustFacts.sourceVerdict(doc) {
                case .notApplicable: return nil
                case .unevaluated:
                    return .info(c.arn(r), "Role `\(r.name)` has a trust statement with `NotAction`, which this check does not evaluate; review it by hand.")
                case .unconfined:
                    return .fail(c.arn(r), "Role `\(r.name)` trusts an AWS service under conditions that pin no source account, ARN or organization.")
                case .confined(let organizationOnly):
                    return .pass(c.arn(r), organizationOnly
                        ? "Role `\(r.name)` confines every trusted service to a source, one of them only to an organization."
                        : "Role `\(r.name)` confines every trusted service to a source account.")
                }
            }
        },
        SecurityCheck(
            id: "cross-account-readonly", title: "Do not give other accounts ReadOnlyAccess", severity: .high,
            practice: "A role that another account may assume does not carry `ReadOnlyAccess`, which reads nearly everything in the account (data included); grant the third party what its task needs. As prowler, roles only AWS services can assume are not judged.",
            references: ["prowler iam_role_cross_account_readonlyaccess_policy"],
            fix: "`aws iam detach-role-policy --role-name … --policy-arn arn:aws:iam::aws:policy/ReadOnlyAccess`, after attaching a policy scoped to what the other account needs."
        ) { c in
            let readers = c.roles.filter { !c.isServiceRole($0) && $0.attachedPolicies.contains(AWSPolicyARN.readOnlyAccess) }
            return roleFindings(c, readers, none: "No role that other accounts could assume has `ReadOnlyAccess` attached.") { r, doc in
                let outside = doc.statements.filter { $0.effect == .allow }.flatMap { TrustFacts.principals($0, "AWS") }.filter { v in
                    v == "*" || (TrustFacts.account(ofPrincipal: v).map { $0 != c.account } ?? false)
                }
                if outside.isEmpty { return .pass(c.arn(r), "Role `\(r.name)` has `ReadOnlyAccess` but trusts no other account.") }
                return .fail(c.arn(r), "Role `\(r.name)` gives `ReadOnlyAccess` to \(ticks(outside)).")
            }
        },
    ]

    /// One finding (or none, where `judge` gives nil) per role, from its parsed trust policy; `none` when there is
    /// no finding at all.
    static func roleFindings(_ c: SecurityContext, _ roles: [RoleRecord], none: String = "No role to check.",
                             judge: (RoleRecord, PolicyDocument) -> SecurityFinding?) -> [SecurityFinding] {
        let findings = roles.compactMap { r -> SecurityFinding? in
            guard let doc = c.trust(r) else { return .info(c.arn(r), "Role `\(r.name)`'s trust policy does not parse.") }
            return judge(r, doc)
        }
        return findings.isEmpty ? [.pass(c.accountResource, none)] : findings
    }
}
