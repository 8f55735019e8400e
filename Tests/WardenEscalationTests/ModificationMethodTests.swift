import Testing
import WardenEscalation

/// Methods that make a principal an administrator by changing policies, groups or boundaries.
@Suite struct ModificationMethodTests {
    typealias F = Fixture
    let alice = F.userARN("alice")
    let adminAccess = "arn:aws:iam::aws:policy/AdministratorAccess"

    // MARK: inline and attached policies

    @Test func putUserPolicyOnItself() throws {
        let d = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:PutUserPolicy"], ["arn:aws:iam::\(F.account):user/${aws:username}"], sid: "Self")))])
        let path = try #require(F.paths(d, of: alice).first)
        #expect(path.target == EscalationPath.administrator)
        #expect(path.steps.map(\.method) == ["put-user-policy"])
        #expect(path.steps[0].to == alice)
        #expect(path.steps[0].grants == [Grant(policy: "user/alice/p0", action: "iam:PutUserPolicy", statementIndex: 0, sid: "Self")])
        #expect(path.steps[0].fix.hasPrefix("Remove `iam:PutUserPolicy` on `\(alice)` from `user/alice/p0` (statement 0, Sid \"Self\")"))
    }

    @Test func putUserPolicyOnSomeoneElseOnly() {
        let d = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:PutUserPolicy"], [F.userARN("bob")]))), F.user("bob")])
        #expect(F.paths(d, of: alice).isEmpty)
    }

