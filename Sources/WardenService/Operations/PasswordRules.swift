import Foundation
import WardenCore
import WardenStore

/// The account password policy applied to a new password, with AWS's `PasswordPolicyViolation` messages.
enum PasswordRules {
    static let symbols = Set("!@#$%^&*()_+-=[]{}|'")

    static func check(_ password: String, policy: PasswordPolicy?, history: [String] = []) throws {
        guard let policy else {
            // AWS's default policy: at least 8 characters and three of the four character types.
            if password.count < 8 { throw violation("Password should have a minimum length of 8") }
            let kinds = [password.contains(where: \.isUppercase), password.contains(where: \.isLowercase),
                         password.contains(where: \.isNumber), password.contains(where: { !$0.isLetter && !$0.isNumber })]
            if kinds.filter({ $0 }).count < 3 {
                throw violation("Password should include at least three of the following character types: uppercase letters, lowercase letters, numbers, and symbols")
            }
            return
        }
        var problems: [String] = []
        if password.count < policy.minimumPasswordLength { problems.append("Password should have a minimum length of \(policy.minimumPasswordLength)") }
        if policy.requireLowercaseCharacters && !password.contains(where: { $0.isLowercase && $0.isASCII }) {
            problems.append("Password should have at least one lowercase letter")
        }
        if policy.requireUppercaseCharacters && !password.contains(where: { $0.isUppercase && $0.isASCII }) {
            problems.append("Password should have at least one uppercase letter")
        }
        if policy.requireNumbers && !password.contains(where: { $0.isNumber && $0.isASCII }) {
            problems.append("Password should have at least one number")
        }
        if policy.requireSymbols && !password.contains(where: { symbols.contains($0) }) {
            problems.append("Password should have at least one symbol")
        }
        if !problems.isEmpty { throw violation(problems.joined(separator: "\n")) }
        if let n = policy.passwordReusePrevention, n > 0 {
            for old in history.prefix(n) where PasswordHasher.verify(Redacted(password), against: old) {
                throw violation("Password should not be one of your previous \(n) passwords.")
            }
        }
    }

    static func violation(_ message: String) -> ServiceError { ServiceError(.passwordPolicyViolation, message) }
}
