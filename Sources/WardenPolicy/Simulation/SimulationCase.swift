/// One offline simulation: a request and the policies that apply to it (the `warden policy simulate` input).
///
/// ```json
/// {"request": {"action": "s3:GetObject", "resource": {"resource": "arn:aws:s3:::b/k", "accountId": "123456789012"},
///              "principal": "arn:aws:iam::123456789012:user/alice", "context": {"aws:SourceIp": "10.1.2.3"}},
///  "identityPolicies": [{…}], "resourcePolicy": {…}, "permissionBoundaries": [{…}], "sessionPolicy": {…},
///  "serviceControlPolicies": [{"orgIdentifier": "r-root", "policies": [{…}]}], "resourceControlPolicies": […]}
/// ```
/// An absent key means that kind of policy does not apply. Policies may be JSON objects or JSON strings.
public struct SimulationCase: Sendable, Equatable, Codable {
    /// The request half of a case.
    public struct Request: Sendable, Equatable {
        /// `service:Action`.
        public var action: String
        /// The resource ARN (`*` when the action has no resource).
        public var resource: String
        /// The account owning the resource; nil = the principal's account.
        public var resourceAccount: String?
        /// The caller's ARN (or a service principal / identity provider name).
        public var principal: String
        /// For role sessions the role ARN, for federated users the IAM user ARN (optional).
        public var principalParent: String?
        /// The caller's unique id (`AIDA…`/`AROA…`), optional.
        public var principalUniqueID: String?
        /// Condition keys and values as given.
        public var context: [String: ContextValue]
    }

    /// One level of an AWS Organizations hierarchy (root, OU, account) and the control policies attached there.
    public struct ControlPolicyLevel: Sendable, Equatable {
        /// `r-…`, `ou-…` or an account id.
        public var orgIdentifier: String
        /// The policies attached at this level.
        public var policies: [JSONValue]
    }

    /// Optional name (corpus files use it).
    public var name: String?
    /// The request.
    public var request: Request
    /// Identity-based policies.
    public var identityPolicies: [JSONValue]?
    /// The resource-based policy.
    public var resourcePolicy: JSONValue?
    /// `resource` (default) or `trust`: a trust policy must name the caller even in the same account.
    public var resourcePolicyKind: PolicyKind
    /// The permissions boundary (several are combined as one).
    public var permissionBoundaries: [JSONValue]?
    /// Session policies: one document or an array.
    public var sessionPolicies: [JSONValue]?
    /// SCP levels.
    public var serviceControlPolicies: [ControlPolicyLevel]?
    /// RCP levels.
    public var resourceControlPolicies: [ControlPolicyLevel]?
    /// Expected outcome (test corpora only; ignored by `simulate`).
    public var expect: JSONValue?

    /// Creates a case.
    public init(name: String? = nil, request: Request, identityPolicies: [JSONValue]? = nil, resourcePolicy: JSONValue? = nil,
                resourcePolicyKind: PolicyKind = .resource, permissionBoundaries: [JSONValue]? = nil,
                sessionPolicies: [JSONValue]? = nil, serviceControlPolicies: [ControlPolicyLevel]? = nil,
                resourceControlPolicies: [ControlPolicyLevel]? = nil, expect: JSONValue? = nil) {
        self.name = name
        self.request = request
        self.identityPolicies = identityPolicies
        self.resourcePolicy = resourcePolicy
        self.resourcePolicyKind = resourcePolicyKind
        self.permissionBoundaries = permissionBoundaries
        self.sessionPolicies = sessionPolicies
        self.serviceControlPolicies = serviceControlPolicies
        self.resourceControlPolicies = resourceControlPolicies
        self.expect = expect
    }

