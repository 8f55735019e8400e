import Foundation
import WardenCore

/// One API call as it happened: who called, what, from where, and how it ended. The dispatcher emits one per
/// call of every service; the audit trail, last-used data and the access advisor read them (off the hot path).
///
/// An event is immutable and shared: the recorder's queue and every reader hold the same instance, so handing a
/// batch of them around costs one reference count each rather than a copy of every member (that copying was a
/// quarter of what draining the stream cost).
public final class CallEvent: Sendable {
    /// CloudTrail's `eventID` when the caller fixed it; empty otherwise, and the record's builder draws one (off the
    /// request path: random bytes cost a system call).
    public let eventID: String
    /// The service called (`iam`, `sts`, `cloudtrail`, …).
    public let service: APIService
    /// The operation name, e.g. `CreateUser`.
    public let operation: String
    /// The account the call was made in (CloudTrail's `recipientAccountId`): the caller's, or for unsigned
    /// federation calls the account of the role they name; empty when no account is known.
    public let account: String
    /// The authenticated caller. Unsigned federation calls carry the identity provider as caller.
    public let caller: Caller
    /// The request facts: id, time, source address, user agent, region.
    public let meta: RequestMeta
    /// The AWS error code when the call failed (`AccessDenied`, `NoSuchEntity`, …); nil on success.
    public let errorCode: String?
    /// The error message when the call failed.
    public let errorMessage: String?
    /// The ARNs the call was authorized on, in order (the first is the operation's primary resource).
    public let resources: [String]
    /// Whether the call only read state (CloudTrail's `readOnly`).
    public let readOnly: Bool
    /// For events that are not API calls the dispatcher runs (console sign-in steps, the role session of a workload
    /// credential fetch): the record's own fields. Nil for API calls, whose record is derived from the call.
    let custom: CustomRecord?

    /// An event; `custom` only for events that are not API calls the dispatcher runs.
    init(eventID: String = "", service: APIService, operation: String, account: String, caller: Caller, meta: RequestMeta,
         errorCode: String?, errorMessage: String?, resources: [String], readOnly: Bool, custom: CustomRecord? = nil) {
        self.eventID = eventID
        self.service = service
        self.operation = operation
        self.account = account
        self.caller = caller
        self.meta = meta
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.resources = resources
        self.readOnly = readOnly
        self.custom = custom
    }

    /// Whether the event is the principal's use of its service, which the access advisor counts (a sign-in is not,
    /// nor is a session an AWS service starts for a role).
    var isServiceUse: Bool { custom?.countsAsServiceUse ?? true }

    /// The IAM action, e.g. `iam:CreateUser`.
    public var action: String { "\(service.actionPrefix):\(operation)" }
    /// Whether the caller was authorized: the call either succeeded or failed after authorization.
    public var authorized: Bool { errorCode != "AccessDenied" && errorCode != "AccessDeniedException" }
    /// For role sessions, the role's ARN (`sessionIssuer`); for other principals, the principal's ARN. This is
    /// the entity whose "last used" the call counts toward.
    public var entityARN: String {
        if caller.principal.kind == .assumedRole, let parts = ARN.parse(caller.principal.arn) {
            // arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION → the role; the path is not in the session ARN,
            // so consumers match roles by name.
            let pieces = parts.resource.split(separator: "/")
            if pieces.count >= 2 { return "arn:aws:iam::\(parts.account):role/\(pieces[1])" }
        }
        return caller.principal.arn
    }
}

extension Call {
    /// The service of the call's action.
    var apiService: APIService {
        action.split(separator: ":", maxSplits: 1).first.flatMap { APIService(rawValue: String($0)) } ?? .iam
    }

    /// The event of this call as it ends now.
    func event(errorCode: String?, errorMessage: String?) -> CallEvent {
        let operation = action.split(separator: ":", maxSplits: 1).last.map(String.init) ?? action
        let resources = authorizations.resources
        var account = caller.principal.account
        if account.isEmpty {
            // Unsigned AssumeRoleWithWebIdentity / AssumeRoleWithSAML: the role's account receives the record.
            let named: String? = if case .query(let p) = recording.input { p["RoleArn"] } else { nil }
            account = (resources.first ?? named).flatMap { ARN.parse($0)?.account }.flatMap { Identifiers.isAccountID($0) ? $0 : nil } ?? ""
        }
        return CallEvent(eventID: "", service: apiService, operation: operation, account: account, caller: caller,
                         meta: meta, errorCode: errorCode, errorMessage: errorMessage, resources: resources,
                         readOnly: CallEvent.isReadOnly(operation))
    }
}

extension CallEvent {
    /// Whether an operation only reads (CloudTrail's `readOnly`): reads, lookups, simulations and the STS calls
    /// that issue credentials without changing the account.
    static func isReadOnly(_ operation: String) -> Bool {
        for prefix in ["Get", "List", "Describe", "Lookup", "Simulate", "Decode", "Head", "AssumeRole"] where operation.hasPrefix(prefix) {
            return true
        }
        return false
    }
}
