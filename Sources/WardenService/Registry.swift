import WardenCore
import WardenWire

/// The API services Warden serves on its one endpoint, chosen by the SigV4 credential scope's service.
public enum APIService: String, Sendable, CaseIterable {
    case iam, sts, cloudtrail, s3

    /// The service as its botocore model describes it (nil for the S3 view, which is served by hand).
    public var descriptor: ServiceDescriptor? {
        switch self {
        case .iam: IAM.service
        case .sts: STS.service
        case .cloudtrail: CloudTrail.service
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

/// The operations Warden implements, by service and action name. This table is also the source of the
/// compatibility matrix (`warden operations`).
struct Registry: Sendable {
    typealias Handler = @Sendable (APIInput, Call) async throws -> APIOutput
    var handlers: [APIService: [String: Handler]] = [:]

    static func query(_ input: APIInput) throws -> QueryParameters {
        guard case .query(let p) = input else { throw ServiceError(.serviceFailure, "An internal error occurred.") }
        return p
    }

    static func decodeQuery<Input: QueryDecodable>(_ input: APIInput) throws -> Input {
        do { return try Input(from: try query(input)) } catch let e as ValidationFailure { throw ServiceError(.validationError, e.message) }
    }

    /// Registers an operation whose input and output are generated shapes.
    mutating func on<Input: QueryDecodable, Output: XMLEncodable>(
        _ service: APIService, _ name: String, _ body: @escaping @Sendable (Input, Call) async throws -> Output
    ) {
        handlers[service, default: [:]][name] = { input, call in .xml(try await body(try Self.decodeQuery(input), call)) }
    }

    /// Registers an operation that has no output shape.
    mutating func on<Input: QueryDecodable>(
        _ service: APIService, _ name: String, _ body: @escaping @Sendable (Input, Call) async throws -> Void
    ) {
        handlers[service, default: [:]][name] = { input, call in try await body(try Self.decodeQuery(input), call); return .empty }
    }

    /// Registers an operation without input members.
    mutating func on<Output: XMLEncodable>(
        _ service: APIService, _ name: String, _ body: @escaping @Sendable (Call) async throws -> Output
    ) {
        handlers[service, default: [:]][name] = { _, call in .xml(try await body(call)) }
    }

    /// Registers an operation with neither input members nor output.
    mutating func on(_ service: APIService, _ name: String, _ body: @escaping @Sendable (Call) async throws -> Void) {
        handlers[service, default: [:]][name] = { _, call in try await body(call); return .empty }
    }

    /// Registers an operation of a JSON service whose input and output are generated shapes.
    mutating func json<Input: JSONDecodable, Output: JSONEncodable>(
        _ service: APIService, _ name: String, _ body: @escaping @Sendable (Input, Call) async throws -> Output
    ) {
        handlers[service, default: [:]][name] = { input, call in
            guard case .json(let json) = input else { throw ServiceError(.serviceFailure, "An internal error occurred.") }
            let decoded: Input
            do { decoded = try Input(json: json) } catch let e as ValidationFailure { throw ServiceError(.validationException, e.message) }
            return .json(try await body(decoded, call))
        }
    }

    /// Registers an operation of a REST service that renders its own response.
    mutating func rest(_ service: APIService, _ name: String, _ body: @escaping @Sendable (RESTRequest, Call) async throws -> WireResponse) {
        handlers[service, default: [:]][name] = { input, call in
            guard case .rest(let r) = input else { throw ServiceError(.serviceFailure, "An internal error occurred.") }
            return .raw(try await body(r, call))
        }
    }

    func handler(_ service: APIService, _ name: String) -> Handler? { handlers[service]?[name] }
}