    /// Reads cases from text holding one JSON object, a JSON array of objects, or JSON Lines.
    public static func decodeAll(from text: String) throws(PolicyError) -> [SimulationCase] {
        if let whole = try? JSONValue.parse(text) {
            switch whole {
            case .array(let items):
                var out: [SimulationCase] = []
                for (i, item) in items.enumerated() { out.append(try SimulationCase(json: item, path: "[\(i)]")) }
                return out
            default:
                return [try SimulationCase(json: whole, path: "")]
            }
        }
        var out: [SimulationCase] = []
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let trimmed = line.trimmingSpaces.trimmingCharacters(in: "\r\t ")
            if trimmed.isEmpty { continue }
            let value: JSONValue
            do { value = try JSONValue.parse(trimmed) } catch {
                throw PolicyError(.malformedJSON, "Invalid JSON on line \(lineNumber)", path: "line \(lineNumber)",
                                  location: PolicyError.Location(line: lineNumber, column: error.location?.column ?? 1))
            }
            out.append(try SimulationCase(json: value, path: "line \(lineNumber)"))
        }
        return out
    }

    /// Builds a case from its JSON form.
    public init(json: JSONValue, path: String = "") throws(PolicyError) {
        func bad(_ what: String) -> PolicyError {
            PolicyError(.malformedJSON, "Invalid simulation case: \(what)", path: path)
        }
        guard case .object = json else { throw bad("expected an object") }
        guard let r = json["request"], case .object = r else { throw bad("missing `request`") }
        guard let action = r["action"]?.stringValue else { throw bad("missing `request.action`") }
        guard let principal = r["principal"]?.stringValue else { throw bad("missing `request.principal`") }
        var resource = "*"
        var account: String?
        switch r["resource"] {
        case .string(let s)?: resource = s
        case .object?:
            resource = r["resource"]?["resource"]?.stringValue ?? "*"
            account = r["resource"]?["accountId"]?.stringValue
        case nil: break
        default: throw bad("`request.resource` must be a string or an object")
        }
        var context: [String: ContextValue] = [:]
        if case .object(let members)? = r["context"] {
            for m in members {
                switch m.value {
                case .array(let items): context[m.key] = .strings(items.compactMap(SimulationCase.scalarText))
                default:
                    guard let t = SimulationCase.scalarText(m.value) else { throw bad("context value of `\(m.key)`") }
                    context[m.key] = .string(t)
                }
            }
        }
        request = Request(action: action, resource: resource, resourceAccount: account, principal: principal,
                          principalParent: r["principalParent"]?.stringValue, principalUniqueID: r["principalUniqueId"]?.stringValue,
                          context: context)
        name = json["name"]?.stringValue
        func list(_ key: String) -> [JSONValue]? {
            switch json[key] {
            case .array(let items)?: return items
            case nil, .null?: return nil
            case let v?: return [v]
            }
        }
        identityPolicies = list("identityPolicies")
        resourcePolicy = json["resourcePolicy"].flatMap { $0 == .null ? nil : $0 }
        resourcePolicyKind = json["resourcePolicyKind"]?.stringValue.flatMap(PolicyKind.init(rawValue:)) ?? .resource
        permissionBoundaries = list("permissionBoundaries") ?? list("permissionsBoundary")
        sessionPolicies = list("sessionPolicy") ?? list("sessionPolicies")
        func levels(_ key: String) throws(PolicyError) -> [ControlPolicyLevel]? {
            guard let items = list(key) else { return nil }
            var out: [ControlPolicyLevel] = []
            for item in items {
                guard case .object = item else { throw bad("`\(key)` levels must be objects") }
                var policies: [JSONValue] = []
                if case .array(let ps)? = item["policies"] { policies = ps }
                out.append(ControlPolicyLevel(orgIdentifier: item["orgIdentifier"]?.stringValue ?? "", policies: policies))
            }
            return out
        }
        serviceControlPolicies = try levels("serviceControlPolicies")
        resourceControlPolicies = try levels("resourceControlPolicies")
        expect = json["expect"]
    }

    static func scalarText(_ v: JSONValue) -> String? {
        switch v {
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }

    /// The case as JSON.
    public var jsonValue: JSONValue {
        var req: [JSONValue.Member] = [.init("action", .string(request.action))]
        var res: [JSONValue.Member] = [.init("resource", .string(request.resource))]
        if let a = request.resourceAccount { res.append(.init("accountId", .string(a))) }
        req.append(.init("resource", .object(res)))
        req.append(.init("principal", .string(request.principal)))
        if let p = request.principalParent { req.append(.init("principalParent", .string(p))) }
        if let u = request.principalUniqueID { req.append(.init("principalUniqueId", .string(u))) }
        if !request.context.isEmpty {
            req.append(.init("context", .object(request.context.keys.sorted().map { k in
                switch request.context[k]! {
                case .string(let s): return .init(k, .string(s))
                case .strings(let a): return .init(k, .array(a.map { .string($0) }))
                }
            })))
        }
        var top: [JSONValue.Member] = []
        if let name { top.append(.init("name", .string(name))) }
        top.append(.init("request", .object(req)))
        if let identityPolicies { top.append(.init("identityPolicies", .array(identityPolicies))) }
        if let resourcePolicy { top.append(.init("resourcePolicy", resourcePolicy)) }
        if resourcePolicyKind != .resource { top.append(.init("resourcePolicyKind", .string(resourcePolicyKind.rawValue))) }
        if let permissionBoundaries { top.append(.init("permissionBoundaries", .array(permissionBoundaries))) }
        if let sessionPolicies { top.append(.init("sessionPolicy", .array(sessionPolicies))) }
        func levels(_ l: [ControlPolicyLevel]) -> JSONValue {
            .array(l.map { .object([.init("orgIdentifier", .string($0.orgIdentifier)), .init("policies", .array($0.policies))]) })
        }
        if let s = serviceControlPolicies { top.append(.init("serviceControlPolicies", levels(s))) }
        if let r = resourceControlPolicies { top.append(.init("resourceControlPolicies", levels(r))) }
        if let expect { top.append(.init("expect", expect)) }
        return .object(top)
    }

    /// Decodes through `JSONValue`.
    public init(from decoder: any Decoder) throws {
        try self.init(json: try JSONValue(from: decoder))
    }

    /// Encodes as `jsonValue`.
    public func encode(to encoder: any Encoder) throws {
        try jsonValue.encode(to: encoder)
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        return String(drop { chars.contains($0) }.reversed().drop { chars.contains($0) }.reversed())
    }
}
