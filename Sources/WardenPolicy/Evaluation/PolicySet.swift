/// Every policy that applies to one request, grouped by the role it plays in AWS's evaluation logic.
/// Copy-on-write over one box, so a `Decision` can keep the set for explanations with a single retain.
public struct PolicySet: @unchecked Sendable {
    // INVARIANT: `storage` is only mutated when uniquely referenced (see `mutate`), so sharing it is safe.
    final class Storage {
        var identity: [CompiledPolicy]
        var boundary: [CompiledPolicy]?
        var session: [CompiledPolicy]?
        var resource: CompiledPolicy?
        var serviceControl: [[CompiledPolicy]]?
        var resourceControl: [[CompiledPolicy]]?

        init(identity: [CompiledPolicy], boundary: [CompiledPolicy]?, session: [CompiledPolicy]?, resource: CompiledPolicy?,
             serviceControl: [[CompiledPolicy]]?, resourceControl: [[CompiledPolicy]]?) {
            self.identity = identity
            self.boundary = boundary
            self.session = session
            self.resource = resource
            self.serviceControl = serviceControl
            self.resourceControl = resourceControl
        }

        func copy() -> Storage {
            Storage(identity: identity, boundary: boundary, session: session, resource: resource,
                    serviceControl: serviceControl, resourceControl: resourceControl)
        }
    }

    private(set) var storage: Storage

    private mutating func mutate(_ body: (Storage) -> Void) {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        body(storage)
    }

    /// Identity-based policies (user, group and role policies, inline and managed). Their allows combine (union).
    public var identity: [CompiledPolicy] {
        get { storage.identity }
        set { mutate { $0.identity = newValue } }
    }
    /// The permissions boundary (one policy; several are treated as one by union); nil = no boundary.
    public var boundary: [CompiledPolicy]? {
        get { storage.boundary }
        set { mutate { $0.boundary = newValue } }
    }
    /// Session policies (inline and managed, combined by union); nil = no session policy applies.
    /// An empty array means a session that has no session policy but needs one (federated users).
    public var session: [CompiledPolicy]? {
        get { storage.session }
        set { mutate { $0.session = newValue } }
    }
    /// The resource-based policy (or role trust policy) of the resource, if any.
    public var resource: CompiledPolicy? {
        get { storage.resource }
        set { mutate { $0.resource = newValue } }
    }
    /// Service control policies, one array per level (root, each OU, account); every level must allow.
    /// nil = the principal's account is not governed by SCPs.
    public var serviceControl: [[CompiledPolicy]]? {
        get { storage.serviceControl }
        set { mutate { $0.serviceControl = newValue } }
    }
    /// Resource control policies, one array per level; every level must allow. nil = not governed.
    public var resourceControl: [[CompiledPolicy]]? {
        get { storage.resourceControl }
        set { mutate { $0.resourceControl = newValue } }
    }

    /// Creates a policy set.
    public init(identity: [CompiledPolicy] = [], boundary: [CompiledPolicy]? = nil, session: [CompiledPolicy]? = nil,
                resource: CompiledPolicy? = nil, serviceControl: [[CompiledPolicy]]? = nil,
                resourceControl: [[CompiledPolicy]]? = nil) {
        storage = Storage(identity: identity, boundary: boundary, session: session, resource: resource,
                          serviceControl: serviceControl, resourceControl: resourceControl)
    }
}
