import Testing
import WardenEscalation

/// Methods that let a principal act as another one: role assumption, credentials of other users, PassRole.
@Suite struct BecomeMethodTests {
    typealias F = Fixture
    let alice = F.userARN("alice")

    @Test func administratorsHaveNoFinding() {
        let d = F.Details(users: [F.user("root-like", F.admin)])
        #expect(F.paths(d).isEmpty)
    }

    @Test func nothingToEscalateWithReadOnlyPolicies() {
        let d = F.Details(users: [F.user("alice", F.policy(F.allow(["s3:Get*", "iam:List*"])))],
                          roles: [F.role("Admin", trust: F.trust(aws: [F.account]), F.admin)])
        #expect(F.paths(d).isEmpty)
    }

    // MARK: assume-role

    @Test func assumeRoleOfAdministratorRole() throws {
        let d = F.Details(users: [F.user("alice", F.policy(F.allow(["sts:AssumeRole"], [F.roleARN("Admin")], sid: "Assume")))],
                          roles: [F.role("Admin", trust: F.trust(aws: [F.account]), F.admin)])
        let path = try #require(F.paths(d, of: alice).first)
        #expect(path.target == F.roleARN("Admin"))
        #expect(path.steps.map(\.method) == ["assume-role"])
        let step = path.steps[0]
        #expect(step.from == alice && step.to == F.roleARN("Admin"))
        #expect(step.grants.contains(Grant(policy: "user/alice/p0", action: "sts:AssumeRole", statementIndex: 0, sid: "Assume")))
        #expect(step.grants.contains { $0.policy == "role/Admin/trust-policy" && $0.sid == "Trust" })
        #expect(step.fix.contains("`sts:AssumeRole`") && step.fix.contains("user/alice/p0"))
    }

    @Test func assumeRoleNearMisses() {
        // The identity policy names another role.
        let otherResource = F.Details(users: [F.user("alice", F.policy(F.allow(["sts:AssumeRole"], [F.roleARN("Other")])))],
                                      roles: [F.role("Admin", trust: F.trust(aws: [F.account]), F.admin)])
        #expect(F.paths(otherResource).isEmpty)
        // The trust policy admits someone else.
        let otherTrust = F.Details(users: [F.user("alice", F.policy(F.allow(["sts:AssumeRole"]))), F.user("bob")],
                                   roles: [F.role("Admin", trust: F.trust(aws: [F.userARN("bob")]), F.admin)])
        #expect(F.paths(otherTrust, of: alice).isEmpty)
        // A boundary that does not allow sts:AssumeRole.
        let bounded = F.Details(users: [F.user("alice", F.policy(F.allow(["sts:AssumeRole"])), boundary: F.policyARN("B"))],
                                roles: [F.role("Admin", trust: F.trust(aws: [F.account]), F.admin)],
                                policies: [F.managed("B", (F.policy(F.allow(["s3:*"])), true))])
        #expect(F.paths(bounded).isEmpty)
    }

    @Test func trustNamingTheUserDirectlyNeedsNoIdentityPolicy() {
        // Same account: a trust policy that names the user's ARN allows on its own (IAM's evaluation logic).
        let d = F.Details(users: [F.user("alice")], roles: [F.role("Admin", trust: F.trust(aws: [F.userARN("alice")]), F.admin)])
        #expect(F.methods(d, alice, to: F.roleARN("Admin")) == ["assume-role"])
    }

    // MARK: update-assume-role-policy

