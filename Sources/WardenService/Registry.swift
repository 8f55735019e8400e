import WardenCore
import WardenWire

/// The API services Warden serves on its one endpoint, chosen by the SigV4 credential scope's service.
public enum APIService: String, Sendable, CaseIterable {
    case iam, sts, cloudtrail, s3
    /// IAM Access Analyzer (REST-JSON): analyzers, findings, policy validation and the provable policy checks.
    case accessAnalyzer = "access-analyzer"
    /// Warden's own API: security status, best-practice checks, alerts and remediation (models/warden).
    case warden

    /// The service as its botocore model describes it (nil for the S3 view, which is served by hand).
    public var descriptor: ServiceDescriptor? {
        switch self {
        case .iam: IAM.service
        case .sts: STS.service
        case .cloudtrail: CloudTrail.service
        case .warden: WardenSecurity.service
        case .accessAnalyzer: AccessAnalyzer.service
        case .s3: nil
        }
    }

    /// The service's wire protocol.
    public var wireProtocol: WireProtocol { descriptor?.wireProtocol ?? .restXML }
    /// The XML namespace of Query responses.
    public var namespace: String { descriptor?.xmlNamespace ?? "" }
    /// The prefix of the service's IAM actions (`iam`, `cloudtrail`, `s3`).
    public var actionPrefix: String { rawValue }
    /// CloudTrail's `eventSource`.
    public var eventSource: String { "\(rawValue).amazonaws.com" }
    /// The service for a SigV4 credential scope's service name.
    public init?(signingName: String) { self.init(rawValue: signingName) }
}

/// The decoded input of one call, in its service's protocol.
public enum APIInput: Sendable {
    case query(QueryParameters)
    case json(WireJSON)
    /// A REST request (the S3 view): method, path and query string.
    case rest(RESTRequest)
    /// A REST-JSON request: its URI labels, query parameters, headers and JSON body.
    case restJSON(HTTPBindings)
}

/// A REST request as the S3 view reads it.
public struct RESTRequest: Sendable {
    public var method: String
    /// The decoded path, e.g. `/bucket/AWSLogs/…`.
    public var path: String
    public var query: QueryParameters
    public init(method: String, path: String, query: QueryParameters) { self.method = method; self.path = path; self.query = query }
}

/// The result of one call, to be encoded in its service's protocol.
public enum APIOutput: Sendable {
    case empty
    case xml(any XMLEncodable)
    case json(any JSONEncodable)
    /// A response the operation rendered itself (S3's XML listings and object bodies).
    case raw(WireResponse)
}

/// One authorization an operation needs before it runs: an action on a resource, with the request's condition
/// keys. The dispatcher checks every declared requirement through `Call.authorize` before the operation's body runs.
public struct Requirement: Sendable, Equatable {
    /// The resource ARN the action is performed on (`*` for actions IAM defines no resource type for).
    public var resource: String
    /// The IAM action; nil means the call's own action (`iam:GetUser` for GetUser).
    public var action: String?
    /// Request keys such as `iam:PermissionsBoundary`, `iam:PassedToService`, `aws:RequestTag/…`, `aws:TagKeys`.
    public var context: [String: [String]]
    /// The action is granted by an account setting without a policy (see `Call.authorize`): then only an
    /// explicit deny refuses.
    public var grantedBySetting: Bool

    /// A requirement on `resource`. Request `tags` become `aws:RequestTag/KEY` and `aws:TagKeys` (none when the
    /// request carries no tags), added to `context`.
    public init(_ resource: String, action: String? = nil, context: [String: [String]] = [:], tags: [EntityTag]? = nil,
                grantedBySetting: Bool = false) {
        var context = context
        if let tags, !tags.isEmpty {
            for t in tags { context["aws:RequestTag/\(t.key)"] = [t.value] }
            context["aws:TagKeys"] = tags.map(\.key)
        }
        self.resource = resource
        self.action = action
        self.context = context
        self.grantedBySetting = grantedBySetting
    }
}

