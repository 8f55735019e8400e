/// Every policy that applies to one request, grouped by the role it plays in AWS's evaluation logic.
public struct PolicySet: Sendable {
    /// Identity-based policies (user, group and role policies, inline and managed). Their allows combine (union).
    public var identity: [CompiledPolicy]
    /// The permissions boundary (one policy; several are treated as one by union); nil = no boundary.
    public var boundary: [CompiledPolicy]?
    /// Session policies (inline and managed, combined by union); nil = no session policy applies.
    /// An empty array means a session that has no session policy but needs one (federated users).
    public var session: [CompiledPolicy]?
    /// The resource-based policy (or role trust policy) of the resource, if any.
    public var resource: CompiledPolicy?
    /// Service control policies, one array per level (root, each OU, account); every level must allow.
    /// nil = the principal's account is not governed by SCPs.
    public var serviceControl: [[CompiledPolicy]]?
    /// Resource control policies, one array per level; every level must allow. nil = not governed.
    public var resourceControl: [[CompiledPolicy]]?

    /// Creates a policy set.
    public init(identity: [CompiledPolicy] = [], boundary: [CompiledPolicy]? = nil, session: [CompiledPolicy]? = nil,
                resource: CompiledPolicy? = nil, serviceControl: [[CompiledPolicy]]? = nil,
                resourceControl: [[CompiledPolicy]]? = nil) {
        self.identity = identity
        self.boundary = boundary
        self.session = session
        self.resource = resource
        self.serviceControl = serviceControl
        self.resourceControl = resourceControl
    }
}
