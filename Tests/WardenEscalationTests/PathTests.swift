import Foundation
import Testing
import WardenEscalation

/// Chains, shortest paths, conditions and input decoding.
@Suite struct PathTests {
    typealias F = Fixture
    let alice = F.userARN("alice")

    /// user → AssumeRole role A → PassRole role B to Lambda → administrator.
    static let chained = F.Details(
        users: [F.user("alice", F.policy(F.allow(["sts:AssumeRole"], [F.roleARN("A")])))],
        roles: [F.role("A", trust: F.trust(aws: [F.userARN("alice")]),
                       F.policy(F.allow(["iam:PassRole"], [F.roleARN("B")]), F.allow(["lambda:CreateFunction", "lambda:InvokeFunction"]))),
                F.role("B", trust: F.trust(service: ["lambda.amazonaws.com"]), F.admin)])

    @Test func chainedPath() throws {
        let paths = F.paths(Self.chained)
        let path = try #require(paths.first { $0.principal == alice })
        #expect(path.target == F.roleARN("B"))
        #expect(path.steps.map(\.method) == ["assume-role", "pass-role-lambda"])
        #expect(path.steps.map(\.from) == [alice, F.roleARN("A")])
        #expect(path.steps.map(\.to) == [F.roleARN("A"), F.roleARN("B")])
        #expect(path.steps[1].grants.contains { $0.policy == "role/A/p0" && $0.action == "iam:PassRole" })
        // Role A escalates too, in one step.
        #expect(paths.first { $0.principal == F.roleARN("A") }?.steps.map(\.method) == ["pass-role-lambda"])
        #expect(!paths.contains { $0.principal == F.roleARN("B") })
    }

    @Test func chainBrokenWhenTheFirstRoleCannotBeAssumed() {
        var d = Self.chained
        d.roles[0].trustPolicy = PolicyText(F.trust(aws: [F.userARN("bob")]))
        #expect(F.paths(d, of: alice).isEmpty)
    }

    @Test func shortestPathIsChosen() {
        // alice can reach Admin directly or through Hop; the direct one is reported.
        let d = F.Details(users: [F.user("alice", F.policy(F.allow(["sts:AssumeRole"])))],
                          roles: [F.role("Hop", trust: F.trust(aws: [F.account]), F.policy(F.allow(["sts:AssumeRole"]))),
                                  F.role("Admin", trust: F.trust(aws: [F.account]), F.admin)])
        #expect(F.methods(d, alice, to: F.roleARN("Admin")) == ["assume-role"])
        #expect(F.methods(d, F.roleARN("Hop"), to: F.roleARN("Admin")) == ["assume-role"])
    }

    @Test func modificationDeeperInTheChain() {
        // alice → assume Ops → Ops writes an admin policy on itself.
        let d = F.Details(users: [F.user("alice", F.policy(F.allow(["sts:AssumeRole"], [F.roleARN("Ops")])))],
                          roles: [F.role("Ops", trust: F.trust(aws: [F.account]), F.policy(F.allow(["iam:PutRolePolicy"], [F.roleARN("Ops")])))])
        #expect(F.methods(d, alice) == ["assume-role", "put-role-policy"])
    }

    // MARK: conditions

    @Test func unknownConditionKeysAreAssumedSatisfiable() throws {
        let d = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:PutUserPolicy"], [F.userARN("alice")],
            condition: #"{"Bool":{"aws:MultiFactorAuthPresent":"true"}}"#), F.deny(["iam:*"], condition: #"{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#)))])
        let path = try #require(F.paths(d, of: alice).first)
        #expect(path.steps[0].grants.first?.assumedConditionKeys == ["aws:MultiFactorAuthPresent"])
    }

