/// One request to authorize: who (principal), what (action), on what (resource), and the context.
/// Normalized forms are computed once in `init`, and everything lives in one immutable box, so evaluating many
/// policies against the request, and keeping it in a `Decision`, costs no allocation and a single retain.
public struct AuthorizationRequest: Sendable {
    final class Storage: Sendable {
        let principal: RequestPrincipal
        let action: String
        let resource: RequestARN
        let resourceAccount: String?
        let context: RequestContext
        let actionKey: String
        let serviceKey: String
        let actionHash: UInt64
        let serviceHash: UInt64

        init(principal: RequestPrincipal, action: String, resource: RequestARN, resourceAccount: String?, context: RequestContext) {
            self.principal = principal
            self.action = action
            self.resource = resource
            self.resourceAccount = resourceAccount
            self.context = context
            let lower = RequestContext.normalize(action)
            actionKey = lower
            if let colon = lower.utf8.firstIndex(of: UInt8(ascii: ":")) {
                serviceKey = String(lower[..<colon])
            } else {
                serviceKey = lower
            }
            actionHash = fnv1a(actionKey)
            serviceHash = fnv1a(serviceKey)
        }
    }

    private(set) var storage: Storage

    /// The caller.
    public var principal: RequestPrincipal { storage.principal }
    /// The action as given, e.g. `iam:CreateUser`.
    public var action: String { storage.action }
    /// The resource ARN (or `*`), split into segments.
    public var resource: RequestARN { storage.resource }
    /// The account that owns the resource; nil means the principal's account (same-account request).
    public var resourceAccount: String? { storage.resourceAccount }
    /// Condition keys and values.
    public var context: RequestContext {
        get { storage.context }
        set {
            storage = Storage(principal: principal, action: action, resource: resource, resourceAccount: resourceAccount,
                              context: newValue)
        }
    }

    /// `action` lowercased (index key).
    var actionKey: String { storage.actionKey }
    /// The service prefix of `action`, lowercased.
    var serviceKey: String { storage.serviceKey }
    var actionHash: UInt64 { storage.actionHash }
    var serviceHash: UInt64 { storage.serviceHash }

    /// The principal ARN.
    public var principalARN: String { principal.arn }
    /// The principal's account (from its ARN).
    public var principalAccount: String { principal.account }
    /// The resource ARN.
    public var resourceARN: String { resource.text }
    /// Whether the caller is an account's root user.
    public var isRoot: Bool { principal.kind == .root }
    /// Whether the resource lives in another account than the principal.
    public var isCrossAccount: Bool {
        guard let resourceAccount = storage.resourceAccount, !resourceAccount.isEmpty, !storage.principal.account.isEmpty else { return false }
        return resourceAccount != storage.principal.account
    }

    /// Creates a request.
    /// - Parameters:
    ///   - resourceAccount: the account owning the resource; nil = the principal's account.
    public init(principal: RequestPrincipal, action: String, resource: String, resourceAccount: String? = nil,
                context: RequestContext = RequestContext()) {
        storage = Storage(principal: principal, action: action, resource: RequestARN(resource),
                          resourceAccount: resourceAccount, context: context)
    }

    /// Creates a request for a principal ARN.
    public init(principalARN: String, action: String, resourceARN: String, resourceAccount: String? = nil,
                context: RequestContext = RequestContext()) {
        self.init(principal: RequestPrincipal(arn: principalARN), action: action, resource: resourceARN,
                  resourceAccount: resourceAccount, context: context)
    }
}
