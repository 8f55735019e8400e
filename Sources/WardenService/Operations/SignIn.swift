import Foundation
import Synchronization
import WardenCore
import WardenStore
import WardenWire

/// What a person sends to sign in (docs/signin.md). Either `password` (step one) or `signinToken` + `mfaCode`
/// (step two); both may come at once.
public struct SignInRequest: Sendable {
    /// The account id or alias.
    public var account: String
    /// The IAM user name; nil for the root user.
    public var userName: String?
    public var password: Redacted<String>?
    public var mfaCode: String?
    /// The token of an earlier `mfa_required` answer.
    public var signinToken: String?
    public var sourceIP: String
    /// The client's `User-Agent`, whether it came over TLS, and where it signed in (for the sign-in's audit record).
    public var userAgent: String = ""
    public var secureTransport: Bool = false
    public var loginTo: String = ""
    /// The request's facts as its audit record names them.
    var client: SignInClient { SignInClient(sourceIP: sourceIP, userAgent: userAgent, secureTransport: secureTransport, loginTo: loginTo) }
    public init(account: String, userName: String?, password: Redacted<String>?, mfaCode: String?, signinToken: String?, sourceIP: String) {
        self.account = account; self.userName = userName; self.password = password; self.mfaCode = mfaCode
        self.signinToken = signinToken; self.sourceIP = sourceIP
    }
}

/// A signed-in console session: short-lived credentials for the person and the sealed cookie value.
public struct ConsoleSession: Sendable {
    public var principalARN: String
    public var accountID: String
    public var userName: String
    public var accessKeyID: String
    public var secretAccessKey: Redacted<String>
    public var sessionToken: Redacted<String>
    public var expiration: Date
    /// The value of the `warden-console` cookie (sealed claims).
    public var cookie: Redacted<String>
    public var mfaAuthenticated: Bool
}

/// The result of a sign-in step.
public enum SignInOutcome: Sendable {
    case signedIn(ConsoleSession)
    /// The password was right; the person has an MFA device and must send a code with this token.
    case mfaRequired(token: String)
    /// The password has expired or must be reset: change it with this token at `/signin/change-password`.
    case passwordChangeRequired(token: String, reason: String)
    /// Wrong credentials (one message for every cause, so that nothing is learned about which part was wrong),
    /// or a password that expired under a hard-expiry policy.
    case failed(message: String, status: Int)
    /// Too many failures; try again after this many seconds.
    case throttled(retryAfter: Int)
}

/// Counts failed sign-ins per person and per source address in a sliding window (in memory, per node).
final class SignInThrottle: Sendable {
    let window: TimeInterval = 900
    let perUser = 5
    let perAddress = 20
    private let failures = Mutex<[String: [Date]]>([:])
    static let shared = SignInThrottle()

    /// Seconds to wait if a key is over its limit, else nil.
    func retryAfter(_ keys: [(String, Int)], now: Date) -> Int? {
        failures.withLock { all in
            var wait: Int?
            for (key, limit) in keys {
                let recent = (all[key] ?? []).filter { now.timeIntervalSince($0) < window }
                all[key] = recent
                if recent.count >= limit, let oldest = recent.sorted().dropLast(limit - 1).last {
                    wait = max(wait ?? 0, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
                }
            }
            return wait
        }
    }
    func fail(_ keys: [String], now: Date) { failures.withLock { for k in keys { $0[k, default: []].append(now) } } }
    func clear(_ key: String) { _ = failures.withLock { $0.removeValue(forKey: key) } }
}

/// The claims of the short-lived tokens between sign-in steps.
struct SignInStepClaims: Codable {
    var account: String
    var userName: String?
    var stage: String
    var expires: Date
    var mfa: Bool
}

extension WardenService {
    static let signInFailure = "Your authentication information is incorrect. Please try again."
    static let consoleSessionSeconds: TimeInterval = 3600
    /// A hash to verify against when the person does not exist, so that the answer takes as long either way.
    static let decoyHash = PasswordHasher.hash(Redacted("warden-decoy-password"))

