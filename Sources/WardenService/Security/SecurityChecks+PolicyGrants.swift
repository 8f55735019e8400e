import Foundation
import WardenPolicy
import WardenStore

extension SecurityChecks {
    /// What customer managed and inline policies allow: privilege escalation, full control of CloudTrail and
    /// KMS, Marketplace subscriptions and role assumption on any resource. Prowler splits each into a check of
    /// customer managed policies (attached ones: unattached policies grant nothing until attached) and one of
    /// inline policies; Warden keeps the split so that each maps to one prowler check.
    static let policyGrants: [SecurityCheck] = [
        grantCheck(
            id: "privilege-escalation-managed", population: .managed, title: "Customer managed policies allow no privilege escalation", severity: .high,
            practice: "Grant least privilege: no attached customer managed policy allows one of prowler's privilege escalation combinations (such as `iam:CreatePolicyVersion`, or `iam:PassRole` with `lambda:CreateFunction` and `lambda:InvokeFunction`), whatever resources it names. Many need something already in the account, so a finding is a path to review.",
            reference: "prowler iam_policy_allows_privilege_escalation",
            fix: "Remove the escalating actions, or scope `iam:PassRole` and the IAM write actions to the roles and policies the task needs: `aws iam create-policy-version --policy-arn … --policy-document file://narrower.json --set-as-default`.",
            ok: "allows no known privilege escalation"
        ) { doc in
            let paths = PolicyFacts.escalationPaths(in: doc)
            return paths.isEmpty ? nil : "allows privilege escalation through " + PolicyFacts.describe(paths)
        },
        grantCheck(
            id: "privilege-escalation-inline", population: .inline, title: "Inline policies allow no privilege escalation", severity: .high,
            practice: "Grant least privilege: no inline policy allows one of prowler's privilege escalation combinations (such as `iam:PutUserPolicy`, or `iam:PassRole` with `ec2:RunInstances`), whatever resources it names. Many need something already in the account, so a finding is a path to review.",
            reference: "prowler iam_inline_policy_allows_privilege_escalation",
            fix: "Remove the escalating actions, or scope them to the resources the task needs: `aws iam put-user-policy` (`put-group-policy`, `put-role-policy`) with a narrower document under the same name.",
            ok: "allows no known privilege escalation"
        ) { doc in
            let paths = PolicyFacts.escalationPaths(in: doc)
            return paths.isEmpty ? nil : "allows privilege escalation through " + PolicyFacts.describe(paths)
        },
        fullServiceCheck(id: "cloudtrail-full-access-managed", population: .managed, service: "cloudtrail", serviceName: "CloudTrail", severity: .medium,
                         why: "whoever holds it can stop or delete the trails that record what happens in the account",
                         reference: "prowler iam_policy_no_full_access_to_cloudtrail"),
        fullServiceCheck(id: "cloudtrail-full-access-inline", population: .inline, service: "cloudtrail", serviceName: "CloudTrail", severity: .high,
                         why: "whoever holds it can stop or delete the trails that record what happens in the account",
                         reference: "prowler iam_inline_policy_no_full_access_to_cloudtrail"),
        fullServiceCheck(id: "kms-full-access-managed", population: .managed, service: "kms", serviceName: "KMS", severity: .medium,
                         why: "whoever holds it can use, reconfigure and schedule the deletion of every key",
                         reference: "prowler iam_policy_no_full_access_to_kms"),
        fullServiceCheck(id: "kms-full-access-inline", population: .inline, service: "kms", serviceName: "KMS", severity: .medium,
                         why: "whoever holds it can use, reconfigure and schedule the deletion of every key",
                         reference: "prowler iam_inline_policy_no_full_access_to_kms"),
        marketplaceCheck(id: "marketplace-subscribe-managed", population: .managed, reference: "prowler iam_policy_no_wildcard_marketplace_subscribe"),
        marketplaceCheck(id: "marketplace-subscribe-inline", population: .inline, reference: "prowler iam_inline_policy_no_wildcard_marketplace_subscribe"),
        grantCheck(
            id: "permissive-role-assumption", population: .managed, title: "Customer managed policies do not allow assuming any role", severity: .high,
            practice: "Grant least privilege: no attached customer managed policy allows `sts:AssumeRole` (or `sts:*`, `*`, any pattern naming it) on a resource with a wildcard, which lets its holders assume every role that trusts the account. Prowler compares the action literally; Warden matches it as IAM does.",
            reference: "prowler iam_no_custom_policy_permissive_role_assumption",
            fix: "Name the roles: `aws iam create-policy-version --policy-arn … --policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"arn:aws:iam::ACCOUNT:role/NAME\"}]}' --set-as-default`.",
            ok: "does not allow `sts:AssumeRole` on a wildcard resource"
        ) { doc in
            for s in doc.statements where s.effect == .allow {
                guard let a = s.action, !a.negated, a.value.values.contains(where: { PolicyFacts.actionMatches($0, "sts:AssumeRole") }),
                      let r = s.resource, !r.negated, let wild = r.value.values.first(where: { $0.contains("*") }) else { continue }
                return "allows `sts:AssumeRole` on `\(wild)`"
            }
            return nil
        },
    ]

