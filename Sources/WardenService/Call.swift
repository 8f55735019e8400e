import Foundation
import Synchronization
import WardenCore
import WardenStore

/// One API call in progress: who calls, the request facts, and the service it runs on.
/// Operations read the account through `state` and change it through `write`.
public struct Call: Sendable {
    public let service: WardenService
    public let caller: Caller
    public let meta: RequestMeta
    /// The IAM action being performed, e.g. `iam:CreateUser`.
    public let action: String
    /// How many authorization checks this call has passed, on which resources (see `WardenService.handle`).
    let authorizations = AuthorizationTrace()
    /// The call's record in the audit trail: its input, and whether a write already stored it.
    let recording = EventRecording()

    /// The caller's account id.
    public var account: String { caller.principal.account }
    /// The current time of the request.
    public var now: Date { meta.time }

    /// The caller's account as it is now.
    public func state() throws -> AccountState {
        guard let s = service.store.account(account) else { throw ServiceError(.serviceFailure, "The account \(account) does not exist.") }
        return s
    }

    /// Runs a transaction on the caller's account.
    /// The call's audit record is stored in the first transaction that changes state, so that an acknowledged
    /// change always has its record (the result, when it is the operation's output, is its `responseElements`).
    public func write<R>(_ body: (inout AccountState) throws -> R) throws -> R {
        do {
            return try service.store.write(account: account, body, journal: { result, state in
                guard service.events.isEnabled, recording.claim() else { return [] }
                let entry = service.events.entry(for: self, output: result, state: state)
                recording.keep(entry.record)
                return [entry]
            })
        } catch let e as ServiceError {
            throw e
        } catch let e as StoreError {
            throw ServiceError(.serviceFailure, "\(e)")
        }
    }

    /// Asks the authorizer whether the caller may perform this call's action on `resource`; throws `AccessDenied`
    /// in AWS's wording otherwise. `context` adds request keys such as `aws:RequestTag/…` or `iam:PassedToService`.
    /// `grantedBySetting` is for actions that an account setting grants without a policy (ChangePassword under
    /// `AllowUsersToChangePassword`): then only an explicit deny refuses.
    public func authorize(_ resource: String, action: String? = nil, context: [String: [String]] = [:],
                          grantedBySetting: Bool = false) throws {
        try service.authorizer.authorize(self, action: action ?? self.action, resource: resource, context: context,
                                         grantedBySetting: grantedBySetting)
        authorizations.allow(resource)
    }

    /// Checks one requirement an operation declared (see `Authorization`); the dispatcher calls this before the
    /// operation's body runs.
    func authorize(_ requirement: Requirement) throws {
        try authorize(requirement.resource, action: requirement.action, context: requirement.context,
                      grantedBySetting: requirement.grantedBySetting)
    }

    /// Asks the authorizer whether the role's trust policy (and, where AWS requires it, the caller's identity
    /// policies) let the caller perform `action` on the role; throws `AccessDenied` otherwise.
    public func authorizeTrust(role: RoleRecord, roleARN: String, action: String, context: [String: [String]]) throws {
        try service.authorizer.authorizeTrust(self, role: role, roleARN: roleARN, action: action, context: context)
        authorizations.allow(roleARN)
    }

    /// Whether any authorization check has allowed this call so far.
    var isAuthorized: Bool { authorizations.passed.load(ordering: .relaxed) > 0 }

    /// Authorizes a call that carries tags (`aws:RequestTag/KEY`, `aws:TagKeys`).
    public func authorize(_ resource: String, tags: [EntityTag]?, context extra: [String: [String]] = [:]) throws {
        var context = extra
        if let tags, !tags.isEmpty {
            for t in tags { context["aws:RequestTag/\(t.key)"] = [t.value] }
            context["aws:TagKeys"] = tags.map(\.key)
        }
        try authorize(resource, context: context)
    }
}

/// Counts the authorization checks a call has passed. A `NoSuchEntity` raised before any check means the
/// operation looked its target up first; the dispatcher then authorizes on the missing entity's ARN so that a
/// caller without permission learns nothing about which entities exist.
final class AuthorizationTrace: Sendable {
    let passed = Atomic<Int>(0)
    private let allowed = Mutex<[String]>([])

    /// Notes one allowed check on `resource`.
    func allow(_ resource: String) {
        passed.add(1, ordering: .relaxed)
        allowed.withLock { if $0.count < 16, !$0.contains(resource) { $0.append(resource) } }
    }

    /// The resources the call was allowed on, in order (at most 16).
    var resources: [String] { allowed.withLock { $0 } }
}

/// The audit record of one call in progress: set by the dispatcher, claimed by the first state-changing write.
final class EventRecording: Sendable {
    private struct State { var input: APIInput?; var stored = false; var active = false; var record: String? }
    private let state = Mutex(State())

    /// The call's decoded input (for `requestParameters`).
    var input: APIInput? { state.withLock { $0.input } }

    /// Starts the record of a call the dispatcher runs. Calls made outside it (sign-in steps, workload tokens)
    /// store no record in their writes.
    func begin(_ input: APIInput) { state.withLock { $0.input = input; $0.active = true } }

    /// Whether a write stored the record.
    var stored: Bool { state.withLock { $0.stored } }

    /// The record a write stored (its CloudTrail JSON), for the stream's readers.
    var storedRecord: String? { state.withLock { $0.stored ? $0.record : nil } }

    /// Keeps the text of the record a write stores.
    func keep(_ record: String) { state.withLock { $0.record = record } }

    /// Claims the record for a write's transaction; true once per call.
    func claim() -> Bool {
        state.withLock { s in
            if s.stored || !s.active { return false }
            s.stored = true
            return true
        }
    }
}
