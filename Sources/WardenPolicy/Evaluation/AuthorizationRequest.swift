/// One request to authorize: who (principal), what (action), on what (resource), and the context.
/// Normalized forms are computed once in `init`, so evaluating many policies against the request does not
/// allocate.
public struct AuthorizationRequest: Sendable {
    /// The caller.
    public let principal: RequestPrincipal
    /// The action as given, e.g. `iam:CreateUser`.
    public let action: String
    /// The resource ARN (or `*`).
    public let resource: RequestARN
    /// The account that owns the resource; nil means the principal's account (same-account request).
    public let resourceAccount: String?
    /// Condition keys and values.
    public var context: RequestContext

    /// `action` lowercased (index key).
    let actionKey: String
    /// The service prefix of `action`, lowercased.
    let serviceKey: String
    /// FNV-1a hashes of `actionKey` and `serviceKey` for the compiled action indexes.
    let actionHash: UInt64
    let serviceHash: UInt64

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
        guard let resourceAccount, !resourceAccount.isEmpty, !principal.account.isEmpty else { return false }
        return resourceAccount != principal.account
    }

    /// Creates a request.
    /// - Parameters:
    ///   - resourceAccount: the account owning the resource; nil = the principal's account.
    public init(principal: RequestPrincipal, action: String, resource: String, resourceAccount: String? = nil,
                context: RequestContext = RequestContext()) {
        self.principal = principal
        self.action = action
        self.resource = RequestARN(resource)
        self.resourceAccount = resourceAccount
        self.context = context
        let lower = RequestContext.normalize(action)
        actionKey = lower
        if let colon = lower.firstIndex(of: ":") {
            serviceKey = String(lower[..<colon])
        } else {
            serviceKey = lower
        }
        actionHash = fnv1a(actionKey)
        serviceHash = fnv1a(serviceKey)
    }

    /// Creates a request for a principal ARN.
    public init(principalARN: String, action: String, resourceARN: String, resourceAccount: String? = nil,
                context: RequestContext = RequestContext()) {
        self.init(principal: RequestPrincipal(arn: principalARN), action: action, resource: resourceARN,
                  resourceAccount: resourceAccount, context: context)
    }
}
