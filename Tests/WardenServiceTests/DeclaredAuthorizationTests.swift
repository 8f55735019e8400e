import Foundation
import Testing
import WardenCore
@testable import WardenService

/// Authorization is a step of the pipeline: every registered operation declares what it needs, and the dispatcher
/// checks it before the operation runs. Only the named exceptions authorize otherwise.
@Suite struct DeclaredAuthorizationTests {
    /// The operations that declare no requirements, and how each is authorized instead.
    static let exceptions: [String: AuthorizationKind] = [
        "sts:GetCallerIdentity": .free,
        "sts:GetSessionToken": .free,
        "sts:AssumeRole": .inBody(because: WardenService.trustPolicyCheck),
        "sts:AssumeRoleWithWebIdentity": .inBody(because: WardenService.trustPolicyCheck),
        "sts:AssumeRoleWithSAML": .inBody(because: WardenService.trustPolicyCheck),
    ]

    @Test func everyOperationDeclaresItsAuthorizationOrIsANamedException() {
        var registry = Registry()
        WardenService.registerOperations(&registry)
        var seen: Set<String> = []
        for service in APIService.allCases {
            let handlers = Set((registry.handlers[service] ?? [:]).keys)
            let kinds = registry.authorization[service] ?? [:]
            #expect(handlers == Set(kinds.keys), "\(service): every handler has an authorization entry")
            for (name, kind) in kinds {
                let action = "\(service.actionPrefix):\(name)"
                seen.insert(action)
                if let expected = Self.exceptions[action] {
                    #expect(kind == expected, "\(action) is authorized as \(kind), not as \(expected)")
                } else {
                    #expect(kind == .declared, "\(action) must declare its authorization")
                }
            }
        }
        #expect(seen.count > 180)
        #expect(Set(Self.exceptions.keys).isSubset(of: seen), "every exception names a registered operation")
        // Only what AWS documents as needing no permission is free.
        let free = Set(Self.exceptions.filter { $0.value == .free }.keys)
        #expect(free == WardenService.freeOperations)
    }

    @Test func theDeclarationIsCheckedBeforeTheOperationRuns() async throws {
        let h = try ServiceHarness()
        #expect(await h.call("CreateUser", ["UserName": "alice"]).status == 200)
        let created = await h.call("CreateAccessKey", ["UserName": "alice"])
        let alice = try h.caller(accessKeyID: try #require(xmlValue(created.body, "AccessKeyId")))
        // Without permission, an existing and a missing user look the same; a missing one is told only to root.
        for name in ["alice", "nobody"] {
            let denied = await h.call("GetUser", ["UserName": name], as: alice)
            #expect(denied.status == 403)
            #expect(denied.body.contains("AccessDenied"))
            #expect(denied.body.contains("arn:aws:iam::\(ServiceHarness.account):user/\(name)"))
        }
        #expect(await h.call("GetUser", ["UserName": "nobody"]).status == 404)
        // Denied before the body runs: nothing changed.
        #expect(await h.call("DeleteUser", ["UserName": "alice"], as: alice).status == 403)
        #expect(await h.call("GetUser", ["UserName": "alice"]).status == 200)
    }

    @Test func aDeclaredEntityIsAuthorizedOnItsPath() async throws {
        let h = try ServiceHarness()
        #expect(await h.call("CreateUser", ["UserName": "bob", "Path": "/team/"]).status == 200)
        let created = await h.call("CreateAccessKey", ["UserName": "bob"])
        let bob = try h.caller(accessKeyID: try #require(xmlValue(created.body, "AccessKeyId")))
        let denied = await h.call("ListUserTags", ["UserName": "bob"], as: bob)
        #expect(denied.status == 403)
        #expect(denied.body.contains("user/team/bob"))
    }
}