    @Test func knownConditionKeysAreEvaluated() {
        // The grant needs the target to be tagged team=dev; the administrator is tagged team=prod.
        let tagged = #"{"StringEquals":{"aws:ResourceTag/team":"dev"}}"#
        let d = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:CreateAccessKey"], condition: tagged))),
                                  F.user("root-like", F.admin, tags: ["team": "prod"])])
        #expect(F.paths(d, of: alice).isEmpty)
        let dev = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:CreateAccessKey"], condition: tagged))),
                                    F.user("root-like", F.admin, tags: ["team": "dev"])])
        #expect(F.methods(dev, alice, to: F.userARN("root-like")) == ["create-access-key"])
        // Principal tags come from the caller.
        let principalTag = #"{"StringEquals":{"aws:PrincipalTag/level":"senior"}}"#
        let junior = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:PutUserPolicy"], condition: principalTag)), tags: ["level": "junior"])])
        #expect(F.paths(junior).isEmpty)
        let senior = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:PutUserPolicy"], condition: principalTag)), tags: ["level": "senior"])])
        #expect(F.methods(senior, alice) == ["put-user-policy"])
    }

    @Test func trustConditionsOnThePrincipalAreEvaluated() {
        // Principal "*" narrowed by aws:PrincipalArn: only the ci-* roles may assume Deploy.
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::\#(F.account):role/ci-*"}}}]}"#
        let d = F.Details(users: [F.user("alice", F.policy(F.allow(["sts:AssumeRole"])))],
                          roles: [F.role("Deploy", trust: trust, F.admin),
                                  F.role("ci-build", trust: F.trust(service: ["codebuild.amazonaws.com"]), F.policy(F.allow(["sts:AssumeRole"])))])
        #expect(F.paths(d, of: alice).isEmpty)
        #expect(F.methods(d, F.roleARN("ci-build"), to: F.roleARN("Deploy")) == ["assume-role"])
    }

    // MARK: input

    @Test func decodesTheAWSCLIOutput() throws {
        let url = try #require(Bundle.module.url(forResource: "sample-account", withExtension: "json", subdirectory: "Accounts"))
        let details = try JSONDecoder().decode(AccountAuthorizationDetails.self, from: Data(contentsOf: url))
        #expect(details.users.count == 2 && details.groups.count == 1 && details.roles.count == 2 && details.policies.count == 1)
        let paths = EscalationAnalysis.analyze(details, account: nil)
        #expect(paths.map(\.principal) == ["arn:aws:iam::123456789012:user/dev"])
        #expect(paths.first?.steps.map(\.method) == ["create-policy-version"])
    }

    @Test func urlEncodedAndObjectDocumentsDecodeAlike() throws {
        let object = #"{"PolicyName":"p","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}}"#
        let encoded = #"{"PolicyName":"p","PolicyDocument":"%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D"}"#
        let a = try JSONDecoder().decode(AccountAuthorizationDetails.InlinePolicy.self, from: Data(object.utf8))
        let b = try JSONDecoder().decode(AccountAuthorizationDetails.InlinePolicy.self, from: Data(encoded.utf8))
        #expect(b.document.json == #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#)
        let user = { (p: AccountAuthorizationDetails.InlinePolicy) in
            AccountAuthorizationDetails(users: [.init(name: "u", arn: F.userARN("u"), inlinePolicies: [p]),
                                                .init(name: "v", arn: F.userARN("v"), inlinePolicies: [.init(name: "k", document: PolicyText(F.policy(F.allow(["iam:CreateAccessKey"]))))])])
        }
        #expect(F.paths(user(a)) == F.paths(user(b)))
        #expect(F.paths(user(a)).count == 1)
    }

    @Test func unparsablePoliciesAreReported() {
        let d = F.Details(users: [F.user("alice", "{not json", attached: [F.policyARN("Missing")])])
        let report = EscalationAnalysis.report(d, account: F.account)
        #expect(report.paths.isEmpty)
        #expect(report.warnings.count == 2)
        #expect(report.warnings.contains { $0.contains("user/alice/p0") })
        #expect(report.warnings.contains { $0.contains(F.policyARN("Missing")) })
    }
}