/// How an operation is authorized, as the registry records it (for the dispatcher and the tests).
enum AuthorizationKind: Sendable, Equatable {
    /// Declared requirements, checked before the body runs.
    case declared
    /// AWS documents the operation as needing no permission (`WardenService.freeOperations`).
    case free
    /// The body authorizes, for the reason given: what it is authorized on cannot be known before it runs.
    case inBody(because: String)
}

/// How the dispatcher authorizes an operation. Every registration names one, so no operation can forget to:
/// either it declares its requirements, which are checked before its body runs, or it is one of the named
/// exceptions. Checks that need what only the body finds out (PassRole on the role a request names, the new
/// name of a rename, a role's trust policy) stay in the body, after the declared ones.
struct Authorization<Input>: Sendable {
    let kind: AuthorizationKind
    let requirements: (@Sendable (Input, Call) throws -> [Requirement])?

    /// The operation needs `requirements`. The closure may read `call.state()` to resolve an entity's path, but
    /// must not throw an error that reveals whether an entity exists: a missing entity resolves to the ARN it
    /// would have (the path the request gives, or `/`), and the body reports it once the caller is authorized.
    static func declared(_ requirements: @escaping @Sendable (Input, Call) throws -> [Requirement]) -> Self {
        Self(kind: .declared, requirements: requirements)
    }

    /// The operation needs the call's action on one resource.
    static func resource(_ arn: @escaping @Sendable (Input, Call) throws -> String) -> Self {
        declared { input, call in [Requirement(try arn(input, call))] }
    }

    /// The call's action on `*`: for actions IAM defines no resource type for, which policies grant on "*".
    static var anyResource: Self { declared { _, _ in [Requirement("*")] } }

    /// No permission needed, as AWS documents for `sts:GetCallerIdentity` and `sts:GetSessionToken` only (the
    /// registry refuses any other operation).
    static var documentedFree: Self { Self(kind: .free, requirements: nil) }

    /// The body authorizes: `reason` says why the check cannot be declared. The dispatcher's fail-closed check
    /// still refuses a success without a decision.
    static func inBody(because reason: String) -> Self { Self(kind: .inBody(because: reason), requirements: nil) }
}

/// The operations Warden implements, by service and action name. This table is also the source of the
/// compatibility matrix (`warden operations`).
struct Registry: Sendable {
    typealias Handler = @Sendable (APIInput, Call) async throws -> APIOutput
    var handlers: [APIService: [String: Handler]] = [:]
    /// How each operation is authorized.
    var authorization: [APIService: [String: AuthorizationKind]] = [:]

    static func query(_ input: APIInput) throws -> QueryParameters {
        guard case .query(let p) = input else { throw ServiceError(.serviceFailure, "An internal error occurred.") }
        return p
    }

    static func decodeQuery<Input: QueryDecodable>(_ input: APIInput) throws -> Input {
        do { return try Input(from: try query(input)) } catch let e as ValidationFailure { throw ServiceError(.validationError, e.message) }
    }

    /// Registers an operation: its input is decoded (and validated), the declared requirements are authorized, and
    /// only then does the body run.
    private mutating func register<Input>(_ service: APIService, _ name: String, _ authorize: Authorization<Input>,
                                          decode: @escaping @Sendable (APIInput) throws -> Input,
                                          _ body: @escaping @Sendable (Input, Call) async throws -> APIOutput) {
        let kind = authorize.kind
        precondition(kind != .free || WardenService.freeOperations.contains("\(service.actionPrefix):\(name)"),
                     "\(service.actionPrefix):\(name) is not an operation AWS documents as needing no permission")
        authorization[service, default: [:]][name] = kind
        let requirements = authorize.requirements
        handlers[service, default: [:]][name] = { input, call in
            let decoded = try decode(input)
            if let requirements {
                for requirement in try requirements(decoded, call) { try call.authorize(requirement) }
            }
            return try await body(decoded, call)
        }
    }