    @Test func updateAssumeRolePolicy() {
        let d = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"], [F.roleARN("Admin")])))],
                          roles: [F.role("Admin", trust: F.trust(service: ["ec2.amazonaws.com"]), F.admin)])
        let path = F.paths(d, of: alice).first
        #expect(path?.steps.map(\.method) == ["update-assume-role-policy"])
        #expect(path?.steps.first?.actions == ["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"])
    }

    @Test func updateAssumeRolePolicyOnAnotherRoleOnly() {
        let d = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"], [F.roleARN("Dev")])))],
                          roles: [F.role("Admin", trust: F.trust(service: ["ec2.amazonaws.com"]), F.admin),
                                  F.role("Dev", trust: F.trust(service: ["ec2.amazonaws.com"]), F.policy(F.allow(["s3:*"])))])
        #expect(F.paths(d).isEmpty)
    }

    // MARK: credentials of other users

    @Test(arguments: [("iam:CreateAccessKey", "create-access-key"), ("iam:CreateLoginProfile", "create-login-profile"),
                      ("iam:UpdateLoginProfile", "update-login-profile")])
    func credentialsOfAnAdministratorUser(action: String, method: String) {
        let d = F.Details(users: [F.user("alice", F.policy(F.allow([action], [F.userARN("root-like")]))),
                                  F.user("root-like", F.admin)])
        let path = F.paths(d, of: alice).first
        #expect(path?.target == F.userARN("root-like"))
        #expect(path?.steps.map(\.method) == [method])
    }

    @Test(arguments: ["iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile"])
    func credentialsNearMisses(action: String) {
        // Only on a user who is not an administrator.
        let otherUser = F.Details(users: [F.user("alice", F.policy(F.allow([action], [F.userARN("bob")]))),
                                          F.user("bob", F.policy(F.allow(["s3:*"]))), F.user("root-like", F.admin)])
        #expect(F.paths(otherUser, of: alice).isEmpty)
        // Denied by a boundary.
        let bounded = F.Details(users: [F.user("alice", F.policy(F.allow([action])), boundary: F.policyARN("B")),
                                        F.user("root-like", F.admin)],
                                policies: [F.managed("B", (F.policy(F.allow(["iam:Get*"])), true))])
        #expect(F.paths(bounded, of: alice).isEmpty)
        // Denied explicitly.
        let denied = F.Details(users: [F.user("alice", F.policy(F.allow([action]), F.deny([action], [F.userARN("root-like")]))),
                                       F.user("root-like", F.admin)])
        #expect(F.paths(denied, of: alice).isEmpty)
    }

    // MARK: PassRole

    @Test func passRoleToLambda() throws {
        let d = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:PassRole"], [F.roleARN("Admin")], sid: "Pass"),
                                                         F.allow(["lambda:CreateFunction", "lambda:InvokeFunction"],
                                                                 ["arn:aws:lambda:*:\(F.account):function:*"])))],
                          roles: [F.role("Admin", trust: F.trust(service: ["lambda.amazonaws.com"]), F.admin)])
        let path = try #require(F.paths(d, of: alice).first)
        #expect(path.target == F.roleARN("Admin"))
        #expect(path.steps.map(\.method) == ["pass-role-lambda"])
        #expect(path.steps[0].actions == ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"])
        #expect(path.steps[0].grants.contains { $0.action == "iam:PassRole" && $0.sid == "Pass" })
        #expect(path.steps[0].grants.contains { $0.action == "lambda:InvokeFunction" && $0.statementIndex == 1 })
    }

    @Test func passRoleNearMisses() {
        let pass = F.policy(F.allow(["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]))
        // The role trusts another service.
        let ec2Role = F.Details(users: [F.user("alice", pass)],
                                roles: [F.role("Admin", trust: F.trust(service: ["ec2.amazonaws.com"]), F.admin)])
        #expect(F.paths(ec2Role).isEmpty)
        // PassRole only to another service.
        let passedElsewhere = F.Details(
            users: [F.user("alice", F.policy(F.allow(["iam:PassRole"], condition: #"{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}"#),
                                             F.allow(["lambda:CreateFunction", "lambda:InvokeFunction"])))],
            roles: [F.role("Admin", trust: F.trust(service: ["lambda.amazonaws.com"]), F.admin)])
        #expect(F.paths(passedElsewhere).isEmpty)
        // No way to run the function.
        let cannotRun = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:PassRole", "lambda:CreateFunction"])))],
                                  roles: [F.role("Admin", trust: F.trust(service: ["lambda.amazonaws.com"]), F.admin)])
        #expect(F.paths(cannotRun).isEmpty)
        // The role has no more permissions than the caller.
        let weakRole = F.Details(users: [F.user("alice", pass)],
                                 roles: [F.role("Weak", trust: F.trust(service: ["lambda.amazonaws.com"]), F.policy(F.allow(["s3:*"])))])
        #expect(F.paths(weakRole).isEmpty)
    }

    @Test func passRoleToEC2NeedsAnInstanceProfile() {
        let user = F.user("alice", F.policy(F.allow(["iam:PassRole", "ec2:RunInstances"])))
        let withProfile = F.Details(users: [user], roles: [F.role("Admin", trust: F.trust(service: ["ec2.amazonaws.com"]), F.admin, instanceProfile: true)])
        #expect(F.methods(withProfile, alice, to: F.roleARN("Admin")) == ["pass-role-ec2"])
        let withoutProfile = F.Details(users: [user], roles: [F.role("Admin", trust: F.trust(service: ["ec2.amazonaws.com"]), F.admin)])
        #expect(F.paths(withoutProfile).isEmpty)
        let canCreateProfile = F.Details(
            users: [F.user("alice", F.policy(F.allow(["iam:PassRole", "ec2:RunInstances", "iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile"])))],
            roles: [F.role("Admin", trust: F.trust(service: ["ec2.amazonaws.com"]), F.admin)])
        #expect(F.methods(canCreateProfile, alice, to: F.roleARN("Admin")) == ["pass-role-ec2"])
    }

    static let runners: [(String, String, [String], String)] = [
        ("pass-role-glue", "glue.amazonaws.com", ["glue:CreateJob", "glue:StartJobRun"], "glue:StartJobRun"),
        ("pass-role-cloudformation", "cloudformation.amazonaws.com", ["cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet"], "cloudformation:ExecuteChangeSet"),
        ("pass-role-datapipeline", "datapipeline.amazonaws.com", ["datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition", "datapipeline:ActivatePipeline"], "datapipeline:ActivatePipeline"),
        ("pass-role-sagemaker", "sagemaker.amazonaws.com", ["sagemaker:CreateNotebookInstance", "sagemaker:CreatePresignedNotebookInstanceUrl"], "sagemaker:CreatePresignedNotebookInstanceUrl"),
        ("pass-role-codebuild", "codebuild.amazonaws.com", ["codebuild:CreateProject", "codebuild:StartBuild"], "codebuild:StartBuild"),
        ("pass-role-ecs", "ecs-tasks.amazonaws.com", ["ecs:RegisterTaskDefinition", "ecs:RunTask"], "ecs:RunTask"),
        ("pass-role-lambda", "lambda.amazonaws.com", ["lambda:CreateFunction", "lambda:CreateEventSourceMapping"], "lambda:CreateEventSourceMapping"),
    ]

    @Test(arguments: runners)
    func passRoleToServicesThatRunCode(method: String, service: String, actions: [String], needed: String) {
        let role = F.role("Admin", trust: F.trust(service: [service]), F.admin)
        let d = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:PassRole"] + actions)))], roles: [role])
        #expect(F.methods(d, alice, to: F.roleARN("Admin")) == [method])
        let missing = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:PassRole"] + actions.filter { $0 != needed })))], roles: [role])
        #expect(F.paths(missing).isEmpty)
    }
}
