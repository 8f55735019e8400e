import Foundation
import Logging
import WardenCore
import WardenStore
import WardenWire

/// The IAM and STS operations as async functions over the state store. The server adapts HTTP to `handle`.
public final class WardenService: Sendable {
    public let store: StateStore
    public let secrets: SecretBox
    public let clock: any WallClock
    public let logger: Logger
    public let managedPolicies: AWSManagedPolicies
    public let usage: UsageRecorder
    let registry: Registry
    let authorizerBox: AuthorizerBox
    /// Decrypted secrets and opened session tokens (authentication runs from memory).
    let credentialCache = CredentialCache()

    /// The authorizer every call goes through.
    public var authorizer: any Authorizer { authorizerBox.value }

    public init(store: StateStore, secrets: SecretBox, clock: any WallClock = SystemClock(), logger: Logger,
                authorizer: (any Authorizer)? = nil) throws {
        self.store = store
        self.secrets = secrets
        self.clock = clock
        self.logger = logger
        self.managedPolicies = try AWSManagedPolicies.load()
        self.usage = UsageRecorder()
        var registry = Registry()
        Self.registerOperations(&registry)
        self.registry = registry
        self.authorizerBox = AuthorizerBox(authorizer ?? PolicyAuthorizer())
    }

    static func registerOperations(_ r: inout Registry) {
        registerUsers(&r)
        registerGroups(&r)
        registerAccessKeys(&r)
        registerRoles(&r)
        registerInstanceProfiles(&r)
        registerManagedPolicies(&r)
        registerInlinePolicies(&r)
        registerLoginProfiles(&r)
        registerAccount(&r)
        registerTags(&r)
        registerMFA(&r)
        registerSimulation(&r)
        registerSTS(&r)
        registerSTSSessions(&r)
        registerSSHKeys(&r)
        registerSigningCertificates(&r)
        registerServerCertificates(&r)
        registerServiceCredentials(&r)
        registerOIDCProviders(&r)
        registerSAMLProviders(&r)
        registerCredentialReport(&r)
        registerUnavailableFeatures(&r)
    }

    /// The names of the operations implemented for a service, sorted.
    public func implementedOperations(_ service: APIService) -> [String] {
        (registry.handlers[service] ?? [:]).keys.sorted()
    }

    /// The result of one API call, ready for the wire.
    public struct Response: Sendable {
        public var status: Int
        public var body: String
    }

    /// Runs one authenticated API call and encodes its result or error as AWS does.
    public func handle(_ service: APIService, params: QueryParameters, caller: Caller, meta: RequestMeta) async -> Response {
        guard let action = params.action else {
            return errorResponse(service, ServiceError(.missingAction, "Could not find operation to perform"), meta)
        }
        guard let handler = registry.handler(service, action) else {
            let known = service == .iam ? IAM.operations[action] != nil : STS.operations[action] != nil
            if known {
                return errorResponse(service, ServiceError(.invalidAction, "The operation \(action) is part of the AWS \(service.rawValue.uppercased()) API but Warden does not implement it; see docs/compatibility.md."), meta)
            }
            return errorResponse(service, ServiceError(.invalidAction, "Could not find operation \(action) for version \(params.version ?? "NO_VERSION_SPECIFIED")"), meta)
        }
        let call = Call(service: self, caller: caller, meta: meta, action: "\(service.rawValue):\(action)")
        do {
            let result: (any XMLEncodable)?
            do {
                result = try await handler(params, call)
            } catch let error as ServiceError where Self.revealsExistence(error.code) && !call.isAuthorized {
                // The operation looked up its target before authorizing. AWS authorizes first: a caller who may not
                // act on the (missing) entity's ARN is denied, and only a permitted caller learns it does not exist.
                // Without a known ARN the caller must be allowed the action on every resource (fail closed).
                if error.missingResource == nil {
                    logger.info("existence error before authorization", metadata: ["warden.action": "\(call.action)"])
                }
                try call.authorize(error.missingResource ?? "*")
                throw error
            }
            // INVARIANT: every operation reaches an authorization decision before it succeeds; one that does not is a
            // bug, and fails closed rather than answering.
            guard call.isAuthorized || Self.freeOperations.contains(call.action) else {
                logger.error("operation completed without an authorization decision", metadata: [
                    "warden.request.id": "\(meta.requestID)", "warden.action": "\(call.action)"])
                throw ServiceError(.serviceFailure, "An internal error occurred.")
            }
            usage.record(accessKeyID: caller.accessKeyID, account: caller.principal.account, service: service.rawValue,
                         region: meta.region, time: meta.time)
            return Response(status: 200, body: QueryProtocol.success(operation: action, namespace: service.namespace,
                                                                     result: result, requestID: meta.requestID))
        } catch let error as ServiceError {
            logger.info("request failed", metadata: [
                "warden.request.id": "\(meta.requestID)", "warden.action": "\(call.action)",
                "warden.principal": "\(caller.principal.arn)", "warden.error": "\(error.code.rawValue)",
            ])
            return errorResponse(service, error, meta)
        } catch {
            logger.error("unexpected failure", metadata: ["warden.request.id": "\(meta.requestID)", "warden.action": "\(call.action)", "error": "\(error)"])
            return errorResponse(service, ServiceError(.serviceFailure, "An internal error occurred."), meta)
        }
    }

    /// Operations that AWS documents as needing no permission: GetCallerIdentity and GetSessionToken.
    static let freeOperations: Set<String> = ["sts:GetCallerIdentity", "sts:GetSessionToken"]

    /// Errors that tell the caller whether an entity exists; a caller must be authorized before seeing one.
    static func revealsExistence(_ code: ServiceError.Code) -> Bool {
        code == .noSuchEntity || code == .entityAlreadyExists || code == .deleteConflict
    }

    /// Encodes an error in the service's envelope.
    public func errorResponse(_ service: APIService, _ error: ServiceError, _ meta: RequestMeta) -> Response {
        let wire = WireError(code: error.code.rawValue, message: error.message, httpStatus: error.httpStatus, isSender: error.isSenderFault)
        return Response(status: error.httpStatus, body: QueryProtocol.error(wire, namespace: service.namespace, requestID: meta.requestID))
    }
}

/// Holds the authorizer (set once at start).
final class AuthorizerBox: Sendable {
    let value: any Authorizer
    init(_ value: any Authorizer) { self.value = value }
}
