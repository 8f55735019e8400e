import Foundation
import Synchronization
import WardenCore
import WardenStore
import WardenWire

/// Where a sign-in request came from, for its record: the client's address and `User-Agent`, whether it came over
/// TLS, and the address the person signed in at (`LoginTo`).
public struct SignInClient: Sendable {
    public var sourceIP: String
    public var userAgent: String
    public var secureTransport: Bool
    /// CloudTrail's `additionalEventData.LoginTo`: the endpoint the person signed in at, e.g. `https://warden.example/`.
    public var loginTo: String
    public init(sourceIP: String, userAgent: String = "", secureTransport: Bool = false, loginTo: String = "") {
        self.sourceIP = sourceIP; self.userAgent = userAgent; self.secureTransport = secureTransport; self.loginTo = loginTo
    }
}

/// Whom a sign-in event is about.
enum SignInIdentity {
    case root(account: String)
    case user(UserRecord, arn: String, account: String)
    /// A user name the account does not have. CloudTrail hides it: people type their password there by mistake.
    case unknownUser(account: String)
}

extension CallEvent {
    /// CloudTrail's event source and host of console sign-in events.
    static let signInSource = "signin.amazonaws.com"
    static let signInHost = "signin.aws.amazon.com"
    /// `errorMessage` of a failed sign-in, as CloudTrail writes it.
    static let failedAuthentication = "Failed authentication"
    static let noSuchUserName = "No username found in supplied account"

    /// A sign-in event (`ConsoleLogin`, `CheckMfa`, `PasswordUpdated`) as CloudTrail records it: `eventType`
    /// `AwsConsoleSignIn`, no request parameters, `responseElements` `{NAME: "Success" | "Failure"}`, no request id.
    /// Nothing the person typed enters it but an existing user's name.
    static func signIn(_ name: String, who: SignInIdentity, client: SignInClient, time: Date, success: Bool,
                       errorMessage: String? = nil, additional: WireJSON? = nil) -> CallEvent {
        let principal: Principal
        var identity: [WireJSON.Member] = []
        func add(_ k: String, _ v: String) { identity.append(.init(k, .string(v))) }
        // CloudTrail names the user's ARN only once the person is known to be who they say (a successful sign-in, a
        // changed password); failed attempts and the MFA check carry the id and name, and an empty access key.
        let confirmed = success && name != "CheckMfa"
        switch who {
        case .root(let account):
            principal = .root(account)
            add("type", "Root"); add("principalId", account); add("arn", principal.arn); add("accountId", account); add("accessKeyId", "")
        case .user(let u, let arn, let account):
            principal = Principal(kind: .user, account: account, arn: arn, userID: u.id, name: u.name)
            add("type", "IAMUser"); add("principalId", u.id)
            if confirmed { add("arn", arn) }
            add("accountId", account)
            if !confirmed { add("accessKeyId", "") }
            add("userName", u.name)
        case .unknownUser(let account):
            principal = Principal(kind: .user, account: account, arn: "", userID: "", name: "HIDDEN_DUE_TO_SECURITY_REASONS")
            add("type", "IAMUser"); add("accountId", account); add("accessKeyId", ""); add("userName", principal.name)
        }
        let meta = RequestMeta(requestID: "", sourceIP: client.sourceIP, userAgent: client.userAgent,
                               secureTransport: client.secureTransport, region: "us-east-1", time: time)
        let custom = CustomRecord(eventSource: signInSource, eventType: "AwsConsoleSignIn", userIdentity: .object(identity),
                                    username: principal.name, requestParameters: .null,
                                    responseElements: .object([.init(name, .string(success ? "Success" : "Failure"))]),
                                    additionalEventData: additional, includesRequestID: false, host: signInHost)
        return CallEvent(service: .iam, operation: name, account: principal.account,
                         caller: Caller(principal: principal, accessKeyID: ""), meta: meta, errorCode: nil,
                         errorMessage: success ? nil : (errorMessage ?? failedAuthentication), resources: [], readOnly: false,
                         custom: custom)
    }

