import Foundation
import Testing
import WardenCore
import WardenService
import WardenStore

/// Trust policies name a deleted principal's unique id, in its own account and in every other account on the server.
@Suite struct TrustPrincipalsTests {
    @Test func aDeletedUserIsForgottenByCrossAccountTrustPolicies() async throws {
        let h = try ServiceHarness()
        let other = "210987654321"
        let userARN = "arn:aws:iam::\(ServiceHarness.account):user/leaving"
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["\#(userARN)","arn:aws:iam::\#(other):root"]},"Action":"sts:AssumeRole"}]}"#
        _ = try h.service.store.createAccount(AccountRecord(id: other, createDate: Date())) { state in
            state.roles["partner"] = RoleRecord(id: Identifiers.uniqueID(.role), name: "partner", path: "/", createDate: Date(), assumeRolePolicy: trust)
        }
        let created = await h.call("CreateUser", ["UserName": "leaving"])
        #expect(created.status == 200)
        let userID = try #require(xmlValue(created.body, "UserId"))
        // A same-account role too.
        #expect(await h.call("CreateRole", ["RoleName": "local", "AssumeRolePolicyDocument": trust]).status == 200)
        #expect(await h.call("DeleteUser", ["UserName": "leaving"]).status == 200)

        for (account, role) in [(other, "partner"), (ServiceHarness.account, "local")] {
            let document = try #require(h.service.store.account(account)?.roles[role]?.assumeRolePolicy)
            #expect(!document.contains(userARN))
            #expect(document.contains(userID))
            #expect(document.contains("arn:aws:iam::\(other):root"))  // other principals are kept
        }
    }
}
