import Foundation
import Testing
import WardenService
import WardenStore

/// The credential checks: each fails on one account state and passes on another.
@Suite struct SecurityCheckCredentialTests {
    /// The ARN of user `alice`.
    let alice = SecurityFixture.arn("user", "alice")

    /// `root-recent-use`: a use of the root password or a root key within the setting's window fails.
    @Test func rootRecentUse() throws {
        var f = SecurityFixture()
        f.state.account.rootPasswordLastUsed = SecurityFixture.daysAgo(0.5)
        try f.expectFail("root-recent-use", on: SecurityFixture.root)
        f.state.account.rootPasswordLastUsed = SecurityFixture.daysAgo(10)
        try f.expectPass("root-recent-use")
        // A root access key used an hour ago counts too, and the threshold is a setting.
        f.key("AKIAROOT", user: nil, createdDaysAgo: 30, usedDaysAgo: 0.04)
        try f.expectFail("root-recent-use", on: SecurityFixture.root)
        f.key("AKIAROOT", user: nil, createdDaysAgo: 30, usedDaysAgo: 3)
        f.settings.rootRecentDays = 2
        try f.expectPass("root-recent-use")
        f.settings.rootRecentDays = 5
        try f.expectFail("root-recent-use", on: SecurityFixture.root)
    }

    /// `root-hardware-mfa`: no device or a virtual one fails, a hardware serial passes, a root user without credentials is INFO.
    @Test func rootHardwareMFA() throws {
        var f = SecurityFixture()
        f.state.account.rootPasswordHash = "hash"
        try f.expectFail("root-hardware-mfa", on: SecurityFixture.root)
        f.state.account.rootMFASerial = "arn:aws:iam::123456789012:mfa/root-device"
        try f.expectFail("root-hardware-mfa", on: SecurityFixture.root)
        f.state.account.rootMFASerial = "GAHT12345678"
        try f.expectPass("root-hardware-mfa")
        // Without a password or an active key there is nothing to protect.
        f.state.account.rootPasswordHash = nil
        #expect(try f.run("root-hardware-mfa").status == .info)
    }

    /// `console-users-mfa`: a console password without an MFA device fails.
    @Test func consoleUsersMFA() throws {
        var f = SecurityFixture()
        f.user("alice")
        f.login("alice")
        f.user("bob")
        try f.expectFail("console-users-mfa", on: alice)
        f.state.users["alice"]?.mfaSerials = ["arn:aws:iam::123456789012:mfa/alice"]
        try f.expectPass("console-users-mfa")
    }

    /// `users-hardware-mfa`: a virtual device fails, a hardware one passes.
    @Test func usersHardwareMFA() throws {
        var f = SecurityFixture()
        f.user("alice") { $0.mfaSerials = ["arn:aws:iam::123456789012:mfa/alice"] }
        try f.expectFail("users-hardware-mfa", on: alice)
        f.state.users["alice"]?.mfaSerials = ["GAHT12345678"]
        try f.expectPass("users-hardware-mfa")
    }

    /// `access-key-rotation`: an active key older than the setting fails; inactive ones do not count.
    @Test func accessKeyRotation() throws {
        var f = SecurityFixture()
        f.user("alice")
        f.key("AKIAOLD", user: "alice", createdDaysAgo: 100, usedDaysAgo: 1)
        try f.expectFail("access-key-rotation", on: alice)
        #expect(try f.run("access-key-rotation").findings.contains { $0.reason.contains("`AKIAOLD`") })
        // An inactive old key does not count; a young active one passes.
        f.key("AKIAOLD", user: "alice", createdDaysAgo: 100, active: false)
        f.key("AKIANEW", user: "alice", createdDaysAgo: 10)
        try f.expectPass("access-key-rotation")
        f.settings.keyMaxAgeDays = 5
        try f.expectFail("access-key-rotation", on: alice)
    }

