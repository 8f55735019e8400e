import Foundation
import WardenStore

extension SecurityChecks {
    /// Who holds AWS's `AdministratorAccess` policy, and whether its holders use MFA.
    static let administratorAccess: [SecurityCheck] = [
        SecurityCheck(
            id: "administrator-access-users", title: "Do not attach AdministratorAccess to users", severity: .critical,
            practice: "Grant least privilege, and administrator rights through a group or a role assumed when needed, not to a user directly: no user has `AdministratorAccess` attached.",
            references: ["prowler iam_user_administrator_access_policy"],
            fix: "`aws iam detach-user-policy --user-name … --policy-arn arn:aws:iam::aws:policy/AdministratorAccess`, after giving the user what its job needs."
        ) { c in
            c.users.map { u in
                u.attachedPolicies.contains(AWSPolicyARN.administratorAccess)
                    ? .fail(c.arn(u), "User `\(u.name)` has `AdministratorAccess` attached.")
                    : .pass(c.arn(u), "User `\(u.name)` does not have `AdministratorAccess` attached.")
            }
        },
        SecurityCheck(
            id: "administrator-access-groups", title: "Do not attach AdministratorAccess to groups", severity: .high,
            practice: "Grant least privilege: no group has `AdministratorAccess` attached; groups carry the permissions of a job, and administration is done through a role assumed when needed.",
            references: ["prowler iam_group_administrator_access_policy"],
            fix: "`aws iam detach-group-policy --group-name … --policy-arn arn:aws:iam::aws:policy/AdministratorAccess`, after attaching the policies the group's job needs."
        ) { c in
            c.groups.map { g in
                g.attachedPolicies.contains(AWSPolicyARN.administratorAccess)
                    ? .fail(c.arn(g), "Group `\(g.name)` has `AdministratorAccess` attached.")
                    : .pass(c.arn(g), "Group `\(g.name)` does not have `AdministratorAccess` attached.")
            }
        },
        SecurityCheck(
            id: "administrator-access-roles", title: "Do not attach AdministratorAccess to roles", severity: .high,
            practice: "Grant least privilege: no role has `AdministratorAccess` attached. As prowler, roles only AWS services can assume (service roles, service-linked roles among them) are not judged: a service, not a person, acts with them.",
            references: ["prowler iam_role_administratoraccess_policy"],
            fix: "`aws iam detach-role-policy --role-name … --policy-arn arn:aws:iam::aws:policy/AdministratorAccess`, after attaching the policies the role's task needs."
        ) { c in
            let judged = c.roles.filter { !c.isServiceRole($0) }
            if judged.isEmpty { return [.pass(c.accountResource, "The account has no roles other than service roles.")] }
            return judged.map { r in
                r.attachedPolicies.contains(AWSPolicyARN.administratorAccess)
                    ? .fail(c.arn(r), "Role `\(r.name)` has `AdministratorAccess` attached.")
                    : .pass(c.arn(r), "Role `\(r.name)` does not have `AdministratorAccess` attached.")
            }
        },
        SecurityCheck(
            id: "administrator-group-mfa", title: "Require MFA of administrators", severity: .high,
            practice: "Privileged users authenticate with MFA: every member of a group with `AdministratorAccess` attached has an MFA device.",
            references: ["prowler iam_administrator_access_with_mfa"],
            fix: "Enable an MFA device for each member (`aws iam create-virtual-mfa-device`, `aws iam enable-mfa-device --user-name …`), or remove members who do not need administrator access: `aws iam remove-user-from-group --group-name … --user-name …`."
        ) { c in
            c.groups.flatMap { g -> [SecurityFinding] in
                let arn = c.arn(g)
                if g.attachedPolicies.isEmpty { return [.pass(arn, "Group `\(g.name)` has no attached policies.")] }
                guard g.attachedPolicies.contains(AWSPolicyARN.administratorAccess) else {
                    return [.pass(arn, "Group `\(g.name)` does not grant `AdministratorAccess`.")]
                }
                let members = c.users.filter { u in u.groups.contains { $0.lowercased() == g.name.lowercased() } }
                if members.isEmpty { return [.pass(arn, "Group `\(g.name)` grants `AdministratorAccess` but has no members.")] }
                let withoutMFA = members.filter { $0.mfaSerials.isEmpty }
                if withoutMFA.isEmpty { return [.pass(arn, "Every member of group `\(g.name)`, which grants `AdministratorAccess`, has MFA.")] }
                return withoutMFA.map { .fail(arn, "Group `\(g.name)` grants `AdministratorAccess` to user `\($0.name)`, who has no MFA device.") }
            }
        },
    ]
}
