import Foundation
import WardenStore

extension SecurityChecks {
    /// How credentials and permissions are used: credentials left unused, long-term credentials used where a role
    /// would do, and permissions to AI services never exercised.
    static let credentialUse: [SecurityCheck] = [
        SecurityCheck(
            id: "access-key-unused", title: "Disable unused access keys", severity: .medium,
            practice: "Remove credentials that are not needed: an active access key unused for `WARDEN_SECURITY_UNUSED_DAYS` (90 days by default, the IAM notes' threshold; CIS and prowler use 45) fails. A key never used counts from its creation (prowler skips it; the initial-access-key check covers it only for console users).",
            references: ["CIS 1.12", "prowler iam_user_accesskey_unused"],
            fix: "Deactivate the key (`aws iam update-access-key --user-name … --access-key-id … --status Inactive`) and delete it once nothing breaks (`aws iam delete-access-key`)."
        ) { c in
            let limit = c.settings.unusedDays
            return keyHolders(c).flatMap { h -> [SecurityFinding] in
                let active = h.keys.filter(isActive)
                if active.isEmpty { return [.pass(h.resource, "\(h.name) has no active access keys.")] }
                let stale = active.filter { c.days(since: $0.lastUsedDate ?? $0.createDate) > Double(limit) }
                if stale.isEmpty { return [.pass(h.resource, "\(h.name) has used each active access key within \(count(limit, "day")).")] }
                return stale.map { k in
                    if let used = k.lastUsedDate {
                        return .fail(h.resource, "\(h.name) last used access key `\(k.id)` \(ago(c.days(since: used))), more than \(count(limit, "day")) ago.")
                    }
                    return .fail(h.resource, "\(h.name) has never used access key `\(k.id)`, created \(ago(c.days(since: k.createDate))).")
                }
            }
        },
        SecurityCheck(
            id: "console-password-unused", title: "Remove unused console passwords", severity: .medium,
            practice: "Remove credentials that are not needed: a console password unused for `WARDEN_SECURITY_UNUSED_DAYS` (90 days by default, the IAM notes' threshold; CIS and prowler use 45) fails. It counts from the later of its last use and its creation, so a password never used fails too once it is that old (prowler passes it).",
            references: ["CIS 1.12", "prowler iam_user_console_access_unused"],
            fix: "Remove the password: `aws iam delete-login-profile --user-name …` (create one again with `aws iam create-login-profile` if the user comes back)."
        ) { c in
            let limit = c.settings.unusedDays
            return c.users.map { u in
                guard let login = u.loginProfile else { return .pass(c.arn(u), "User `\(u.name)` has no console password.") }
                // A password set after the last sign-in (a reset) is newer than that use.
                let since = max(u.passwordLastUsed ?? login.createDate, login.createDate)
                let days = c.days(since: since)
                guard days > Double(limit) else { return .pass(c.arn(u), "User `\(u.name)` has signed in to the console, or set the password, within \(count(limit, "day")).") }
                if u.passwordLastUsed == nil { return .fail(c.arn(u), "User `\(u.name)` has never used the console password set \(ago(days)).") }
                return .fail(c.arn(u), "User `\(u.name)` last signed in to the console \(ago(days)), more than \(count(limit, "day")) ago.")
            }
        },
        SecurityCheck(
            id: "long-term-credentials-use", title: "Use roles instead of long-term access keys", severity: .high,
            practice: "Workloads use roles and temporary credentials rather than users' long-term access keys. As prowler judges it, a user with an access key whose policies (its own, its groups') allow any service beyond IAM and STS fails: those keys should be limited to getting temporary credentials.",
            references: ["prowler iam_user_with_temporary_credentials"],
            fix: "Give the workload a role to assume (`aws iam create-role`, then `aws sts assume-role` from the workload), or deny the user's long-term credentials everything but IAM and STS: `aws iam put-user-policy --user-name … --policy-name deny-long-term-use --policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"NotAction\":[\"iam:*\",\"sts:*\"],\"Resource\":\"*\",\"Condition\":{\"Null\":{\"aws:TokenIssueTime\":\"true\"}}}]}'`."
        ) { c in
            c.users.compactMap { u -> SecurityFinding? in
                guard !c.keys(of: u).isEmpty else { return nil }
                let beyond = PolicyFacts.grantsBeyond(c.documents(of: u), ["iam", "sts"])
                let used = c.servicesUsed(by: u).filter { $0 != "iam" && $0 != "sts" }
                guard beyond else { return .pass(c.arn(u), "User `\(u.name)` has access keys that reach only IAM and STS.") }
                let note = used.isEmpty ? "" : " It has used \(ticks(used))."
                return .fail(c.arn(u), "User `\(u.name)` has long-term access keys with access to services other than IAM and STS.\(note)")
            }
        },
        staleAccess(id: "stale-bedrock-access-users", serviceName: "Bedrock", namespace: "bedrock", roles: false, days: { $0.bedrockStaleDays },
                    setting: "WARDEN_SECURITY_BEDROCK_STALE_DAYS", reference: "prowler iam_user_access_not_stale_to_bedrock"),
        staleAccess(id: "stale-bedrock-access-roles", serviceName: "Bedrock", namespace: "bedrock", roles: true, days: { $0.bedrockStaleDays },
                    setting: "WARDEN_SECURITY_BEDROCK_STALE_DAYS", reference: "prowler iam_role_access_not_stale_to_bedrock"),
        staleAccess(id: "stale-sagemaker-access-users", serviceName: "SageMaker", namespace: "sagemaker", roles: false, days: { $0.sagemakerStaleDays },
                    setting: "WARDEN_SECURITY_SAGEMAKER_STALE_DAYS", reference: "prowler iam_user_access_not_stale_to_sagemaker"),
    ]