    /// `two-active-access-keys`: two active keys fail, one active and one inactive pass.
    @Test func twoActiveAccessKeys() throws {
        var f = SecurityFixture()
        f.user("alice")
        f.key("AKIAONE", user: "alice", createdDaysAgo: 10)
        f.key("AKIATWO", user: "alice", createdDaysAgo: 5)
        try f.expectFail("two-active-access-keys", on: alice)
        f.key("AKIAONE", user: "alice", createdDaysAgo: 10, active: false)
        try f.expectPass("two-active-access-keys")
    }

    /// `initial-access-key-unused`: a console user's active key never used fails.
    @Test func initialAccessKeyUnused() throws {
        var f = SecurityFixture()
        f.user("alice")
        f.login("alice", usedDaysAgo: 1)
        f.key("AKIAINIT", user: "alice", createdDaysAgo: 200)
        try f.expectFail("initial-access-key-unused", on: alice)
        f.key("AKIAINIT", user: "alice", createdDaysAgo: 200, usedDaysAgo: 3)
        try f.expectPass("initial-access-key-unused")
    }

    /// `access-key-unused`: a key unused for longer than the setting fails, a never-used one counting from its creation.
    @Test func accessKeyUnused() throws {
        var f = SecurityFixture()
        f.user("alice")
        f.key("AKIASTALE", user: "alice", createdDaysAgo: 300, usedDaysAgo: 100)
        try f.expectFail("access-key-unused", on: alice)
        f.key("AKIASTALE", user: "alice", createdDaysAgo: 300, usedDaysAgo: 5)
        try f.expectPass("access-key-unused")
        // A key never used counts from its creation.
        f.key("AKIANEVER", user: "alice", createdDaysAgo: 91)
        try f.expectFail("access-key-unused", on: alice)
        f.key("AKIANEVER", user: "alice", createdDaysAgo: 30)
        try f.expectPass("access-key-unused")
    }

    /// `console-password-unused`: a password unused for longer than the setting fails, counting from the later of use and reset.
    @Test func consolePasswordUnused() throws {
        var f = SecurityFixture()
        f.user("alice")
        f.login("alice", setDaysAgo: 300, usedDaysAgo: 120)
        try f.expectFail("console-password-unused", on: alice)
        f.login("alice", setDaysAgo: 300, usedDaysAgo: 2)
        try f.expectPass("console-password-unused")
        // A password reset after the last sign-in counts from the reset.
        f.login("alice", setDaysAgo: 10, usedDaysAgo: 120)
        try f.expectPass("console-password-unused")
        f.login("alice", setDaysAgo: 120)
        try f.expectFail("console-password-unused", on: alice)
    }

