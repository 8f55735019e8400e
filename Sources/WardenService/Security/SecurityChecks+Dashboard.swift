import Foundation
import WardenStore

extension SecurityChecks {
    /// The IAM dashboard's security status: the five items the IAM notes begin with.
    static let dashboard: [SecurityCheck] = [
        SecurityCheck(
            id: "root-access-keys", title: "Delete the root user's access keys", severity: .critical,
            practice: "Lock away the root user: it has no access keys; people and programs use IAM users and roles.",
            references: ["CIS 1.4", "prowler iam_no_root_access_key"],
            fix: "Delete the root user's access keys (signed in as root: `aws iam delete-access-key --access-key-id …`) after moving what uses them to an IAM user or role."
        ) { c in
            let keys = c.rootKeys
            guard !keys.isEmpty else { return [.pass(c.accountResource, "The root user has no access keys.")] }
            return keys.map { k in
                .fail(c.accountResource, "The root user has \(k.status == "Active" ? "an active" : "an inactive") access key `\(k.id)`.")
            }
        },
        SecurityCheck(
            id: "root-mfa", title: "Activate MFA on the root user", severity: .critical,
            practice: "Protect the root user with multi-factor authentication.",
            references: ["CIS 1.5", "prowler iam_root_mfa_enabled"],
            fix: "Sign in as root and assign an MFA device (`aws iam create-virtual-mfa-device` and `enable-mfa-device` with the root user's credentials)."
        ) { c in
            if let serial = c.state.account.rootMFASerial { return [.pass(c.accountResource, "The root user has MFA device `\(serial)`.")] }
            return [.fail(c.accountResource, "The root user has no MFA device.")]
        },
        SecurityCheck(
            id: "individual-users", title: "Create individual IAM users", severity: .high,
            practice: "Give every person and program its own IAM identity instead of sharing the root user.",
            references: ["AWS IAM dashboard"],
            fix: "Create an IAM user (or role) for each person and program: `aws iam create-user --user-name …`."
        ) { c in
            let n = c.state.users.count
            if n == 0 { return [.fail(c.accountResource, "The account has no IAM users: everything is done as root.")] }
            return [.pass(c.accountResource, "The account has \(n) IAM user\(n == 1 ? "" : "s").")]
        },
        SecurityCheck(
            id: "groups-for-permissions", title: "Use groups to assign permissions", severity: .medium,
            practice: "Give users permissions through groups with policies, not one user at a time.",
            references: ["AWS IAM dashboard"],
            fix: "Create a group, attach the policies a job needs (`aws iam attach-group-policy`) and add the users to it (`aws iam add-user-to-group`)."
        ) { c in
            let granting = c.groups.filter { !$0.attachedPolicies.isEmpty || !$0.inlinePolicies.isEmpty }
            guard !granting.isEmpty else { return [.fail(c.accountResource, "No group has a policy: no permissions are assigned through groups.")] }
            let names = Set(granting.map { $0.name.lowercased() })
            let members = c.users.filter { u in u.groups.contains { names.contains($0.lowercased()) } }
            guard !members.isEmpty else {
                return [.fail(c.accountResource, "\(granting.count) group\(granting.count == 1 ? " has" : "s have") policies but no members.")]
            }
            return [.pass(c.accountResource, "\(members.count) user\(members.count == 1 ? " gets" : "s get") permissions from \(granting.count) group\(granting.count == 1 ? "" : "s") with policies.")]
        },
        SecurityCheck(
            id: "password-policy", title: "Apply an IAM password policy", severity: .high,
            practice: "Passwords of at least 8 characters with upper- and lowercase letters, digits and symbols, changed at least every 90 days.",
            references: ["AWS IAM dashboard", "CIS 1.8", "prowler iam_password_policy_*"],
            fix: "Set a password policy: `aws iam update-account-password-policy --minimum-password-length 14 --require-symbols --require-numbers --require-uppercase-characters --require-lowercase-characters --max-password-age 90 --password-reuse-prevention 24`."
        ) { c in
            guard let p = c.state.account.passwordPolicy else { return [.fail(c.accountResource, "The account has no password policy.")] }
            var missing: [String] = []
            let s = c.settings
            if p.minimumPasswordLength < s.passwordMinLength { missing.append("a minimum length of at least \(s.passwordMinLength) (it is \(p.minimumPasswordLength))") }
            if !p.requireUppercaseCharacters { missing.append("uppercase letters") }
            if !p.requireLowercaseCharacters { missing.append("lowercase letters") }
            if !p.requireNumbers { missing.append("digits") }
            if !p.requireSymbols { missing.append("symbols") }
            if let age = p.maxPasswordAge {
                if age > s.passwordMaxAgeDays { missing.append("expiry within \(s.passwordMaxAgeDays) days (it is \(age))") }
            } else {
                missing.append("expiry within \(s.passwordMaxAgeDays) days (passwords never expire)")
            }
            if missing.isEmpty { return [.pass(c.accountResource, "The password policy meets the practice.")] }
            return [.fail(c.accountResource, "The password policy does not require " + missing.joined(separator: ", ") + ".")]
        },
    ]
}