    func sealStep(_ c: SignInStepClaims) -> String {
        let e = JSONEncoder(); e.dateEncodingStrategy = .secondsSince1970
        return JWT.base64URLEncode(secrets.seal(Array(try! e.encode(c)), context: "signin-step"))
    }

    func openStep(_ token: String, stage: String, now: Date) -> SignInStepClaims? {
        let d = JSONDecoder(); d.dateDecodingStrategy = .secondsSince1970
        guard let bytes = JWT.base64URLDecode(token), let json = try? secrets.open(bytes, context: "signin-step"),
              let c = try? d.decode(SignInStepClaims.self, from: Data(json)), c.stage == stage, now < c.expires else { return nil }
        return c
    }

    /// The account with this id or alias.
    func accountState(idOrAlias: String) -> AccountState? {
        if let s = store.account(idOrAlias) { return s }
        let alias = idOrAlias.lowercased()
        return store.snapshot().accounts.values.first { $0.account.aliases.contains(alias) }
    }

    /// One sign-in step (password, then MFA code if the person has a device).
    ///
    /// Each attempt in a known account is recorded as CloudTrail records console sign-ins (docs/audit.md): one
    /// `ConsoleLogin` when the attempt ends, successful or not, and a `CheckMfa` when the password was right and an MFA
    /// code is needed. A success's record is stored with its `PasswordLastUsed` write; failures are batched.
    public func signIn(_ r: SignInRequest) -> SignInOutcome {
        let now = clock.now()
        let state = accountState(idOrAlias: r.account)
        let account = state?.account.id ?? r.account
        let isRoot = r.userName == nil
        let user = r.userName.flatMap { state?.users[$0.lowercased()] }
        let who: SignInIdentity
        if isRoot {
            who = .root(account: account)
        } else if let user, let state {
            who = .user(user, arn: state.userARN(user), account: account)
        } else {
            who = .unknownUser(account: account)
        }
        // A code from any of the user's devices will do (users may have up to 8).
        let serials = isRoot ? state?.account.rootMFASerial.map { [$0] } ?? [] : user?.mfaSerials ?? []
        // An attempt in an unknown account has no trail to go to.
        func record(_ event: CallEvent) { if state != nil { recordEvent(event) } }
        func loginFailed(_ message: String, mfaUsed: Bool) {
            let unknown = if case .unknownUser = who { true } else { false }
            record(.signIn("ConsoleLogin", who: who, client: r.client, time: now, success: false,
                           errorMessage: unknown ? CallEvent.noSuchUserName : message,
                           additional: CallEvent.consoleLoginData(r.client, mfaUsed: mfaUsed)))
        }
        let userKey = "user:\(account)/\(r.userName?.lowercased() ?? "#root")"
        let keys = [(userKey, SignInThrottle.shared.perUser), ("ip:\(r.sourceIP)", SignInThrottle.shared.perAddress)]
        if let wait = SignInThrottle.shared.retryAfter(keys, now: now) {
            loginFailed("Too many failed sign-in attempts", mfaUsed: false)
            return .throttled(retryAfter: wait)
        }
        func fail(mfaUsed: Bool = false) -> SignInOutcome {
            SignInThrottle.shared.fail(keys.map(\.0), now: now)
            // A name the account does not have is not logged: it may be a password typed into the wrong field.
            logger.info("console sign-in failed", metadata: ["warden.account": "\(account)", "warden.user": "\(isRoot ? "root" : user?.name ?? "(unknown)")", "warden.source": "\(r.sourceIP)"])
            loginFailed(CallEvent.failedAuthentication, mfaUsed: mfaUsed)
            return .failed(message: Self.signInFailure, status: 401)
        }
        guard let state else {
            _ = PasswordHasher.verify(r.password ?? Redacted(""), against: Self.decoyHash)
            return fail()
        }
        let storedHash = isRoot ? state.account.rootPasswordHash : user?.loginProfile?.passwordHash

        // Step one (password) or step two (token from step one).
        var mfaVerified = false
        var device: String?
        if let token = r.signinToken {
            guard let c = openStep(token, stage: "mfa", now: now), c.account == account, c.userName?.lowercased() == r.userName?.lowercased() else {
                return fail(mfaUsed: !serials.isEmpty)
            }
        } else {
            guard let password = r.password else { return fail() }
            guard let storedHash, PasswordHasher.verify(password, against: storedHash) else {
                if storedHash == nil { _ = PasswordHasher.verify(password, against: Self.decoyHash) }
                return fail()
            }
        }
        if !serials.isEmpty {
            guard let code = r.mfaCode, !code.isEmpty else {
                record(.signIn("CheckMfa", who: who, client: r.client, time: now, success: true, additional: ["MfaType": "Virtual MFA"]))
                return .mfaRequired(token: sealStep(SignInStepClaims(account: account, userName: r.userName, stage: "mfa",
                                                                     expires: now.addingTimeInterval(300), mfa: false)))
            }
            let call = Call(service: self, caller: Caller(principal: .root(account), accessKeyID: ""),
                            meta: RequestMeta(requestID: "", sourceIP: r.sourceIP, userAgent: "", secureTransport: false, region: "us-east-1", time: now),
                            action: "signin:MFA")
            let owner = isRoot ? "root" : (user?.name ?? "")
            guard let used = serials.first(where: { (try? Self.verifyMFA(call, serial: $0, code: code, owner: owner)) == true }) else {
                return fail(mfaUsed: true)
            }
            mfaVerified = true
            device = used
        }
        SignInThrottle.shared.clear(userKey)
        // An expired or reset password must be changed before anything else.
        if !isRoot, let user, let lp = user.loginProfile {
            let policy = state.account.passwordPolicy
            let expired = policy?.maxPasswordAge.map { now.timeIntervalSince(lp.passwordChangedDate) > TimeInterval($0) * 86_400 } ?? false
            if expired && policy?.hardExpiry == true {
                let message = "Your password has expired and must be reset by an administrator."
                loginFailed(message, mfaUsed: mfaVerified)
                return .failed(message: message, status: 403)
            }
            if expired || lp.passwordResetRequired {
                // The attempt has not ended: its ConsoleLogin is recorded once the change signs the person in.
                return .passwordChangeRequired(
                    token: sealStep(SignInStepClaims(account: account, userName: user.name, stage: "change", expires: now.addingTimeInterval(600), mfa: mfaVerified)),
                    reason: lp.passwordResetRequired ? "Your password must be reset." : "Your password has expired.")
            }
        }
        return .signedIn(startConsoleSession(state, user: isRoot ? nil : user, mfa: mfaVerified, device: device, client: r.client, now: now))
    }

