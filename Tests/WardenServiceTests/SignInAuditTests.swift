import Foundation
import Logging
import Testing
import WardenCore
import WardenStore
import WardenWire
@testable import WardenService

/// Sign-in steps and workload credential requests in the audit trail: their CloudTrail records, where each is stored
/// (in the write's transaction or with the next batch), and that nothing typed or issued as a secret enters them.
@Suite struct SignInAuditTests {
    let clock = MovableClock()
    let service: WardenService
    static let account = "310987654321"

    init() throws {
        service = try WardenService(store: StateStore(backend: MemoryBackend()), secrets: SecretBox(masterKey: SecretBox.generateMasterKey()),
                                    clock: clock, logger: Logger(label: "test"))
        _ = try Bootstrap(dataDir: NSTemporaryDirectory(), environment: [
            "WARDEN_ACCOUNT_ID": Self.account, "WARDEN_ROOT_ACCESS_KEY_ID": "AKIASIGNINAUDITROOT1",
            "WARDEN_ROOT_SECRET_ACCESS_KEY": "signinAuditRootSecret0000000000000000000", "WARDEN_ROOT_PASSWORD": "Root-Pass-1!",
        ]).run(service)
    }

    @discardableResult
    func call(_ action: String, _ params: [String: String]) async -> WardenService.Response {
        var p = params
        p["Action"] = action
        p["Version"] = IAM.version
        let meta = RequestMeta(requestID: "t", sourceIP: "127.0.0.1", userAgent: "test", secureTransport: false, region: "us-east-1", time: clock.now())
        return await service.handle(.iam, params: QueryParameters(p), caller: Caller(principal: .root(Self.account), accessKeyID: "AKIASIGNINAUDITROOT1"), meta: meta)
    }

    func signIn(_ user: String?, _ password: String, ip: String) -> SignInOutcome {
        var r = SignInRequest(account: Self.account, userName: user, password: Redacted(password), mfaCode: nil, signinToken: nil, sourceIP: ip)
        r.userAgent = "browser/1.0"
        r.loginTo = "https://warden.example/"
        return service.signIn(r)
    }

    /// The stored records with this event name, oldest first, as parsed JSON objects.
    func records(_ name: String) throws -> [[String: Any]] {
        try service.store.auditLog.lookup(AuditQuery(account: Self.account, attribute: .eventName(name), limit: 100)).reversed().map {
            try #require(JSONSerialization.jsonObject(with: Data($0.record.utf8)) as? [String: Any])
        }
    }

    func person(_ password: String) async -> String {
        let name = "person-\(UUID().uuidString.prefix(8))"
        await call("CreateUser", ["UserName": name])
        await call("CreateLoginProfile", ["UserName": name, "Password": password])
        return name
    }