    /// Which policies a check of policy contents reads.
    enum PolicyPopulation: Sendable {
        /// Attached customer managed policies.
        case managed
        /// Inline policies of users, groups and roles.
        case inline

        /// The policies, in the context.
        func places(_ c: SecurityContext) -> [PolicyPlace] { self == .managed ? c.attachedCustomerPolicies : c.inlinePlaces }
        /// How a finding says there are none.
        var none: String { self == .managed ? "No customer managed policy is attached." : "No user, group or role has an inline policy." }
    }

    /// A check of the contents of one population of policies: `problem` describes what a policy allows that it
    /// should not, or gives nil.
    static func grantCheck(id: String, population: PolicyPopulation, title: String, severity: SecurityCheck.Severity, practice: String,
                           reference: String, fix: String, ok: String,
                           problem: @escaping @Sendable (PolicyDocument) -> String?) -> SecurityCheck {
        SecurityCheck(id: id, title: title, severity: severity, practice: practice, references: [reference], fix: fix) { c in
            perPolicy(population.places(c), none: population.none, c, ok: ok, problem: problem)
        }
    }

    /// Prowler's full-service checks: a policy allows every action of a service on `Resource: "*"`.
    static func fullServiceCheck(id: String, population: PolicyPopulation, service: String, serviceName: String, severity: SecurityCheck.Severity,
                                 why: String, reference: String) -> SecurityCheck {
        let kind = population == .managed ? "attached customer managed policy" : "inline policy"
        let fix = population == .managed
            ? "Allow only the \(serviceName) actions the task needs, on the resources it needs: `aws iam create-policy-version --policy-arn … --policy-document file://narrower.json --set-as-default`."
            : "Allow only the \(serviceName) actions the task needs, on the resources it needs: `aws iam put-user-policy` (`put-group-policy`, `put-role-policy`) with a narrower document under the same name."
        return grantCheck(
            id: id, population: population, title: "No \(kind) allows full access to \(serviceName)", severity: severity,
            practice: "Grant least privilege: no \(kind) allows every \(serviceName) action (`\(service):*`, `*`, or a `NotAction` that leaves \(serviceName) in) on every resource, because \(why). As prowler, a `Deny` of any \(serviceName) action takes the finding away.",
            reference: reference, fix: fix, ok: "does not allow `\(service):*` on every resource"
        ) { doc in
            PolicyFacts.allowsFullService(doc, service) ? "allows `\(service):*` on every resource" : nil
        }
    }

    /// Prowler's Marketplace checks: a policy allows `aws-marketplace:Subscribe` on every product.
    static func marketplaceCheck(id: String, population: PolicyPopulation, reference: String) -> SecurityCheck {
        let kind = population == .managed ? "attached customer managed policy" : "inline policy"
        return grantCheck(
            id: id, population: population, title: "No \(kind) allows subscribing to any Marketplace product", severity: .medium,
            practice: "Grant least privilege: no \(kind) allows `aws-marketplace:Subscribe` on every resource (conditions on the `Allow` do not help, an unconditional `Deny` does), since a subscription can bring new software and charges into the account.",
            reference: reference,
            fix: "Name the products: `aws iam create-policy-version --policy-arn … --policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"aws-marketplace:Subscribe\",\"Resource\":\"arn:aws:aws-marketplace::ACCOUNT:product/PRODUCT\"}]}' --set-as-default` (for inline policies, `aws iam put-user-policy` and its kin).",
            ok: "does not allow `aws-marketplace:Subscribe` on every resource"
        ) { doc in
            PolicyFacts.allowsOnEveryResource(doc, "aws-marketplace:Subscribe") ? "allows `aws-marketplace:Subscribe` on every resource" : nil
        }
    }
}