    @Test func putUserPolicyLimitedByBoundary() {
        // The boundary lets alice write the policy but caps what it grants.
        let d = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:PutUserPolicy"])), boundary: F.policyARN("B"))],
                          policies: [F.managed("B", (F.policy(F.allow(["iam:PutUserPolicy", "s3:*"])), true))])
        #expect(F.paths(d).isEmpty)
    }

    @Test func attachUserPolicyRestrictedToAdministratorAccess() {
        let allowed = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:AttachUserPolicy"], [alice],
            condition: #"{"ArnEquals":{"iam:PolicyARN":"\#(adminAccess)"}}"#)))])
        #expect(F.methods(allowed, alice) == ["attach-user-policy"])
        let readOnly = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:AttachUserPolicy"], [alice],
            condition: #"{"ArnEquals":{"iam:PolicyARN":"arn:aws:iam::aws:policy/ReadOnlyAccess"}}"#)))])
        #expect(F.paths(readOnly).isEmpty)
    }

    @Test func putRolePolicyOnARoleItCanAssume() throws {
        let d = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:PutRolePolicy", "sts:AssumeRole"], [F.roleARN("Dev")])))],
                          roles: [F.role("Dev", trust: F.trust(aws: [F.account]), F.policy(F.allow(["s3:*"])))])
        let path = try #require(F.paths(d, of: alice).first)
        #expect(path.target == EscalationPath.administrator)
        #expect(path.steps.map(\.method) == ["put-role-policy", "assume-role"])
        #expect(path.steps.map(\.to) == [F.roleARN("Dev"), F.roleARN("Dev")])
    }

    @Test func putRolePolicyOnARoleItCannotAssume() {
        let d = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:PutRolePolicy", "sts:AssumeRole"], [F.roleARN("Dev")])))],
                          roles: [F.role("Dev", trust: F.trust(service: ["ec2.amazonaws.com"]), F.policy(F.allow(["s3:*"])))])
        #expect(F.paths(d, of: alice).isEmpty)
    }

    @Test func roleAttachesAdministratorAccessToItself() {
        let d = F.Details(roles: [F.role("Ops", trust: F.trust(service: ["ec2.amazonaws.com"]), F.policy(F.allow(["iam:AttachRolePolicy"], [F.roleARN("Ops")])))])
        #expect(F.methods(d, F.roleARN("Ops")) == ["attach-role-policy"])
        let other = F.Details(roles: [F.role("Ops", trust: F.trust(service: ["ec2.amazonaws.com"]), F.policy(F.allow(["iam:AttachRolePolicy"], [F.roleARN("Else")])))])
        #expect(F.paths(other).isEmpty)
    }

    // MARK: groups

    @Test func putGroupPolicyOnItsGroup() {
        let d = F.Details(users: [F.user("alice", groups: ["devs"])],
                          groups: [F.group("devs", F.policy(F.allow(["iam:PutGroupPolicy"], [F.groupARN("devs")]))), F.group("ops")])
        #expect(F.methods(d, alice) == ["put-group-policy"])
        let notItsGroup = F.Details(users: [F.user("alice", groups: ["devs"])],
                                    groups: [F.group("devs", F.policy(F.allow(["iam:PutGroupPolicy"], [F.groupARN("ops")]))), F.group("ops")])
        #expect(F.paths(notItsGroup).isEmpty)
    }

    @Test func attachGroupPolicyOnItsGroup() {
        let d = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:AttachGroupPolicy"], [F.groupARN("devs")])), groups: ["devs"])],
                          groups: [F.group("devs")])
        #expect(F.methods(d, alice) == ["attach-group-policy"])
        let denied = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:AttachGroupPolicy"]), F.deny(["iam:Attach*"], [F.groupARN("*")])), groups: ["devs"])],
                               groups: [F.group("devs")])
        #expect(F.paths(denied).isEmpty)
    }

    @Test func addUserToAnAdministratorGroup() {
        let d = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:AddUserToGroup"], [F.groupARN("admins")])))],
                          groups: [F.group("admins", attached: [adminAccess]), F.group("devs")])
        #expect(F.methods(d, alice) == ["add-user-to-group"])
        let onlyDevs = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:AddUserToGroup"], [F.groupARN("devs")])))],
                                 groups: [F.group("admins", attached: [adminAccess]), F.group("devs", F.policy(F.allow(["s3:*"])))])
        #expect(F.paths(onlyDevs).isEmpty)
    }

    // MARK: managed policy versions

    @Test func createPolicyVersionOfAnAttachedPolicy() {
        let d = F.Details(users: [F.user("alice", attached: [F.policyARN("Dev")])],
                          policies: [F.managed("Dev", (F.policy(F.allow(["iam:CreatePolicyVersion"], [F.policyARN("Dev")])), true))])
        #expect(F.methods(d, alice) == ["create-policy-version"])
    }

    @Test func createPolicyVersionNearMisses() {
        // A policy attached to nobody alice can reach.
        let unattached = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:CreatePolicyVersion"], [F.policyARN("Other")])))],
                                   policies: [F.managed("Other", (F.policy(F.allow(["s3:*"])), true))])
        #expect(F.paths(unattached).isEmpty)
        // An AWS managed policy cannot get versions from the account.
        let awsManaged = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:CreatePolicyVersion"])),
                                                  attached: ["arn:aws:iam::aws:policy/ReadOnlyAccess"])],
                                   policies: [.init(name: "ReadOnlyAccess", arn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
                                                    versions: [.init(document: PolicyText(F.policy(F.allow(["s3:Get*"]))), versionID: "v1", isDefault: true)])])
        #expect(F.paths(awsManaged).isEmpty)
    }

    @Test func setDefaultPolicyVersionToAStoredAdminVersion() {
        let d = F.Details(users: [F.user("alice", attached: [F.policyARN("Dev")])],
                          policies: [F.managed("Dev", (F.policy(F.allow(["iam:SetDefaultPolicyVersion"], [F.policyARN("Dev")])), true), (F.admin, false))])
        #expect(F.methods(d, alice) == ["set-default-policy-version"])
        let noAdminVersion = F.Details(users: [F.user("alice", attached: [F.policyARN("Dev")])],
                                       policies: [F.managed("Dev", (F.policy(F.allow(["iam:SetDefaultPolicyVersion"], [F.policyARN("Dev")])), true),
                                                            (F.policy(F.allow(["s3:*"])), false))])
        #expect(F.paths(noAdminVersion).isEmpty)
    }

    @Test func createPolicyVersionOfItsBoundary() {
        // alice's identity policies allow everything but the boundary caps them; she can rewrite the boundary.
        let d = F.Details(users: [F.user("alice", F.admin, boundary: F.policyARN("B"))],
                          policies: [F.managed("B", (F.policy(F.allow(["iam:CreatePolicyVersion", "s3:*"])), true))])
        #expect(F.methods(d, alice) == ["create-policy-version"])
    }

    // MARK: boundaries

    @Test func deletePermissionsBoundary() {
        let d = F.Details(users: [F.user("alice", F.admin, boundary: F.policyARN("B"))],
                          policies: [F.managed("B", (F.policy(F.allow(["iam:DeleteUserPermissionsBoundary", "s3:*"])), true))])
        #expect(F.methods(d, alice) == ["delete-permissions-boundary"])
        // Without the boundary her policies still do not make her an administrator.
        let weak = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:DeleteUserPermissionsBoundary", "s3:*"])), boundary: F.policyARN("B"))],
                             policies: [F.managed("B", (F.policy(F.allow(["iam:DeleteUserPermissionsBoundary", "s3:*"])), true))])
        #expect(F.paths(weak).isEmpty)
    }

    @Test func putPermissionsBoundaryUnlessPinned() {
        let boundary = F.managed("B", (F.policy(F.allow(["iam:PutUserPermissionsBoundary", "s3:*"])), true))
        let free = F.Details(users: [F.user("alice", F.admin, boundary: F.policyARN("B"))], policies: [boundary])
        #expect(F.methods(free, alice) == ["put-permissions-boundary"])
        // The usual delegation guard: the boundary can only be set to B itself.
        let pinned = F.Details(users: [F.user("alice", F.policy(F.allow(["*"]), F.deny(["iam:PutUserPermissionsBoundary"],
            condition: #"{"ArnNotEquals":{"iam:PermissionsBoundary":"\#(F.policyARN("B"))"}}"#)), boundary: F.policyARN("B"))],
                               policies: [boundary])
        #expect(F.paths(pinned).isEmpty)
    }

    // MARK: new roles

    @Test func createRoleWithFullAccess() throws {
        let d = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:CreateRole", "iam:PutRolePolicy", "sts:AssumeRole"], [F.roleARN("tmp-*")])))])
        let path = try #require(F.paths(d, of: alice).first)
        #expect(path.steps.map(\.method) == ["create-role"])
        #expect(path.steps[0].actions == ["iam:CreateRole", "iam:PutRolePolicy", "sts:AssumeRole"])
        #expect(path.steps[0].to == F.roleARN("tmp-x"))
    }

    @Test func createRoleNearMisses() {
        // CreateRole must carry a permissions boundary (the delegation guard).
        let guarded = F.Details(users: [F.user("alice", F.policy(
            F.allow(["iam:CreateRole"], condition: #"{"StringEquals":{"iam:PermissionsBoundary":"\#(F.policyARN("B"))"}}"#),
            F.allow(["iam:PutRolePolicy", "sts:AssumeRole"])))])
        #expect(F.paths(guarded).isEmpty)
        // It may create roles but not give them policies.
        let noPolicy = F.Details(users: [F.user("alice", F.policy(F.allow(["iam:CreateRole", "sts:AssumeRole"])))])
        #expect(F.paths(noPolicy).isEmpty)
    }
}