    /// Changes an expired or reset password with the token of a `passwordChangeRequired` answer, then signs in.
    public func changeExpiredPassword(token: String, newPassword: Redacted<String>, sourceIP: String) throws -> ConsoleSession {
        try changeExpiredPassword(token: token, newPassword: newPassword, client: SignInClient(sourceIP: sourceIP))
    }

    /// Changes an expired or reset password with the token of a `passwordChangeRequired` answer, then signs in.
    /// Recorded as CloudTrail records a password set at sign-in: `PasswordUpdated` (stored with the change, or batched
    /// when the policy refuses the password), then the `ConsoleLogin` of the session it starts. A token that does not
    /// open names nobody and is not recorded.
    public func changeExpiredPassword(token: String, newPassword: Redacted<String>, client: SignInClient) throws -> ConsoleSession {
        let now = clock.now()
        guard let c = openStep(token, stage: "change", now: now), let userName = c.userName, let state = store.account(c.account),
              let user = state.users[userName.lowercased()], user.loginProfile != nil else {
            throw ServiceError(.accessDenied, "The password change token is invalid or has expired; sign in again.")
        }
        let who = SignInIdentity.user(user, arn: state.userARN(user), account: state.account.id)
        do {
            try PasswordRules.check(newPassword.value, policy: state.account.passwordPolicy, history: user.passwordHistory)
            if let old = user.loginProfile?.passwordHash, PasswordHasher.verify(newPassword, against: old) {
                throw ServiceError(.passwordPolicyViolation, "The new password must differ from the current one.")
            }
        } catch let e as ServiceError {
            recordEvent(.signIn("PasswordUpdated", who: who, client: client, time: now, success: false, errorMessage: e.message))
            throw e
        }
        let hash = PasswordHasher.hash(newPassword)
        let changed = CallEvent.signIn("PasswordUpdated", who: who, client: client, time: now, success: true)
        let updated = try write(account: c.account, recording: changed) { state -> UserRecord in
            guard var u = state.users[userName.lowercased()] else { throw ServiceError.noSuchEntity("The user with name \(userName) cannot be found.") }
            u.loginProfile?.passwordHash = hash
            u.loginProfile?.passwordChangedDate = now
            u.loginProfile?.passwordResetRequired = false
            u.passwordHistory.insert(hash, at: 0)
            u.passwordHistory = Array(u.passwordHistory.prefix(24))
            state.users[u.name.lowercased()] = u
            return u
        }
        guard let fresh = store.account(c.account) else { throw ServiceError(.serviceFailure, "The account disappeared.") }
        return startConsoleSession(fresh, user: updated, mfa: c.mfa, device: nil, client: client, now: now)
    }

