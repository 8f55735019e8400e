import Testing
@testable import WardenWire

@Suite("Requests serialized by botocore")
struct WireFixtureTests {
    @Test func createUser() throws {
        let q = QueryParameters(formEncoded: BotocoreBodies.createUser)
        #expect(q.action == "CreateUser" && q.version == IAM.version)
        let r = try IAM.CreateUserRequest(from: q)
        #expect(r == IAM.CreateUserRequest(path: "/dev/", userName: "alice", tags: [
            IAM.Tag(key: "team", value: "blue green"), IAM.Tag(key: "cost:center", value: "4+2=6 é"),
        ]))
    }

    @Test func emptyList() throws {
        let r = try IAM.UntagUserRequest(from: QueryParameters(formEncoded: BotocoreBodies.untagUser))
        #expect(r == IAM.UntagUserRequest(userName: "alice", tagKeys: []))
    }

    @Test func createRole() throws {
        let r = try IAM.CreateRoleRequest(from: QueryParameters(formEncoded: BotocoreBodies.createRole))
        #expect(r == IAM.CreateRoleRequest(roleName: "app", assumeRolePolicyDocument: BotocoreBodies.trust, maxSessionDuration: 7200,
                                           tags: [IAM.Tag(key: "k", value: "v")]))
    }

    @Test func booleansAndIntegers() throws {
        let r = try IAM.UpdateAccountPasswordPolicyRequest(from: QueryParameters(formEncoded: BotocoreBodies.updateAccountPasswordPolicy))
        #expect(r == IAM.UpdateAccountPasswordPolicyRequest(minimumPasswordLength: 14, requireSymbols: true, hardExpiry: false))
    }

    @Test func nestedLists() throws {
        let r = try IAM.SimulateCustomPolicyRequest(from: QueryParameters(formEncoded: BotocoreBodies.simulateCustomPolicy))
        #expect(r.policyInputList == [BotocoreBodies.trust])
        #expect(r.actionNames == ["sts:AssumeRole", "iam:GetUser"])
        #expect(r.contextEntries == [IAM.ContextEntry(contextKeyName: "aws:username", contextKeyValues: ["a", "b"], contextKeyType: .stringList)])
    }

    @Test func assumeRole() throws {
        let q = QueryParameters(formEncoded: BotocoreBodies.assumeRole)
        #expect(q.version == STS.version)
        let r = try STS.AssumeRoleRequest(from: q)
        #expect(r == STS.AssumeRoleRequest(
            roleArn: "arn:aws:iam::123456789012:role/app", roleSessionName: "s1",
            policyArns: [STS.PolicyDescriptorType(arn: "arn:aws:iam::aws:policy/ReadOnlyAccess")], durationSeconds: 900,
            tags: [STS.Tag(key: "k", value: "v")], transitiveTagKeys: ["k"]))
    }
}
