import Foundation
import WardenPolicy
import WardenStore

extension SecurityChecks {
    /// Checks of identity policies: where they are (this file), AWS's `AdministratorAccess`
    /// (SecurityChecks+AdministratorAccess.swift), what they allow (SecurityChecks+PolicyGrants.swift) and Bedrock
    /// AgentCore (SecurityChecks+AgentCore.swift).
    static let policies: [SecurityCheck] = policyPlacement + administratorAccess + policyGrants + agentCore

    /// One finding per policy: `FAIL` when `problem` finds something (a phrase following the policy's name),
    /// `PASS` with `ok` otherwise; `none` when there is no policy to look at.
    static func perPolicy(_ places: [PolicyPlace], none: String, _ c: SecurityContext, ok: String,
                          problem: (PolicyDocument) -> String?) -> [SecurityFinding] {
        guard !places.isEmpty else { return [.pass(c.accountResource, none)] }
        return places.map { p in
            let label = p.label.prefix(1).uppercased() + p.label.dropFirst()
            guard let doc = p.parsed else { return .info(p.resource, "\(label) does not parse as a policy document.") }
            if let found = problem(doc) { return .fail(p.resource, "\(label) \(found).") }
            return .pass(p.resource, "\(label) \(ok).")
        }
    }

    /// The four checks of CIS 1.16 in prowler's split: full administrative access in one population of policies.
    static func administrativePolicies(id: String, population: String, severity: SecurityCheck.Severity, reference: String, cis: Bool,
                                       fix: String, places: @escaping @Sendable (SecurityContext) -> [PolicyPlace]) -> SecurityCheck {
        SecurityCheck(
            id: id, title: "No \(population) grants full administrative access", severity: severity,
            practice: "Grant least privilege: no \(population) allows `*:*` (every action on every resource); start from the permissions a task needs. As prowler, `Allow` statements on every resource that only use `NotAction` count as administrative too.",
            references: (cis ? ["CIS 1.16"] : []) + [reference], fix: fix
        ) { c in
            perPolicy(places(c), none: "The account has no \(population).", c, ok: "does not grant full administrative access") { doc in
                PolicyFacts.administrativeGrant(doc).map { "allows \($0)" }
            }
        }
    }

    /// Where policies are and how broad they are.
    static let policyPlacement: [SecurityCheck] = [
        SecurityCheck(
            id: "inline-policies", title: "Prefer customer managed policies to inline policies", severity: .low,
            practice: "Use customer managed policies instead of inline ones: a managed policy is reusable, versioned (a change can be rolled back) and can be reviewed in one place, while an inline policy lives and dies with its user, group or role.",
            references: ["AWS IAM best practices"],
            fix: "Create a managed policy with the same document (`aws iam create-policy --policy-name … --policy-document …`), attach it (`aws iam attach-user-policy`, `attach-group-policy` or `attach-role-policy`) and delete the inline one (`aws iam delete-user-policy`, `delete-group-policy` or `delete-role-policy`)."
        ) { c in
            let inline = c.inlinePlaces
            if inline.isEmpty { return [.pass(c.accountResource, "No user, group or role has an inline policy.")] }
            return inline.map { .fail($0.resource, "`\($0.resource)` has inline policy `\($0.name)`.") }
        },
        SecurityCheck(
            id: "user-attached-policies", title: "Give users permissions only through groups", severity: .low,
            practice: "Users receive permissions only through the groups they belong to, so that access follows the job and is reviewed per group: no policy is attached to a user directly, managed or inline.",
            references: ["CIS 1.15", "prowler iam_policy_attached_only_to_group_or_roles"],
            fix: "Add the user to a group with the permissions it needs (`aws iam add-user-to-group`), then detach the user's policies (`aws iam detach-user-policy --user-name … --policy-arn …`, `aws iam delete-user-policy --user-name … --policy-name …`)."
        ) { c in
            c.users.flatMap { u -> [SecurityFinding] in
                let direct = u.attachedPolicies.map { "managed policy `\(SecurityContext.policyName($0))`" } + u.inlinePolicies.map { "inline policy `\($0.name)`" }
                if direct.isEmpty { return [.pass(c.arn(u), "User `\(u.name)` has no policies of its own.")] }
                return direct.map { .fail(c.arn(u), "User `\(u.name)` has \($0) attached directly.") }
            }
        },
        administrativePolicies(
            id: "admin-policy-customer-attached", population: "attached customer managed policy", severity: .high,
            reference: "prowler iam_customer_attached_policy_no_administrative_privileges", cis: true,
            fix: "Replace the policy's document with one that grants what its users need: `aws iam create-policy-version --policy-arn … --policy-document file://least-privilege.json --set-as-default`."
        ) { c in c.identityPolicies.filter { $0.kind == .customerManaged && !$0.attachedTo.isEmpty } },
        administrativePolicies(
            id: "admin-policy-customer-unattached", population: "unattached customer managed policy", severity: .medium,
            reference: "prowler iam_customer_unattached_policy_no_administrative_privileges", cis: false,
            fix: "Delete the policy if nothing needs it (`aws iam delete-policy --policy-arn …`), or narrow it before anyone attaches it: `aws iam create-policy-version --policy-arn … --policy-document file://least-privilege.json --set-as-default`."
        ) { c in c.identityPolicies.filter { $0.kind == .customerManaged && $0.attachedTo.isEmpty } },
        administrativePolicies(
            id: "admin-policy-aws-attached", population: "attached AWS managed policy", severity: .critical,
            reference: "prowler iam_aws_attached_policy_no_administrative_privileges", cis: true,
            fix: "Detach the policy (`aws iam detach-user-policy`, `detach-group-policy` or `detach-role-policy` with `--policy-arn arn:aws:iam::aws:policy/AdministratorAccess`) and attach policies scoped to the job."
        ) { c in c.identityPolicies.filter { $0.kind == .awsManaged } },
        administrativePolicies(
            id: "admin-policy-inline", population: "inline policy", severity: .critical,
            reference: "prowler iam_inline_policy_no_administrative_privileges", cis: false,
            fix: "Replace the inline policy with a narrower document (`aws iam put-user-policy`, `put-group-policy` or `put-role-policy` with the same name) or delete it (`aws iam delete-user-policy`, …)."
        ) { c in c.inlinePlaces },
        SecurityCheck(
            id: "cloudshell-full-access", title: "Restrict access to AWSCloudShellFullAccess", severity: .medium,
            practice: "Do not attach `AWSCloudShellFullAccess`: it allows uploading and downloading files to and from the CloudShell environment, a way to move data out of the account past other controls; grant CloudShell with a policy that denies file transfer.",
            references: ["CIS 1.22", "prowler iam_policy_cloudshell_admin_not_attached"],
            fix: "Detach it: `aws iam detach-user-policy --user-name … --policy-arn arn:aws:iam::aws:policy/AWSCloudShellFullAccess` (or `detach-group-policy`, `detach-role-policy`)."
        ) { c in
            let entities = c.attachments[AWSPolicyARN.cloudShellFullAccess] ?? []
            if entities.isEmpty { return [.pass(AWSPolicyARN.cloudShellFullAccess, "`AWSCloudShellFullAccess` is not attached to any user, group or role.")] }
            return [.fail(AWSPolicyARN.cloudShellFullAccess, "`AWSCloudShellFullAccess` is attached to \(ticks(entities)).")]
        },
    ]
}