    @Test func successIsStoredWithItsWriteAndFailuresWithTheNextBatch() async throws {
        let name = await person("Person-Pass-1!")
        guard case .signedIn = signIn(name, "Person-Pass-1!", ip: "10.20.0.1") else { Issue.record("expected a session"); return }
        // No drain: the record is in the PasswordLastUsed transaction.
        let success = try #require(try records("ConsoleLogin").last)
        #expect(success["eventSource"] as? String == "signin.amazonaws.com")
        #expect(success["eventType"] as? String == "AwsConsoleSignIn")
        #expect(success["responseElements"] as? [String: String] == ["ConsoleLogin": "Success"])
        #expect(success["additionalEventData"] as? [String: String] == ["LoginTo": "https://warden.example/", "MobileVersion": "No", "MFAUsed": "No"])
        #expect(success["userAgent"] as? String == "browser/1.0" && success["sourceIPAddress"] as? String == "10.20.0.1")
        #expect(success["requestID"] == nil && success["errorMessage"] == nil)
        let identity = try #require(success["userIdentity"] as? [String: String])
        #expect(identity["type"] == "IAMUser" && identity["userName"] == name && identity["arn"] == "arn:aws:iam::\(Self.account):user/\(name)")
        let entry = try #require(try service.store.auditLog.lookup(AuditQuery(account: Self.account, attribute: .eventSource("signin.amazonaws.com"), limit: 1)).first)
        #expect(entry.username == name && entry.accessKeyID == nil && entry.readOnly == false && entry.region == "us-east-1")

        // Each success has its own record; drains add none for them.
        guard case .signedIn = signIn(name, "Person-Pass-1!", ip: "10.20.0.1") else { Issue.record("expected a session"); return }
        #expect(try records("ConsoleLogin").count == 2)
        service.events.drain(service.store)
        #expect(try records("ConsoleLogin").count == 2)

        guard case .failed = signIn(name, "Wrong-Typed-Secret-9!", ip: "10.20.0.1") else { Issue.record("expected a failure"); return }
        guard case .failed = signIn("Password-In-Name-Field-7!", "Person-Pass-1!", ip: "10.20.0.1") else { Issue.record("expected a failure"); return }
        service.events.drain(service.store)
        let all = try records("ConsoleLogin")
        #expect(all.count == 4)
        let failure = all[2], unknown = all[3]
        #expect(failure["errorMessage"] as? String == "Failed authentication" && failure["errorCode"] == nil)
        #expect((failure["userIdentity"] as? [String: String])?["arn"] == nil)
        #expect((failure["userIdentity"] as? [String: String])?["accessKeyId"] == "")
        #expect((unknown["userIdentity"] as? [String: String])?["userName"] == "HIDDEN_DUE_TO_SECURITY_REASONS")
        #expect(unknown["errorMessage"] as? String == "No username found in supplied account")
        let text = try service.store.auditLog.lookup(AuditQuery(account: Self.account, limit: 1000)).map(\.record).joined()
        for secret in ["Person-Pass-1!", "Wrong-Typed-Secret-9!", "Password-In-Name-Field-7!"] { #expect(!text.contains(secret)) }
    }

    @Test func anUnknownAccountRecordsNothingAndThrottledAttemptsAreFailures() async throws {
        let before = try service.store.auditLog.lookup(AuditQuery(account: Self.account, limit: 1000)).count
        _ = service.signIn(SignInRequest(account: "999999999999", userName: "x", password: Redacted("y"), mfaCode: nil, signinToken: nil, sourceIP: "10.21.0.1"))
        service.events.drain(service.store)
        #expect(try service.store.auditLog.lookup(AuditQuery(account: Self.account, limit: 1000)).count == before)
        #expect(try service.store.auditLog.lookup(AuditQuery(account: "999999999999", limit: 1000)).isEmpty)

        let name = await person("Person-Pass-2!")
        for _ in 0..<5 { _ = signIn(name, "wrong", ip: "10.21.0.2") }
        guard case .throttled = signIn(name, "Person-Pass-2!", ip: "10.21.0.2") else { Issue.record("expected throttling"); return }
        service.events.drain(service.store)
        let mine = try records("ConsoleLogin").filter { ($0["userIdentity"] as? [String: String])?["userName"] == name }
        #expect(mine.count == 6)
        #expect(mine.last?["errorMessage"] as? String == "Too many failed sign-in attempts")
    }

    @Test func expiredPasswordChangeIsPasswordUpdatedThenConsoleLogin() async throws {
        let name = await person("First-Pass-1!")
        await call("UpdateLoginProfile", ["UserName": name, "PasswordResetRequired": "true"])
        guard case .passwordChangeRequired(let token, _) = signIn(name, "First-Pass-1!", ip: "10.22.0.1") else { Issue.record("expected a change"); return }
        service.events.drain(service.store)
        #expect(try records("ConsoleLogin").isEmpty)
        let client = SignInClient(sourceIP: "10.22.0.1", userAgent: "browser/1.0")
        #expect(throws: ServiceError.self) { try service.changeExpiredPassword(token: token, newPassword: Redacted("First-Pass-1!"), client: client) }
        _ = try service.changeExpiredPassword(token: token, newPassword: Redacted("Second-Pass-2!"), client: client)
        service.events.drain(service.store)
        // The refusal was batched and the change stored with its write, so their order in the store is not theirs.
        let updated = try records("PasswordUpdated")
        let outcome = { (r: [String: Any]) in (r["responseElements"] as? [String: String])?["PasswordUpdated"] }
        #expect(updated.map(outcome).sorted { ($0 ?? "") < ($1 ?? "") } == ["Failure", "Success"])
        let refused = try #require(updated.first { outcome($0) == "Failure" })
        #expect(refused["errorMessage"] as? String == "The new password must differ from the current one.")
        #expect((updated.first { outcome($0) == "Success" }?["userIdentity"] as? [String: String])?["arn"] != nil)
        #expect(try records("ConsoleLogin").count == 1)
        let text = try service.store.auditLog.lookup(AuditQuery(account: Self.account, limit: 1000)).map(\.record).joined()
        #expect(!text.contains("First-Pass-1!") && !text.contains("Second-Pass-2!") && !text.contains(token))
    }

    @Test func signInEventsAreNotServiceUseAndHideSecrets() throws {
        let client = SignInClient(sourceIP: "10.23.0.1")
        let event = CallEvent.signIn("ConsoleLogin", who: .root(account: Self.account), client: client, time: clock.now(), success: true)
        #expect(!event.isServiceUse)
        let session = CallEvent.instanceProfileSession(account: Self.account, roleARN: "arn:aws:iam::\(Self.account):role/web", roleID: "AROAEXAMPLE",
                                                       sessionName: "wt-1", time: clock.now(), issued: ("ASIAEXAMPLE", clock.now()))
        #expect(!session.isServiceUse)
        let record = try WireJSON(parsing: AuditRecord.entry(session, input: nil, output: nil, state: nil).record)
        guard case .object(let members) = record, case .object(let response)? = members.first(where: { $0.key == "responseElements" })?.value,
              case .object(let credentials)? = response.first(where: { $0.key == "credentials" })?.value else {
            Issue.record("expected responseElements.credentials"); return
        }
        #expect(credentials.first { $0.key == "sessionToken" }?.value == AuditParameters.hidden)
        #expect(credentials.first { $0.key == "accessKeyId" }?.value == .string("ASIAEXAMPLE"))
        #expect(members.first { $0.key == "userIdentity" }?.value == ["type": "AWSService", "invokedBy": "ec2.amazonaws.com"])
    }
}
