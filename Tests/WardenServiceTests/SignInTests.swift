import Foundation
import Logging
import Synchronization
import Testing
import WardenCore
import WardenStore
import WardenWire
@testable import WardenService

/// A clock the test moves.
final class MovableClock: WallClock {
    let current = Mutex(Date())
    func now() -> Date { current.withLock { $0 } }
    func advance(days: Double = 0, seconds: Double = 0) { current.withLock { $0 += days * 86_400 + seconds } }
}

@Suite struct SignInTests {
    let clock = MovableClock()
    let service: WardenService
    static let account = "210987654321"

    init() throws {
        service = try WardenService(store: StateStore(backend: MemoryBackend()), secrets: SecretBox(masterKey: SecretBox.generateMasterKey()),
                                    clock: clock, logger: Logger(label: "test"))
        _ = try Bootstrap(dataDir: NSTemporaryDirectory(), environment: [
            "WARDEN_ACCOUNT_ID": Self.account, "WARDEN_ROOT_ACCESS_KEY_ID": "AKIASIGNINTESTROOT01",
            "WARDEN_ROOT_SECRET_ACCESS_KEY": "signinTestRootSecret00000000000000000000", "WARDEN_ROOT_PASSWORD": "Root-Pass-1!",
        ]).run(service)
    }

    @discardableResult
    func call(_ action: String, _ params: [String: String]) async -> WardenService.Response {
        var p = params
        p["Action"] = action
        p["Version"] = IAM.version
        let meta = RequestMeta(requestID: "t", sourceIP: "127.0.0.1", userAgent: "test", secureTransport: false, region: "us-east-1", time: clock.now())
        return await service.handle(.iam, params: QueryParameters(p), caller: Caller(principal: .root(Self.account), accessKeyID: "AKIASIGNINTESTROOT01"), meta: meta)
    }

    func signIn(_ user: String?, _ password: String, ip: String) -> SignInOutcome {
        service.signIn(SignInRequest(account: Self.account, userName: user, password: Redacted(password), mfaCode: nil, signinToken: nil, sourceIP: ip))
    }

    @Test func expiredPasswordMustBeChangedThenHardExpiryNeedsAnAdministrator() async throws {
        let user = "expiring-\(UUID().uuidString.prefix(8))"
        #expect(await call("CreateUser", ["UserName": user]).status == 200)
        #expect(await call("CreateLoginProfile", ["UserName": user, "Password": "First-Pass-1!"]).status == 200)
        #expect(await call("UpdateAccountPasswordPolicy", ["MaxPasswordAge": "30", "PasswordReusePrevention": "2"]).status == 200)
        guard case .signedIn(let s) = signIn(user, "First-Pass-1!", ip: "10.1.0.1") else { Issue.record("expected a session"); return }
        #expect(s.principalARN == "arn:aws:iam::\(Self.account):user/\(user)")
        #expect(service.store.account(Self.account)?.users[user.lowercased()]?.passwordLastUsed == clock.now())

        clock.advance(days: 31)
        guard case .passwordChangeRequired(let token, _) = signIn(user, "First-Pass-1!", ip: "10.1.0.1") else {
            Issue.record("expected a password change"); return
        }
        // Reuse prevention applies to the change.
        #expect(throws: ServiceError.self) { try service.changeExpiredPassword(token: token, newPassword: Redacted("First-Pass-1!"), sourceIP: "10.1.0.1") }
        let session = try service.changeExpiredPassword(token: token, newPassword: Redacted("Second-Pass-2!"), sourceIP: "10.1.0.1")
        #expect(session.principalARN.hasSuffix("user/\(user)"))
        #expect(throws: ServiceError.self) { try service.changeExpiredPassword(token: "forged", newPassword: Redacted("Third-Pass-3!"), sourceIP: "10.1.0.1") }
        guard case .signedIn = signIn(user, "Second-Pass-2!", ip: "10.1.0.1") else { Issue.record("expected a session"); return }

        #expect(await call("UpdateAccountPasswordPolicy", ["MaxPasswordAge": "30", "HardExpiry": "true"]).status == 200)
        clock.advance(days: 31)
        guard case .failed(_, let status) = signIn(user, "Second-Pass-2!", ip: "10.1.0.1") else { Issue.record("expected a refusal"); return }
        #expect(status == 403)
        // The change token of the earlier step has expired by now.
        #expect(throws: ServiceError.self) { try service.changeExpiredPassword(token: token, newPassword: Redacted("Fourth-Pass-4!"), sourceIP: "10.1.0.1") }
    }

