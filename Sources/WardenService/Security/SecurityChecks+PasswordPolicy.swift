import Foundation
import WardenStore

extension SecurityChecks {
    /// The password policy, one check per rule as prowler has them (the dashboard's `password-policy` judges the
    /// whole policy against the IAM notes). An account without a policy has IAM's default: 8 characters, nothing
    /// required, no expiry, no reuse prevention.
    static let passwordPolicy: [SecurityCheck] = [
        passwordRule(
            id: "password-policy-min-length", title: "Require long passwords", severity: .medium,
            practice: "Passwords of at least `WARDEN_SECURITY_CIS_PASSWORD_MIN_LENGTH` characters (14 by default, as CIS and prowler).",
            references: ["CIS 1.8", "prowler iam_password_policy_minimum_length_14"],
            fix: "aws iam update-account-password-policy --minimum-password-length 14"
        ) { p, s in
            p.minimumPasswordLength >= s.cisPasswordMinLength
                ? (true, "The password policy requires at least \(p.minimumPasswordLength) characters.")
                : (false, "The password policy requires \(p.minimumPasswordLength) characters, fewer than \(s.cisPasswordMinLength).")
        },
        passwordRule(
            id: "password-policy-reuse", title: "Prevent password reuse", severity: .medium,
            practice: "Users cannot reuse their last `WARDEN_SECURITY_CIS_PASSWORD_REUSE` passwords (24 by default, as CIS and prowler; prowler wants exactly 24, the most IAM allows, Warden at least the setting).",
            references: ["CIS 1.9", "prowler iam_password_policy_reuse_24"],
            fix: "aws iam update-account-password-policy --password-reuse-prevention 24"
        ) { p, s in
            guard let n = p.passwordReusePrevention else { return (false, "The password policy does not prevent password reuse.") }
            return n >= s.cisPasswordReuse
                ? (true, "The password policy prevents reuse of the last \(count(n, "password")).")
                : (false, "The password policy prevents reuse of the last \(count(n, "password")) only, fewer than \(s.cisPasswordReuse).")
        },
        passwordRule(
            id: "password-policy-uppercase", title: "Require uppercase letters in passwords", severity: .medium,
            practice: "Passwords contain at least one uppercase letter.",
            references: ["prowler iam_password_policy_uppercase"],
            fix: "aws iam update-account-password-policy --require-uppercase-characters"
        ) { p, _ in
            p.requireUppercaseCharacters ? (true, "The password policy requires an uppercase letter.") : (false, "The password policy does not require an uppercase letter.")
        },
        passwordRule(
            id: "password-policy-lowercase", title: "Require lowercase letters in passwords", severity: .low,
            practice: "Passwords contain at least one lowercase letter.",
            references: ["prowler iam_password_policy_lowercase"],
            fix: "aws iam update-account-password-policy --require-lowercase-characters"
        ) { p, _ in
            p.requireLowercaseCharacters ? (true, "The password policy requires a lowercase letter.") : (false, "The password policy does not require a lowercase letter.")
        },
        passwordRule(
            id: "password-policy-numbers", title: "Require digits in passwords", severity: .medium,
            practice: "Passwords contain at least one digit.",
            references: ["prowler iam_password_policy_number"],
            fix: "aws iam update-account-password-policy --require-numbers"
        ) { p, _ in
            p.requireNumbers ? (true, "The password policy requires a digit.") : (false, "The password policy does not require a digit.")
        },
        passwordRule(
            id: "password-policy-symbols", title: "Require symbols in passwords", severity: .medium,
            practice: "Passwords contain at least one symbol.",
            references: ["prowler iam_password_policy_symbol"],
            fix: "aws iam update-account-password-policy --require-symbols"
        ) { p, _ in
            p.requireSymbols ? (true, "The password policy requires a symbol.") : (false, "The password policy does not require a symbol.")
        },
        passwordRule(
            id: "password-policy-expiry", title: "Expire passwords", severity: .medium,
            practice: "Passwords expire within `WARDEN_SECURITY_PASSWORD_MAX_AGE_DAYS` (90 days by default, as the IAM notes and prowler).",
            references: ["prowler iam_password_policy_expires_passwords_within_90_days_or_less"],
            fix: "aws iam update-account-password-policy --max-password-age 90"
        ) { p, s in
            guard let age = p.maxPasswordAge else { return (false, "The password policy does not expire passwords.") }
            return age <= s.passwordMaxAgeDays
                ? (true, "The password policy expires passwords after \(count(age, "day")).")
                : (false, "The password policy expires passwords after \(count(age, "day")), more than \(s.passwordMaxAgeDays).")
        },
    ]

    /// A check of one rule of the password policy: `rule` says whether the policy meets it and why (a sentence
    /// beginning `The password policy`); `fix` is the command that sets the rule. Without a policy the rule is
    /// judged on IAM's default one, and the reason says there is none.
    static func passwordRule(id: String, title: String, severity: SecurityCheck.Severity, practice: String, references: [String], fix: String,
                             rule: @escaping @Sendable (PasswordPolicy, SecuritySettings) -> (ok: Bool, reason: String)) -> SecurityCheck {
        SecurityCheck(id: id, title: title, severity: severity, practice: practice, references: references, fix: "`\(fix)`, passing the settings to keep as well: the call replaces the whole policy.") { c in
            guard let policy = c.state.account.passwordPolicy else {
                let (ok, reason) = rule(PasswordPolicy(), c.settings)
                let text = "The account has no password policy, so IAM's default applies: " + reason.replacingOccurrences(of: "The password policy", with: "it")
                return [ok ? .pass(c.accountResource, text) : .fail(c.accountResource, text)]
            }
            let (ok, reason) = rule(policy, c.settings)
            return [ok ? .pass(c.accountResource, reason) : .fail(c.accountResource, reason)]
        }
    }
}