    /// Prowler's stale-permission checks: a user (or role) whose policies grant a service it has not used within
    /// a threshold keeps a permission it does not need. Warden reads the access advisor's facts and the entity's
    /// policies; an entity that never used the service fails, as prowler judges it.
    static func staleAccess(id: String, serviceName: String, namespace: String, roles: Bool, days: @escaping @Sendable (SecuritySettings) -> Int,
                            setting: String, reference: String) -> SecurityCheck {
        let kind = roles ? "role" : "user"
        return SecurityCheck(
            id: id, title: "Remove unused \(serviceName) permissions from \(kind)s", severity: .medium,
            practice: "Grant least privilege and remove permissions that are not used: a \(kind) whose policies allow \(serviceName) (`\(namespace):…`) and that has not used it within `\(setting)` (prowler's default), or never, fails.",
            references: [reference],
            fix: roles
                ? "Detach or narrow the policies that grant `\(namespace):…` (`aws iam detach-role-policy`, `aws iam delete-role-policy`); `aws iam generate-service-last-accessed-details --arn …` shows what the role uses."
                : "Detach or narrow the policies that grant `\(namespace):…` (`aws iam detach-user-policy`, `aws iam delete-user-policy`, or the group's); `aws iam generate-service-last-accessed-details --arn …` shows what the user uses."
        ) { c in
            let limit = days(c.settings)
            let entities: [(arn: String, advisorARN: String, id: String, name: String, created: Date, documents: [String])] = roles
                ? c.roles.map { (c.arn($0), c.advisorARN($0), $0.id, $0.name, $0.createDate, c.documents(of: $0)) }
                : c.users.map { (c.arn($0), c.arn($0), $0.id, $0.name, $0.createDate, c.documents(of: $0)) }
            let findings = entities.filter { PolicyFacts.grantsService($0.documents, namespace) }.map { e -> SecurityFinding in
                let label = "\(kind.capitalized) `\(e.name)`"
                guard let used = c.lastUse(of: e.advisorARN, id: e.id, service: namespace) else {
                    // As prowler judges it: permissions never used are not needed, however new.
                    return .fail(e.arn, "\(label) has \(serviceName) permissions and has never used them.")
                }
                let since = c.days(since: used)
                if since > Double(limit) { return .fail(e.arn, "\(label) last used \(serviceName) \(ago(since)), more than \(count(limit, "day")) ago.") }
                return .pass(e.arn, "\(label) used \(serviceName) \(ago(since)).")
            }
            return findings.isEmpty ? [.pass(c.accountResource, "No \(kind) has \(serviceName) permissions.")] : findings
        }
    }
}