    /// `additionalEventData` of a `ConsoleLogin`: where the person signed in, not from the mobile app, whether MFA was
    /// used and, after a successful MFA step, the device (`MFAIdentifier`, its serial ARN).
    static func consoleLoginData(_ client: SignInClient, mfaUsed: Bool, device: String? = nil) -> WireJSON {
        var m: [WireJSON.Member] = [.init("LoginTo", .string(client.loginTo)), .init("MobileVersion", "No")]
        if let device { m.append(.init("MFAIdentifier", .string(device))) }
        m.append(.init("MFAUsed", mfaUsed ? "Yes" : "No"))
        return .object(m)
    }

    /// The role session an instance profile's workload credentials start, recorded as CloudTrail records the
    /// `AssumeRole` that EC2 makes for an instance profile: invoked by `ec2.amazonaws.com`, with the role and session
    /// name, and (on success) the session's access key id and expiry. Never the secret key or the session token.
    static func instanceProfileSession(account: String, roleARN: String, roleID: String?, sessionName: String, time: Date,
                                       issued: (accessKeyID: String, expiration: Date)?, errorCode: String? = nil,
                                       errorMessage: String? = nil) -> CallEvent {
        let service = "ec2.amazonaws.com"
        let meta = RequestMeta(requestID: UUID().uuidString.lowercased(), sourceIP: service, userAgent: service,
                               secureTransport: false, region: "us-east-1", time: time)
        let principal = Principal(kind: .assumedRole, account: account, arn: service, userID: service, name: service)
        var response: WireJSON = .null
        if let issued {
            let roleName = roleARN.split(separator: "/").last.map(String.init) ?? roleARN
            response = [
                "credentials": [
                    "accessKeyId": .string(issued.accessKeyID),
                    "sessionToken": AuditParameters.hidden,
                    "expiration": .string(AuditRecord.timestamp(issued.expiration)),
                ],
                "assumedRoleUser": [
                    "assumedRoleId": .string("\(roleID ?? ""):\(sessionName)"),
                    "arn": .string("arn:aws:sts::\(account):assumed-role/\(roleName)/\(sessionName)"),
                ],
            ]
        }
        let custom = CustomRecord(eventSource: APIService.sts.eventSource, eventType: "AwsApiCall",
                                    userIdentity: ["type": "AWSService", "invokedBy": .string(service)], username: nil,
                                    sourceIPAddress: service, userAgent: service,
                                    requestParameters: [
                                        "roleArn": .string(roleARN), "roleSessionName": .string(sessionName),
                                        "durationSeconds": .int(Int(WardenService.workloadSessionSeconds)),
                                    ],
                                    responseElements: response, host: APIService.sts.eventSource)
        return CallEvent(service: .sts, operation: "AssumeRole", account: account,
                         caller: Caller(principal: principal, accessKeyID: ""), meta: meta, errorCode: errorCode,
                         errorMessage: errorMessage, resources: [roleARN], readOnly: true, custom: custom)
    }
}

/// The record a write's journal stored for an event, if it stored one.
final class JournalMark: Sendable {
    private let value = Mutex<String?>(nil)
    func set(_ record: String) { value.withLock { $0 = record } }
    var record: String? { value.withLock { $0 } }
}

extension WardenService {
    /// Records an event that no write stores: queued and stored with the next batch, like a read or a refusal.
    func recordEvent(_ event: CallEvent) {
        guard !event.account.isEmpty else { return }
        events.record(event, input: nil, output: nil, stored: nil, store: store)
    }

    /// Runs a transaction on an account and stores `event`'s record in it, so that the change and its record are
    /// durable together (as `Call.write` does for API calls). A transaction that changes no row stores nothing;
    /// then, or if the transaction fails, the record goes with the next batch.
    func write<R>(account: String, recording event: CallEvent, _ body: (inout AccountState) throws -> R) throws -> R {
        let mark = JournalMark()
        do {
            let result = try store.write(account: account, body, journal: { [events] _, state in
                guard events.isEnabled else { return [] }
                let entry = AuditRecord.entry(event, input: nil, output: nil, state: state)
                mark.set(entry.record)
                return [entry]
            })
            // Readers of the stream see the event either way; `stored` keeps the drain from storing it twice.
            events.record(event, input: nil, output: nil, stored: mark.record, store: store)
            return result
        } catch {
            events.record(event, input: nil, output: nil, stored: nil, store: store)
            throw error
        }
    }
}
