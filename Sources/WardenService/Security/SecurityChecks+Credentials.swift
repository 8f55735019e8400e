import Foundation
import WardenStore

extension SecurityChecks {
    /// Checks of credentials: the root user's use and MFA, users' MFA, and the age and number of access keys;
    /// then (SecurityChecks+CredentialUse.swift) credentials left unused and permissions never exercised.
    static let credentials: [SecurityCheck] = credentialSetup + credentialUse

    /// The root user (when it has access keys) and every user, each with its access keys oldest first: the rows of
    /// the credential report that prowler's access-key checks read.
    static func keyHolders(_ c: SecurityContext) -> [(resource: String, name: String, keys: [AccessKeyRecord])] {
        var out: [(resource: String, name: String, keys: [AccessKeyRecord])] = []
        if !c.rootKeys.isEmpty { out.append((c.accountResource, "The root user", c.rootKeys)) }
        for u in c.users { out.append((c.arn(u), "User `\(u.name)`", c.keys(of: u))) }
        return out
    }

    /// How credentials are set up.
    static let credentialSetup: [SecurityCheck] = [
        SecurityCheck(
            id: "root-recent-use", title: "Avoid using the root user", severity: .high,
            practice: "Lock away the root user's credentials and use them only for the few tasks that need the root user; everyday work is done as IAM users and roles. A use of the root password or of a root access key within `WARDEN_SECURITY_ROOT_RECENT_DAYS` (1 day by default, prowler's window) fails; unlike prowler, which reads the first of password, key 1 and key 2 that has a date, Warden takes the latest use.",
            references: ["CIS 1.7", "prowler iam_avoid_root_usage"],
            fix: "Do the task as an IAM user or role with the permissions it needs. Find what used a root access key with `aws iam get-access-key-last-used --access-key-id …` and move it to an IAM role."
        ) { c in
            var uses: [(date: Date, what: String)] = []
            if let d = c.state.account.rootPasswordLastUsed { uses.append((d, "its password")) }
            for k in c.rootKeys { if let d = k.lastUsedDate { uses.append((d, "access key `\(k.id)`")) } }
            guard let last = uses.max(by: { $0.date < $1.date }) else { return [.pass(c.accountResource, "The root user has no recorded use.")] }
            let days = c.days(since: last.date)
            if days <= Double(c.settings.rootRecentDays) {
                return [.fail(c.accountResource, "The root user used \(last.what) \(ago(days)), within the last \(count(c.settings.rootRecentDays, "day")).")]
            }
            return [.pass(c.accountResource, "The root user was last used (\(last.what)) \(ago(days)).")]
        },
        SecurityCheck(
            id: "root-hardware-mfa", title: "Use a hardware MFA device for the root user", severity: .critical,
            practice: "Protect the root user with a hardware MFA device, which cannot be copied with the phone or computer a virtual device lives on. As prowler, a root user without a password or active access key is not judged. Warden emulates virtual MFA devices only, so a Warden root user with MFA fails here; the check keeps the report comparable with an AWS account's.",
            references: ["CIS 1.6", "prowler iam_root_hardware_mfa_enabled"],
            fix: "Signed in as root, deactivate the virtual device (`aws iam deactivate-mfa-device`) and enable a hardware TOTP token or FIDO security key in its place (`aws iam enable-mfa-device --serial-number …` with the root user's credentials)."
        ) { c in
            guard c.rootHasCredentials else {
                return [.info(c.accountResource, "The root user has no password or active access key, so there is nothing to protect with MFA.")]
            }
            guard let serial = c.state.account.rootMFASerial else { return [.fail(c.accountResource, "The root user has no MFA device.")] }
            if isVirtualMFA(serial) { return [.fail(c.accountResource, "The root user's MFA device `\(serial)` is virtual, not hardware.")] }
            return [.pass(c.accountResource, "The root user has hardware MFA device `\(serial)`.")]
        },
        SecurityCheck(
            id: "console-users-mfa", title: "Require MFA for users who sign in to the console", severity: .high,
            practice: "Every IAM user with a console password also has an MFA device, so a stolen password alone does not open the account.",
            references: ["CIS 1.10", "prowler iam_user_mfa_enabled_console_access"],
            fix: "Create and enable an MFA device for the user (`aws iam create-virtual-mfa-device --virtual-mfa-device-name …`, then `aws iam enable-mfa-device --user-name … --serial-number … --authentication-code1 … --authentication-code2 …`), or remove the console password: `aws iam delete-login-profile --user-name …`."
        ) { c in
            c.users.map { u in
                guard u.loginProfile != nil else { return .pass(c.arn(u), "User `\(u.name)` has no console password.") }
                if u.mfaSerials.isEmpty { return .fail(c.arn(u), "User `\(u.name)` has a console password but no MFA device.") }
                return .pass(c.arn(u), "User `\(u.name)` has a console password and MFA device `\(u.mfaSerials[0])`.")
            }
        },
        SecurityCheck(
            id: "users-hardware-mfa", title: "Use hardware MFA devices for users", severity: .high,
            practice: "IAM users authenticate with hardware MFA devices (TOTP tokens or FIDO security keys) rather than virtual ones; as prowler, a user without any MFA device fails too. Warden emulates virtual MFA devices only, so Warden users fail here; the check keeps the report comparable with an AWS account's.",
            references: ["prowler iam_user_hardware_mfa_enabled"],
            fix: "Enable a hardware MFA device for the user (`aws iam enable-mfa-device --user-name … --serial-number … --authentication-code1 … --authentication-code2 …`) and deactivate the virtual one (`aws iam deactivate-mfa-device`)."
        ) { c in
            c.users.map { u in
                if u.mfaSerials.isEmpty { return .fail(c.arn(u), "User `\(u.name)` has no MFA device.") }
                if let virtual = u.mfaSerials.first(where: isVirtualMFA) {
                    return .fail(c.arn(u), "User `\(u.name)` has virtual MFA device `\(virtual)` instead of a hardware one.")
                }
                return .pass(c.arn(u), "User `\(u.name)` has hardware MFA device `\(u.mfaSerials[0])`.")
            }
        },
        SecurityCheck(
            id: "access-key-rotation", title: "Rotate access keys", severity: .medium,
            practice: "Rotate active access keys regularly, so that a leaked key stops working: an active key older than `WARDEN_SECURITY_KEY_MAX_AGE_DAYS` (90 days by default, as CIS and prowler) fails.",
            references: ["CIS 1.14", "prowler iam_rotate_access_key_90_days"],
            fix: "Create a new key (`aws iam create-access-key --user-name …`), move its users to it, then deactivate and delete the old one: `aws iam update-access-key --user-name … --access-key-id … --status Inactive` and `aws iam delete-access-key`."
        ) { c in
            let maxAge = c.settings.keyMaxAgeDays
            return keyHolders(c).flatMap { h -> [SecurityFinding] in
                if h.keys.isEmpty { return [.pass(h.resource, "\(h.name) has no access keys.")] }
                let old = h.keys.filter { isActive($0) && c.days(since: $0.createDate) > Double(maxAge) }
                if old.isEmpty { return [.pass(h.resource, "\(h.name) has no active access key older than \(count(maxAge, "day")).")] }
                return old.map { k in
                    .fail(h.resource, "\(h.name) has not rotated active access key `\(k.id)` for \(count(Int(c.days(since: k.createDate)), "day")), more than \(maxAge).")
                }
            }
        },
        SecurityCheck(
            id: "two-active-access-keys", title: "Keep one active access key per user", severity: .medium,
            practice: "A user has at most one active access key; two are for the moment of a rotation, not a way of working.",
            references: ["CIS 1.13", "prowler iam_user_two_active_access_key"],
            fix: "Deactivate the key no longer in use, then delete it: `aws iam update-access-key --user-name … --access-key-id … --status Inactive` and `aws iam delete-access-key --user-name … --access-key-id …`."
        ) { c in
            keyHolders(c).map { h in
                let active = h.keys.filter(isActive)
                if active.count >= 2 { return .fail(h.resource, "\(h.name) has \(active.count) active access keys: \(ticks(active.map(\.id))).") }
                return .pass(h.resource, "\(h.name) has \(active.isEmpty ? "no" : "one") active access key.")
            }
        },
        SecurityCheck(
            id: "initial-access-key-unused", title: "Do not create access keys with console users", severity: .medium,
            practice: "Do not set up access keys when creating a user who signs in to the console: a key created just in case stays unused and unwatched. As prowler, a user with a console password and an active key that has never been used fails.",
            references: ["CIS 1.11", "prowler iam_user_no_setup_initial_access_key"],
            fix: "Delete the unused key: `aws iam delete-access-key --user-name … --access-key-id …`; create one later if the user turns out to need it."
        ) { c in
            c.users.flatMap { u -> [SecurityFinding] in
                let unused = c.keys(of: u).filter { isActive($0) && $0.lastUsedDate == nil }
                guard u.loginProfile != nil, !unused.isEmpty else {
                    return [.pass(c.arn(u), "User `\(u.name)` has no active access key that was never used alongside a console password.")]
                }
                return unused.map { .fail(c.arn(u), "User `\(u.name)` has a console password and active access key `\($0.id)`, which has never been used.") }
            }
        },
    ]
}