    /// Issues the console session's credentials and records `PasswordLastUsed`, with the sign-in's `ConsoleLogin`
    /// record in the same transaction.
    func startConsoleSession(_ state: AccountState, user: UserRecord?, mfa: Bool, device: String?, client: SignInClient, now: Date) -> ConsoleSession {
        let account = state.account.id
        var claims = SessionClaims(account: account, type: user == nil ? "root" : "user", name: user?.name ?? "root",
                                   accessKeyID: Identifiers.accessKeyID(temporary: true, account: account), secret: Identifiers.secretAccessKey(),
                                   issued: now, expires: now.addingTimeInterval(Self.consoleSessionSeconds), mfaAuthenticated: mfa)
        let arn = user.map { state.userARN($0) } ?? ARN.root(account)
        claims.sourceARN = arn
        claims.console = true
        claims.userID = user?.id
        claims.mfaAuthenticatedAt = mfa ? now : nil
        let who: SignInIdentity = user.map { .user($0, arn: arn, account: account) } ?? .root(account: account)
        let login = CallEvent.signIn("ConsoleLogin", who: who, client: client, time: now, success: true,
                                     additional: CallEvent.consoleLoginData(client, mfaUsed: mfa, device: device))
        try? write(account: account, recording: login) { state in
            if let user, var u = state.users[user.name.lowercased()] {
                u.passwordLastUsed = now
                state.users[u.name.lowercased()] = u
            } else if user == nil {
                state.updateAccount { $0.rootPasswordLastUsed = now }
            }
        }
        let e = JSONEncoder(); e.dateEncodingStrategy = .secondsSince1970
        let cookie = JWT.base64URLEncode(secrets.seal(Array(try! e.encode(claims)), context: "console-session"))
        logger.info("console sign-in", metadata: ["warden.principal": "\(arn)", "warden.mfa": "\(mfa)"])
        return ConsoleSession(principalARN: arn, accountID: account, userName: user?.name ?? "root", accessKeyID: claims.accessKeyID,
                              secretAccessKey: Redacted(claims.secret), sessionToken: Redacted(sessionToken(for: claims)),
                              expiration: claims.expires, cookie: Redacted(cookie), mfaAuthenticated: mfa)
    }

    /// The console session a cookie holds, if it is valid and unexpired.
    public func consoleSession(cookie: String) -> (principalARN: String, expiration: Date, mfa: Bool)? {
        let d = JSONDecoder(); d.dateDecodingStrategy = .secondsSince1970
        guard let bytes = JWT.base64URLDecode(cookie), let json = try? secrets.open(bytes, context: "console-session"),
              let claims = try? d.decode(SessionClaims.self, from: Data(json)), clock.now() < claims.expires,
              let cred = try? sessionCredential(accessKeyID: claims.accessKeyID, token: sessionToken(for: claims)) else { return nil }
        return (cred.caller.principal.arn, claims.expires, claims.mfaAuthenticated)
    }
}
