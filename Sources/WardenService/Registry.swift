import WardenCore
import WardenWire

/// The API services Warden serves on its one endpoint.
public enum APIService: String, Sendable {
    case iam, sts

    /// The XML namespace of responses.
    public var namespace: String { self == .iam ? IAM.namespace : STS.namespace }
}

/// The operations Warden implements, by service and action name. This table is also the source of the
/// compatibility matrix (`warden operations`).
struct Registry: Sendable {
    typealias Handler = @Sendable (QueryParameters, Call) async throws -> (any XMLEncodable)?
    var handlers: [APIService: [String: Handler]] = [.iam: [:], .sts: [:]]

    /// Registers an operation whose input and output are generated shapes.
    mutating func on<Input: QueryDecodable, Output: XMLEncodable>(
        _ service: APIService, _ name: String, _ body: @escaping @Sendable (Input, Call) async throws -> Output
    ) {
        handlers[service, default: [:]][name] = { params, call in
            let input: Input
            do { input = try Input(from: params) } catch let e as ValidationFailure { throw ServiceError(.validationError, e.message) }
            return try await body(input, call)
        }
    }

    /// Registers an operation that has no output shape.
    mutating func on<Input: QueryDecodable>(
        _ service: APIService, _ name: String, _ body: @escaping @Sendable (Input, Call) async throws -> Void
    ) {
        handlers[service, default: [:]][name] = { params, call in
            let input: Input
            do { input = try Input(from: params) } catch let e as ValidationFailure { throw ServiceError(.validationError, e.message) }
            try await body(input, call)
            return nil
        }
    }

    /// Registers an operation without input members.
    mutating func on<Output: XMLEncodable>(
        _ service: APIService, _ name: String, _ body: @escaping @Sendable (Call) async throws -> Output
    ) {
        handlers[service, default: [:]][name] = { _, call in try await body(call) }
    }

    /// Registers an operation with neither input members nor output.
    mutating func on(_ service: APIService, _ name: String, _ body: @escaping @Sendable (Call) async throws -> Void) {
        handlers[service, default: [:]][name] = { _, call in try await body(call); return nil }
    }

    func handler(_ service: APIService, _ name: String) -> Handler? { handlers[service]?[name] }
}