    /// Registers an operation whose input and output are generated shapes.
    mutating func on<Input: QueryDecodable, Output: XMLEncodable>(
        _ service: APIService, _ name: String, authorize: Authorization<Input>,
        _ body: @escaping @Sendable (Input, Call) async throws -> Output
    ) {
        register(service, name, authorize, decode: { try Self.decodeQuery($0) }) { input, call in .xml(try await body(input, call)) }
    }

    /// Registers an operation that has no output shape.
    mutating func on<Input: QueryDecodable>(
        _ service: APIService, _ name: String, authorize: Authorization<Input>,
        _ body: @escaping @Sendable (Input, Call) async throws -> Void
    ) {
        register(service, name, authorize, decode: { try Self.decodeQuery($0) }) { input, call in try await body(input, call); return .empty }
    }

    /// Registers an operation without input members.
    mutating func on<Output: XMLEncodable>(
        _ service: APIService, _ name: String, authorize: Authorization<Void>, _ body: @escaping @Sendable (Call) async throws -> Output
    ) {
        register(service, name, authorize, decode: { _ in () }) { _, call in .xml(try await body(call)) }
    }

    /// Registers an operation with neither input members nor output.
    mutating func on(_ service: APIService, _ name: String, authorize: Authorization<Void>,
                     _ body: @escaping @Sendable (Call) async throws -> Void) {
        register(service, name, authorize, decode: { _ in () }) { _, call in try await body(call); return .empty }
    }

    /// Registers an operation of a JSON service whose input and output are generated shapes.
    mutating func json<Input: JSONDecodable, Output: JSONEncodable>(
        _ service: APIService, _ name: String, authorize: Authorization<Input>,
        _ body: @escaping @Sendable (Input, Call) async throws -> Output
    ) {
        register(service, name, authorize, decode: { input in
            guard case .json(let json) = input else { throw ServiceError(.serviceFailure, "An internal error occurred.") }
            do { return try Input(json: json) } catch let e as ValidationFailure { throw ServiceError(.validationException, e.message) }
        }) { input, call in .json(try await body(input, call)) }
    }

    /// Registers an operation of a REST-JSON service whose input and output are generated shapes.
    mutating func restJSON<Input: HTTPBindingDecodable, Output: JSONEncodable>(
        _ service: APIService, _ name: String, authorize: Authorization<Input>,
        _ body: @escaping @Sendable (Input, Call) async throws -> Output
    ) {
        register(service, name, authorize, decode: { try Self.decodeREST($0) }) { input, call in .json(try await body(input, call)) }
    }

    /// Registers an operation of a REST-JSON service that has no output shape.
    mutating func restJSON<Input: HTTPBindingDecodable>(
        _ service: APIService, _ name: String, authorize: Authorization<Input>,
        _ body: @escaping @Sendable (Input, Call) async throws -> Void
    ) {
        register(service, name, authorize, decode: { try Self.decodeREST($0) }) { input, call in try await body(input, call); return .empty }
    }

    static func decodeREST<Input: HTTPBindingDecodable>(_ input: APIInput) throws -> Input {
        guard case .restJSON(let bindings) = input else { throw ServiceError(.serviceFailure, "An internal error occurred.") }
        do { return try Input(http: bindings) } catch { throw ServiceError(.validationException, error.message) }
    }

    /// Registers an operation of a REST service that renders its own response.
    mutating func rest(_ service: APIService, _ name: String, authorize: Authorization<RESTRequest>,
                       _ body: @escaping @Sendable (RESTRequest, Call) async throws -> WireResponse) {
        register(service, name, authorize, decode: { input in
            guard case .rest(let r) = input else { throw ServiceError(.serviceFailure, "An internal error occurred.") }
            return r
        }) { input, call in .raw(try await body(input, call)) }
    }

    func handler(_ service: APIService, _ name: String) -> Handler? { handlers[service]?[name] }
}