    /// `long-term-credentials-use`: access keys with services beyond IAM and STS are an INFO hint.
    @Test func longTermCredentialsUse() throws {
        var f = SecurityFixture()
        f.user("alice") { $0.inlinePolicies = [InlinePolicy(name: "self", document: SecurityFixture.allow(#"["iam:ChangePassword", "sts:GetSessionToken"]"#))] }
        f.key("AKIAALICE", user: "alice", createdDaysAgo: 30, usedDaysAgo: 1)
        // Keys that reach only IAM and STS pass.
        try f.expectPass("long-term-credentials-use")
        // Keys whose policies reach another service fail, as prowler judges it, used or not.
        f.user("bob") { $0.inlinePolicies = [InlinePolicy(name: "s3", document: SecurityFixture.allow(#""s3:GetObject""#))] }
        f.key("AKIABOB", user: "bob", createdDaysAgo: 30, usedDaysAgo: nil)
        try f.expectFail("long-term-credentials-use", on: SecurityFixture.arn("user", "bob"))
        // A user without keys is not judged.
        f.user("carol") { $0.inlinePolicies = [InlinePolicy(name: "all", document: SecurityFixture.allow(#""*""#))] }
        let result = try f.run("long-term-credentials-use")
        #expect(!result.findings.contains { $0.resource == SecurityFixture.arn("user", "carol") })
    }

    /// `stale-bedrock-access-users`: Bedrock permissions unused (by this user, not a namesake) fail.
    @Test func staleBedrockAccessUsers() throws {
        var f = SecurityFixture()
        f.user("alice") { $0.inlinePolicies = [InlinePolicy(name: "ai", document: SecurityFixture.allow(#""bedrock:*""#))] }
        f.user("bob")
        try f.expectFail("stale-bedrock-access-users", on: alice)
        f.used(alice, id: "AIDAALICE", "bedrock", daysAgo: 70)
        try f.expectFail("stale-bedrock-access-users", on: alice)
        f.used(alice, id: "AIDAALICE", "bedrock", daysAgo: 10)
        try f.expectPass("stale-bedrock-access-users")
        // A use by a deleted user of the same name does not count.
        f.used(alice, id: "AIDAOLDALICE", "bedrock", daysAgo: 10)
        try f.expectFail("stale-bedrock-access-users", on: alice)
    }

    /// `stale-bedrock-access-roles`: Bedrock permissions unused fail; role sessions count under the path-less ARN.
    @Test func staleBedrockAccessRoles() throws {
        var f = SecurityFixture()
        f.role("agent") { $0.path = "/ai/"; $0.attachedPolicies = ["arn:aws:iam::aws:policy/AmazonBedrockFullAccess"] }
        let agent = "arn:aws:iam::123456789012:role/ai/agent"
        try f.expectFail("stale-bedrock-access-roles", on: agent)
        // Role sessions count toward the role's ARN without its path.
        f.used(SecurityFixture.arn("role", "agent"), id: "AROAAGENT", "bedrock", daysAgo: 3)
        try f.expectPass("stale-bedrock-access-roles")
    }

    /// `stale-sagemaker-access-users`: SageMaker permissions from a group, unused, fail.
    @Test func staleSageMakerAccessUsers() throws {
        var f = SecurityFixture()
        f.group("ml") { $0.inlinePolicies = [InlinePolicy(name: "ml", document: SecurityFixture.allow(#"["sagemaker:CreateTrainingJob"]"#))] }
        f.user("alice") { $0.groups = ["ml"] }
        try f.expectFail("stale-sagemaker-access-users", on: alice)
        f.used(alice, id: "AIDAALICE", "sagemaker", daysAgo: 30)
        try f.expectPass("stale-sagemaker-access-users")
    }

    /// The seven password policy checks: each fails without a policy and on its own weakness, and passes otherwise.
    @Test func passwordPolicyRules() throws {
        let rules = ["password-policy-min-length", "password-policy-reuse", "password-policy-uppercase", "password-policy-lowercase",
                     "password-policy-numbers", "password-policy-symbols", "password-policy-expiry"]
        var f = SecurityFixture()
        // No policy: IAM's default fails every rule.
        for id in rules { try f.expectFail(id, on: SecurityFixture.root) }
        f.state.account.passwordPolicy = .strong
        for id in rules { try f.expectPass(id) }
        // Each rule fails on its own weakness.
        let weaken: [(String, (inout PasswordPolicy) -> Void)] = [
            ("password-policy-min-length", { $0.minimumPasswordLength = 12 }), ("password-policy-reuse", { $0.passwordReusePrevention = 5 }),
            ("password-policy-uppercase", { $0.requireUppercaseCharacters = false }), ("password-policy-lowercase", { $0.requireLowercaseCharacters = false }),
            ("password-policy-numbers", { $0.requireNumbers = false }), ("password-policy-symbols", { $0.requireSymbols = false }),
            ("password-policy-expiry", { $0.maxPasswordAge = 180 }),
        ]
        for (id, change) in weaken {
            var p = PasswordPolicy.strong
            change(&p)
            f.state.account.passwordPolicy = p
            try f.expectFail(id, on: SecurityFixture.root)
            for other in rules where other != id { try f.expectPass(other) }
        }
    }
}
