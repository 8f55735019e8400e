import Foundation
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
    public func write<R>(_ body: (inout AccountState) throws -> R) throws -> R {
        do {
            return try service.store.write(account: account, body)
        } catch let e as ServiceError {
            throw e
        } catch let e as StoreError {
            throw ServiceError(.serviceFailure, "\(e)")
        }
    }

    /// Asks the authorizer whether the caller may perform this call's action on `resource`; throws `AccessDenied`
    /// in AWS's wording otherwise. `context` adds request keys such as `aws:RequestTag/…` or `iam:PassedToService`.
    public func authorize(_ resource: String, action: String? = nil, context: [String: [String]] = [:]) throws {
        try service.authorizer.authorize(self, action: action ?? self.action, resource: resource, context: context)
    }

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