    @Test func failuresAreThrottledForFifteenMinutes() async throws {
        let user = "throttled-\(UUID().uuidString.prefix(8))"
        #expect(await call("CreateUser", ["UserName": user]).status == 200)
        #expect(await call("CreateLoginProfile", ["UserName": user, "Password": "Right-Pass-1!"]).status == 200)
        for _ in 0..<5 {
            guard case .failed(_, 401) = signIn(user, "wrong", ip: "10.2.0.1") else { Issue.record("expected a failure"); return }
        }
        guard case .throttled(let wait) = signIn(user, "Right-Pass-1!", ip: "10.2.0.1") else { Issue.record("expected throttling"); return }
        #expect(wait > 0 && wait <= 900)
        clock.advance(seconds: 901)
        guard case .signedIn = signIn(user, "Right-Pass-1!", ip: "10.2.0.1") else { Issue.record("expected a session after the window"); return }
    }

    @Test func rootSignsInWithTheRootPasswordAndCookieOpens() throws {
        guard case .signedIn(let s) = signIn(nil, "Root-Pass-1!", ip: "10.3.0.1") else { Issue.record("expected a session"); return }
        #expect(s.principalARN == "arn:aws:iam::\(Self.account):root")
        #expect(service.store.account(Self.account)?.account.rootPasswordLastUsed == clock.now())
        let opened = try #require(service.consoleSession(cookie: s.cookie.value))
        #expect(opened.principalARN == s.principalARN)
        clock.advance(seconds: 3601)
        #expect(service.consoleSession(cookie: s.cookie.value) == nil)
        // The cookie is not a session token, nor the other way round.
        #expect(service.consoleSession(cookie: s.sessionToken.value) == nil)
    }

    @Test func rootWithAnMFADeviceSignsInInTwoSteps() async throws {
        let created = await call("CreateVirtualMFADevice", ["VirtualMFADeviceName": "root-device"])
        let serial = try #require(xmlValue(created.body, "SerialNumber"))
        // AWS enables the root user's device in the console; here the store is set up directly.
        let seed = try service.store.write(account: Self.account) { state -> [UInt8] in
            var d = try #require(state.mfaDevices[serial])
            d.userName = "root"
            state.mfaDevices[serial] = d
            state.updateAccount { $0.rootMFASerial = serial }
            return try service.secrets.open(d.encryptedSeed, context: "mfa:\(serial)")
        }
        guard case .mfaRequired(let token) = signIn(nil, "Root-Pass-1!", ip: "10.4.0.1") else { Issue.record("expected mfa_required"); return }
        let code = TOTP.code(seed: seed, step: TOTP.step(at: clock.now()))
        let wrong = service.signIn(SignInRequest(account: Self.account, userName: nil, password: nil, mfaCode: "000000", signinToken: token, sourceIP: "10.4.0.1"))
        guard case .failed = wrong else { Issue.record("expected a failure"); return }
        // A step token of one person does not work for another.
        let other = service.signIn(SignInRequest(account: Self.account, userName: "someone", password: nil, mfaCode: code, signinToken: token, sourceIP: "10.4.0.1"))
        guard case .failed = other else { Issue.record("expected a failure"); return }
        let ok = service.signIn(SignInRequest(account: Self.account, userName: nil, password: nil, mfaCode: code, signinToken: token, sourceIP: "10.4.0.1"))
        guard case .signedIn(let s) = ok else { Issue.record("expected a session"); return }
        #expect(s.mfaAuthenticated && s.principalARN.hasSuffix(":root"))
        // The step token expires after five minutes.
        clock.advance(seconds: 301)
        let late = service.signIn(SignInRequest(account: Self.account, userName: nil, password: nil,
                                                mfaCode: TOTP.code(seed: seed, step: TOTP.step(at: clock.now())), signinToken: token, sourceIP: "10.4.0.1"))
        guard case .failed = late else { Issue.record("expected a failure"); return }
    }
}
