/// A policy compiled once for fast, repeated evaluation: statements with pre-parsed matchers, indexed by
/// action so that a decision only looks at statements that can match.
public struct CompiledPolicy: Sendable {
    final class Storage: Sendable {
        let id: String
        let document: PolicyDocument
        let statements: [CompiledStatement]
        let index: ActionIndex
        /// Whether statements carry a Principal element that must be matched.
        let evaluatesPrincipal: Bool

        init(id: String, document: PolicyDocument) {
            self.id = id
            self.document = document
            let variables = document.substitutesVariables
            let statements = document.statements.enumerated().map { CompiledStatement($1, index: $0, variables: variables) }
            self.statements = statements
            index = ActionIndex(statements)
            evaluatesPrincipal = statements.contains { $0.principal != nil }
        }
    }

    let storage: Storage

    /// Compiles `document`; `id` names the policy in explanations (a policy ARN, `user/alice/inline-name`, …).
    public init(_ document: PolicyDocument, id: String) {
        storage = Storage(id: id, document: document)
    }

    /// Parses, validates and compiles JSON in one step.
    public init(json: String, kind: PolicyKind, id: String) throws(PolicyError) {
        self.init(try PolicyDocument.parse(json, kind: kind), id: id)
    }

    /// The identifier given at compile time.
    public var id: String { storage.id }
    /// The source document.
    public var document: PolicyDocument { storage.document }
    /// The document's kind.
    public var kind: PolicyKind { storage.document.kind }

    /// The outcome of scanning one policy for one request.
    struct Scan {
        var denied = false
        /// The best principal match among matching Allow statements (`.none` = no allow).
        var allow = PrincipalMatch.none
    }

    /// Scans the statements that can match `request`; stops at the first matching Deny.
    @inline(__always)
    func scan(_ request: AuthorizationRequest, hasBoundary: Bool) -> Scan {
        var result = Scan()
        let s = storage
        let principalAware = s.evaluatesPrincipal
        let statements = s.statements
        for i in s.index.candidates(request) {
            let st = statements[Int(i)]
            // Once an unconditional-strength allow is found, only denies can change the outcome.
            if !st.isDeny && result.allow == .direct { continue }
            guard st.matchesAction(request), st.matchesResource(request) else { continue }
            var strength = PrincipalMatch.direct
            if principalAware, let p = st.principal {
                strength = p.match(request.principal, hasBoundary: hasBoundary)
                if strength == .none { continue }
            }
            if !st.isDeny && strength <= result.allow { continue }
            guard st.conditionsHold(request.context) else { continue }
            if st.isDeny {
                result.denied = true
                return result
            }
            result.allow = strength
        }
        return result
    }

    /// Calls `body` for every statement whose action, resource and principal match (conditions not checked).
    /// With `orUnresolved`, a resource that fails only because a policy variable has no value counts as matching
    /// (so that the missing key can be reported).
    func forEachApplicable(_ request: AuthorizationRequest, hasBoundary: Bool, orUnresolved: Bool = false,
                           _ body: (CompiledStatement) -> Void) {
        for st in storage.statements {
            guard st.matchesAction(request) else { continue }
            if !st.matchesResource(request) {
                guard orUnresolved else { continue }
                var missing: [String] = []
                for r in st.resources ?? [] { r.missingVariables(request.context, into: &missing) }
                if missing.isEmpty { continue }
            }
            if let p = st.principal, p.match(request.principal, hasBoundary: hasBoundary) == .none { continue }
            body(st)
        }
    }
}

/// Statement indices by action: exact lowercase action → statements; service prefix → statements with a
/// wildcard in the action name; and statements that can match any service (NotAction, `*`, wildcard
/// service). Each list is sorted and already includes the more general lists, so one lookup gives every
/// candidate exactly once. Lookups use hashes the request computed once, so they cost a probe and a compare.
struct ActionIndex: Sendable {
    let exact: HashedLists
    let service: HashedLists
    let global: [Int32]

    init(_ statements: [CompiledStatement]) {
        var exactRaw: [String: Set<Int32>] = [:]
        var serviceRaw: [String: Set<Int32>] = [:]
        var global = Set<Int32>()
        for st in statements {
            let i = Int32(st.index)
            if st.actionNegated || st.actions.isEmpty {
                global.insert(i)
                continue
            }
            for pattern in st.actions {
                guard let colon = pattern.firstIndex(of: UInt8(ascii: ":")) else {
                    global.insert(i)
                    continue
                }
                let svc = Array(pattern[..<colon])
                if Glob.hasWildcard(svc) {
                    global.insert(i)
                } else if Glob.hasWildcard(Array(pattern[(colon + 1)...])) {
                    serviceRaw[String(decoding: svc, as: UTF8.self), default: []].insert(i)
                } else {
                    exactRaw[String(decoding: pattern, as: UTF8.self), default: []].insert(i)
                }
            }
        }
        var services = Set(serviceRaw.keys)
        for key in exactRaw.keys { services.insert(ActionIndex.servicePart(key)) }
        var service: [String: [Int32]] = [:]
        for svc in services {
            service[svc] = (serviceRaw[svc, default: []].union(global)).sorted()
        }
        var exact: [String: [Int32]] = [:]
        for (key, set) in exactRaw {
            exact[key] = set.union(serviceRaw[ActionIndex.servicePart(key), default: []]).union(global).sorted()
        }
        self.exact = HashedLists(exact)
        self.service = HashedLists(service)
        self.global = global.sorted()
    }

    static func servicePart(_ action: String) -> String {
        String(action.prefix { $0 != ":" })
    }

    @inline(__always)
    func candidates(_ request: AuthorizationRequest) -> [Int32] {
        if let list = exact.lookup(request.actionKey, request.actionHash) { return list }
        if let list = service.lookup(request.serviceKey, request.serviceHash) { return list }
        return global
    }
}

/// An open-addressing table from strings to statement lists, probed with a precomputed FNV-1a hash.
struct HashedLists: Sendable {
    private let keys: [String]
    private let hashes: [UInt64]
    private let lists: [[Int32]]
    /// Slot → index into `keys` (or -1); capacity is a power of two at least twice the key count.
    private let slots: [Int32]
    private let mask: Int

    init(_ dictionary: [String: [Int32]]) {
        let sorted = dictionary.sorted { $0.key < $1.key }
        keys = sorted.map(\.key)
        hashes = keys.map(fnv1a)
        lists = sorted.map(\.value)
        var capacity = 4
        while capacity < keys.count * 2 { capacity *= 2 }
        var slots = [Int32](repeating: -1, count: capacity)
        for (i, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & (capacity - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Int32(i)
        }
        self.slots = slots
        mask = capacity - 1
    }

    @inline(__always)
    func lookup(_ key: String, _ hash: UInt64) -> [Int32]? {
        if keys.isEmpty { return nil }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let i = Int(slots[slot])
            if i < 0 { return nil }
            if hashes[i] == hash && keys[i] == key { return lists[i] }
            slot = (slot + 1) & mask
        }
    }
}
