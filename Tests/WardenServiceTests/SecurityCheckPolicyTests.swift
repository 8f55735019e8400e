import Foundation
import Testing
import WardenService
import WardenStore

/// The policy checks: each fails on one account state and passes on another.
@Suite struct SecurityCheckPolicyTests {
    /// The ARN of user `alice`.
    let alice = SecurityFixture.arn("user", "alice")
    /// The ARN of group `admins`.
    let admins = SecurityFixture.arn("group", "admins")
    /// The ARN of role `deployer`.
    let deployer = SecurityFixture.arn("role", "deployer")
    /// AWS's `AdministratorAccess`.
    static let administratorAccess = "arn:aws:iam::aws:policy/AdministratorAccess"
    /// A harmless policy document.
    static let readOnly = SecurityFixture.allow(#""s3:GetObject""#)

    /// `inline-policies`: an inline policy fails.
    @Test func inlinePolicies() throws {
        var f = SecurityFixture()
        f.role("deployer")
        try f.expectPass("inline-policies")
        f.state.roles["deployer"]?.inlinePolicies = [InlinePolicy(name: "deploy", document: Self.readOnly)]
        try f.expectFail("inline-policies", on: deployer)
    }

    /// `user-attached-policies`: a policy attached to a user directly fails.
    @Test func userAttachedPolicies() throws {
        var f = SecurityFixture()
        f.user("alice") { $0.groups = ["admins"] }
        try f.expectPass("user-attached-policies")
        f.state.users["alice"]?.attachedPolicies = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
        try f.expectFail("user-attached-policies", on: alice)
    }

    /// `admin-policy-customer-attached` and `-unattached`: `*` (or only `NotAction`) on every resource fails.
    @Test func administrativeCustomerPolicies() throws {
        var f = SecurityFixture()
        let everything = SecurityFixture.allow(#""*""#)
        let arn = f.policy("Everything", everything)
        // Unattached: the unattached check fails, the attached one has nothing to look at.
        try f.expectFail("admin-policy-customer-unattached", on: arn)
        try f.expectPass("admin-policy-customer-attached")
        f.role("deployer") { $0.attachedPolicies = [arn] }
        try f.expectFail("admin-policy-customer-attached", on: arn)
        try f.expectPass("admin-policy-customer-unattached")
        // Narrowed, it passes; `Allow` with only `NotAction` on every resource counts as administrative, as in prowler.
        f.policy("Everything", Self.readOnly)
        try f.expectPass("admin-policy-customer-attached")
        f.policy("Everything", #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}"#)
        try f.expectFail("admin-policy-customer-attached", on: arn)
    }

    /// `admin-policy-aws-attached`: attached `AdministratorAccess` fails, `PowerUserAccess` does not.
    @Test func administrativeAWSPolicies() throws {
        var f = SecurityFixture()
        f.role("deployer") { $0.attachedPolicies = ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/PowerUserAccess"] }
        try f.expectPass("admin-policy-aws-attached")
        f.state.roles["deployer"]?.attachedPolicies.append(Self.administratorAccess)
        try f.expectFail("admin-policy-aws-attached", on: Self.administratorAccess)
    }

    /// `admin-policy-inline`: an inline `*:*` fails.
    @Test func administrativeInlinePolicies() throws {
        var f = SecurityFixture()
        f.user("alice") { $0.inlinePolicies = [InlinePolicy(name: "ops", document: Self.readOnly)] }
        try f.expectPass("admin-policy-inline")
        f.state.users["alice"]?.inlinePolicies.append(InlinePolicy(name: "root-ish", document: SecurityFixture.allow(#""*:*""#)))
        try f.expectFail("admin-policy-inline", on: alice)
    }

    /// `cloudshell-full-access`: attaching `AWSCloudShellFullAccess` fails.
    @Test func cloudShellFullAccess() throws {
        var f = SecurityFixture()
        f.user("alice")
        try f.expectPass("cloudshell-full-access")
        f.state.users["alice"]?.attachedPolicies = ["arn:aws:iam::aws:policy/AWSCloudShellFullAccess"]
        try f.expectFail("cloudshell-full-access", on: "arn:aws:iam::aws:policy/AWSCloudShellFullAccess")
    }

    /// `administrator-access-users`, `-groups`, `-roles`: `AdministratorAccess` attached fails; service roles are exempt.
    @Test func administratorAccessAttachments() throws {
        var f = SecurityFixture()
        f.user("alice")
        f.group("admins")
        f.role("deployer")
        // A service role is not judged (prowler's exemption).
        f.role("lambda-exec", trust: SecurityFixture.trust(#"{"Service":"lambda.amazonaws.com"}"#)) { $0.attachedPolicies = [Self.administratorAccess] }
        for id in ["administrator-access-users", "administrator-access-groups", "administrator-access-roles"] { try f.expectPass(id) }
        f.state.users["alice"]?.attachedPolicies = [Self.administratorAccess]
        f.state.groups["admins"]?.attachedPolicies = [Self.administratorAccess]
        f.state.roles["deployer"]?.attachedPolicies = [Self.administratorAccess]
        try f.expectFail("administrator-access-users", on: alice)
        try f.expectFail("administrator-access-groups", on: admins)
        try f.expectFail("administrator-access-roles", on: deployer)
    }

    /// `administrator-group-mfa`: a member of an `AdministratorAccess` group without MFA fails.
    @Test func administratorGroupMFA() throws {
        var f = SecurityFixture()
        f.group("admins") { $0.attachedPolicies = [Self.administratorAccess] }
        f.user("alice") { $0.groups = ["admins"] }
        try f.expectFail("administrator-group-mfa", on: admins)
        f.state.users["alice"]?.mfaSerials = ["arn:aws:iam::123456789012:mfa/alice"]
        try f.expectPass("administrator-group-mfa")
    }

    /// `privilege-escalation-managed` and `-inline`: prowler's combinations fail, unless a `Deny` takes one action away.
    @Test func privilegeEscalation() throws {
        var f = SecurityFixture()
        let arn = f.policy("Deploy", SecurityFixture.allow(#"["lambda:CreateFunction","lambda:InvokeFunction"]"#))
        f.role("deployer") { $0.attachedPolicies = [arn]; $0.inlinePolicies = [InlinePolicy(name: "read", document: Self.readOnly)] }
        try f.expectPass("privilege-escalation-managed")
        try f.expectPass("privilege-escalation-inline")
        // With iam:PassRole the three make prowler's `PassRole+CreateLambda+Invoke`.
        f.policy("Deploy", SecurityFixture.allow(#"["iam:PassRole","lambda:CreateFunction","lambda:InvokeFunction"]"#))
        try f.expectFail("privilege-escalation-managed", on: arn)
        #expect(try f.run("privilege-escalation-managed").findings.contains { $0.reason.contains("`PassRole+CreateLambda+Invoke`") })
        // An unconditional Deny of iam:PassRole takes it away.
        f.policy("Deploy", #"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:PassRole","lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"},
            {"Effect":"Deny","Action":"iam:Pass*","Resource":"*"}]}
            """#)
        try f.expectPass("privilege-escalation-managed")
        f.state.roles["deployer"]?.inlinePolicies = [InlinePolicy(name: "self", document: SecurityFixture.allow(#""iam:Put*""#))]
        try f.expectFail("privilege-escalation-inline", on: deployer)
    }

    /// `cloudtrail-full-access-*` and `kms-full-access-*`: `service:*` on `*` fails, on named resources passes.
    @Test func fullAccessToCloudTrailAndKMS() throws {
        for service in ["cloudtrail", "kms"] {
            var f = SecurityFixture()
            let arn = f.policy("Ops", SecurityFixture.allow(#"["\#(service):Describe*"]"#))
            f.role("deployer") { $0.attachedPolicies = [arn]; $0.inlinePolicies = [InlinePolicy(name: "ops", document: Self.readOnly)] }
            try f.expectPass("\(service)-full-access-managed")
            try f.expectPass("\(service)-full-access-inline")
            f.policy("Ops", SecurityFixture.allow(#""\#(service):*""#))
            f.state.roles["deployer"]?.inlinePolicies = [InlinePolicy(name: "ops", document: SecurityFixture.allow(#""\#(service):*""#))]
            try f.expectFail("\(service)-full-access-managed", on: arn)
            try f.expectFail("\(service)-full-access-inline", on: deployer)
            // Full access on named resources only is not full access.
            f.policy("Ops", SecurityFixture.allow(#""\#(service):*""#, #""arn:aws:\#(service):us-east-1:123456789012:*""#))
            try f.expectPass("\(service)-full-access-managed")
        }
    }

    /// `marketplace-subscribe-managed` and `-inline`: `aws-marketplace:Subscribe` on `*` fails.
    @Test func marketplaceSubscribe() throws {
        var f = SecurityFixture()
        let product = #""arn:aws:aws-marketplace::123456789012:product/prod-1""#
        let arn = f.policy("Buy", SecurityFixture.allow(#""aws-marketplace:Subscribe""#, product))
        f.user("alice") {
            $0.attachedPolicies = [arn]
            $0.inlinePolicies = [InlinePolicy(name: "buy", document: SecurityFixture.allow(#""aws-marketplace:Subscribe""#, product))]
        }
        try f.expectPass("marketplace-subscribe-managed")
        try f.expectPass("marketplace-subscribe-inline")
        f.policy("Buy", SecurityFixture.allow(#""aws-marketplace:*""#))
        f.state.users["alice"]?.inlinePolicies = [InlinePolicy(name: "buy", document: SecurityFixture.allow(#""aws-marketplace:Subscribe""#))]
        try f.expectFail("marketplace-subscribe-managed", on: arn)
        try f.expectFail("marketplace-subscribe-inline", on: alice)
    }

    /// `permissive-role-assumption`: `sts:AssumeRole` on a wildcard resource fails.
    @Test func permissiveRoleAssumption() throws {
        var f = SecurityFixture()
        let arn = f.policy("Hop", SecurityFixture.allow(#""sts:AssumeRole""#, #""arn:aws:iam::123456789012:role/deployer""#))
        f.user("alice") { $0.attachedPolicies = [arn] }
        try f.expectPass("permissive-role-assumption")
        f.policy("Hop", SecurityFixture.allow(#""sts:AssumeRole""#, #""arn:aws:iam::*:role/*""#))
        try f.expectFail("permissive-role-assumption", on: arn)
    }

    /// `agentcore-workload-token-wildcard`: token retrieval beyond workload identities fails; `*` is left to others; `NotAction` is INFO.
    @Test func agentCoreWorkloadAccessToken() throws {
        var f = SecurityFixture()
        let scoped = #""arn:aws:bedrock-agentcore:us-east-1:123456789012:workload-identity-directory/default/workload-identity/*""#
        let arn = f.policy("Agent", SecurityFixture.allow(#""bedrock-agentcore:GetWorkloadAccessToken*""#, scoped))
        f.role("deployer") { $0.attachedPolicies = [arn] }
        try f.expectPass("agentcore-workload-token-wildcard")
        f.policy("Agent", SecurityFixture.allow(#""bedrock-agentcore:GetWorkloadAccessToken*""#, #""arn:aws:bedrock-agentcore:us-east-1:123456789012:*prod-*""#))
        try f.expectFail("agentcore-workload-token-wildcard", on: arn)
        // `Action: "*"` is the administrator checks' finding, not this one's.
        f.policy("Agent", SecurityFixture.allow(#""*""#))
        try f.expectPass("agentcore-workload-token-wildcard")
        // A NotAction is not evaluated: INFO.
        f.policy("Agent", #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}"#)
        #expect(try f.run("agentcore-workload-token-wildcard").status == .info)
    }

    /// `agentcore-passrole-unrestricted`: passing every role to AgentCore fails; named roles or another service pass.
    @Test func agentCorePassRole() throws {
        var f = SecurityFixture()
        let pinned = #"{"StringEquals":{"iam:PassedToService":"bedrock-agentcore.amazonaws.com"}}"#
        let arn = f.policy("Agent", SecurityFixture.allow(#""iam:PassRole""#, #""arn:aws:iam::123456789012:role/AgentCoreExecution*""#, condition: pinned))
        f.role("deployer") { $0.attachedPolicies = [arn] }
        try f.expectPass("agentcore-passrole-unrestricted")
        f.policy("Agent", SecurityFixture.allow(#""iam:PassRole""#, #""arn:aws:iam::123456789012:role/*""#, condition: pinned))
        try f.expectFail("agentcore-passrole-unrestricted", on: arn)
        // Pinned to another service, every role is not AgentCore's concern.
        f.policy("Agent", SecurityFixture.allow(#""iam:PassRole""#, #""*""#, condition: #"{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}"#))
        try f.expectPass("agentcore-passrole-unrestricted")
        // Unpinned, beside AgentCore actions, it fails.
        f.policy("Agent", SecurityFixture.allow(#"["iam:PassRole","bedrock-agentcore:CreateAgentRuntime"]"#))
        try f.expectFail("agentcore-passrole-unrestricted", on: arn)
    }
}
