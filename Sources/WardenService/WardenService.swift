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
    /// The call-event stream: audit records and the readers of last-used data.
    public let events: EventRecorder
    /// The access advisor: last-accessed facts read from the call-event stream, and its reports.
    public let accessAdvisor: AccessAdvisor
    /// The trail's files (log files, digests, keys), when the server keeps them.
    let auditArchive = AuditArchiveBox()
    /// How many days of audit records are kept and looked up.
    public let auditRetentionDays: Int
    /// The thresholds of the best-practice checks.
    public let securitySettings: SecuritySettings
    /// Raises alerts from the call-event stream.
    public let alerts: AlertEngine
    /// Access Analyzer's external-access analysis, fed by the call-event stream.
    public let accessAnalysis: AccessAnalysis

    /// Connects the trail's files (set once at start).
    public func attach(auditArchive archive: any AuditArchive) { auditArchive.archive = archive }
    let registry: Registry
    let authorizerBox: AuthorizerBox
    /// Decrypted secrets and opened session tokens (authentication runs from memory).
    let credentialCache = CredentialCache()

    /// The authorizer every call goes through.
    public var authorizer: any Authorizer { authorizerBox.value }

    public init(store: StateStore, secrets: SecretBox, clock: any WallClock = SystemClock(), logger: Logger,
                authorizer: (any Authorizer)? = nil, auditRetentionDays: Int = 90,
                securitySettings: SecuritySettings = SecuritySettings(), alerts: AlertsConfiguration = AlertsConfiguration()) throws {
        self.auditRetentionDays = auditRetentionDays
        self.securitySettings = securitySettings
        self.store = store
        self.secrets = secrets
        self.clock = clock
        self.logger = logger
        self.managedPolicies = try AWSManagedPolicies.load()
        self.usage = UsageRecorder()
        self.events = EventRecorder(logger: logger)
        self.accessAdvisor = try AccessAdvisor()
        var registry = Registry()
        Self.registerOperations(&registry)
        self.registry = registry
        self.authorizerBox = AuthorizerBox(authorizer ?? PolicyAuthorizer())
        // The access advisor reads the call-event stream.
        let advisor = accessAdvisor
        events.subscribe { advisor.observe($0) }
        let analysis = AccessAnalysis(logger: logger)
        self.accessAnalysis = analysis
        events.subscribe { analysis.observe($0) }
        self.alerts = AlertEngine(configuration: alerts, logger: logger)
        // Alert rules match the calls' records. The reader holds the service weakly: the service owns the stream.
        events.subscribe(records: { [weak self] calls in
            guard let self else { return }
            self.alerts.observe(calls, service: self)
        })
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
        registerAccessAdvisor(&r)
        registerUnavailableFeatures(&r)
        registerCloudTrail(&r)
        registerS3View(&r)
        registerSecurity(&r)
        registerAlerts(&r)
        registerRemediations(&r)
        registerAnalyzers(&r)
        registerFindings(&r)
        registerAccessPreviews(&r)
        registerRecommendations(&r)
        registerPolicyGeneration(&r)
        registerPolicyChecks(&r)
        registerEscalation(&r)
    }

    /// The names of the operations implemented for a service, sorted.
    public func implementedOperations(_ service: APIService) -> [String] {
        (registry.handlers[service] ?? [:]).keys.sorted()
    }

    /// The result of one Query API call, ready for the wire.
    public struct Response: Sendable {
        public var status: Int
        public var body: String
    }

    /// Runs one authenticated call of a Query service (IAM, STS) and encodes its result or error as AWS does.
    public func handle(_ service: APIService, params: QueryParameters, caller: Caller, meta: RequestMeta) async -> Response {
        let r = await handle(service, operation: params.action, input: .query(params), caller: caller, meta: meta)
        return Response(status: r.status, body: r.bodyString)
    }

    /// Runs one authenticated call of any service: find the operation, authorize what it declares and run it (the
    /// registry's handler does both, in that order; see `Authorization`), check that it reached a decision, record
    /// the call, and encode the result in the service's protocol.
    public func handle(_ service: APIService, operation: String?, input: APIInput, caller: Caller, meta: RequestMeta) async -> WireResponse {
        let wire = service.wireProtocol
        guard let operation, !operation.isEmpty else {
            let error = wire == .query ? ServiceError(.missingAction, "Could not find operation to perform")
                : ServiceError(.unknownOperation, wire.unknownOperation(nil).message)
            return errorResponse(service, error, meta)
        }
        if case .query(let params) = input, let version = params.version, let expected = service.descriptor?.apiVersion, version != expected {
            return errorResponse(service, ServiceError(.invalidAction, "Could not find operation \(operation) for version \(version)"), meta)
        }
        guard let handler = registry.handler(service, operation) else {
            let known = service.descriptor?.operations[operation] != nil
            let message = known
                ? "The operation \(operation) is part of the AWS \(service.descriptor?.fullName ?? service.rawValue) API but Warden does not implement it; see docs/compatibility.md."
                : wire == .query ? "Could not find operation \(operation) for version \((input.queryVersion) ?? "NO_VERSION_SPECIFIED")"
                : wire.unknownOperation(operation).message
            return errorResponse(service, ServiceError(wire == .query ? .invalidAction : .unknownOperation, message), meta)
        }
        let call = Call(service: self, caller: caller, meta: meta, action: "\(service.actionPrefix):\(operation)")
        call.recording.begin(input)
        do {
            let output: APIOutput
            do {
                output = try await handler(input, call)
            } catch let error as ServiceError where Self.revealsExistence(error.code) && !call.isAuthorized {
                // The safety net: an operation (or its declaration) looked up its target before authorizing. AWS authorizes first: a caller who may not
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
            events.record(call.event(errorCode: nil, errorMessage: nil), input: input, output: output,
                          stored: call.recording.storedRecord, store: store)
            return successResponse(service, operation: operation, output: output, meta: meta)
        } catch let error as ServiceError {
            logger.info("request failed", metadata: [
                "warden.request.id": "\(meta.requestID)", "warden.action": "\(call.action)",
                "warden.principal": "\(caller.principal.arn)", "warden.error": "\(error.code.rawValue)",
            ])
            let wireError = wireError(service, error)
            events.record(call.event(errorCode: wireError.code, errorMessage: wireError.message), input: input, output: nil,
                          stored: call.recording.storedRecord, store: store)
            return errorResponse(service, error, meta)
        } catch {
            logger.error("unexpected failure", metadata: ["warden.request.id": "\(meta.requestID)", "warden.action": "\(call.action)", "error": "\(error)"])
            events.record(call.event(errorCode: ServiceError.Code.serviceFailure.rawValue, errorMessage: "An internal error occurred."),
                          input: input, output: nil, stored: call.recording.storedRecord, store: store)
            return errorResponse(service, ServiceError(.serviceFailure, "An internal error occurred."), meta)
        }
    }

    /// Operations that AWS documents as needing no permission: GetCallerIdentity and GetSessionToken. Only these may
    /// be registered as `Authorization.documentedFree`.
    static let freeOperations: Set<String> = ["sts:GetCallerIdentity", "sts:GetSessionToken"]

    /// Errors that tell the caller whether an entity exists; a caller must be authorized before seeing one.
    static func revealsExistence(_ code: ServiceError.Code) -> Bool {
        code == .noSuchEntity || code == .entityAlreadyExists || code == .deleteConflict || code == .trailNotFound
            || code == .resourceNotFound || code == .conflictException
    }

    /// A success in the service's protocol.
    func successResponse(_ service: APIService, operation: String, output: APIOutput, meta: RequestMeta) -> WireResponse {
        switch (service.wireProtocol, output) {
        case (.query, _):
            let xml: (any XMLEncodable)? = if case .xml(let x) = output { x } else { nil }
            return WireResponse(status: 200, headers: ["Content-Type": "text/xml", "x-amzn-RequestId": meta.requestID],
                                body: Array(QueryProtocol.success(operation: operation, namespace: service.namespace, result: xml,
                                                                  requestID: meta.requestID).utf8))
        case (.restJSON, _):
            let json: (any JSONEncodable)? = if case .json(let j) = output { j } else { nil }
            return RESTJSONProtocol.success(json, status: service.descriptor?.operations[operation]?.successStatus ?? 200,
                                            requestID: meta.requestID)
        case (_, .raw(let r)):
            var r = r
            r.headers["x-amz-request-id"] = meta.requestID
            return r
        case (_, .json(let j)):
            return JSONProtocol.success(j, requestID: meta.requestID, jsonVersion: service.descriptor?.jsonVersion ?? "1.1")
        default:
            return JSONProtocol.success(nil, requestID: meta.requestID, jsonVersion: service.descriptor?.jsonVersion ?? "1.1")
        }
    }

    /// A domain error as the service's clients expect it: JSON services name `AccessDenied` and
    /// `ValidationError` as `AccessDeniedException` and `ValidationException` (S3 keeps `AccessDenied`).
    func wireError(_ service: APIService, _ error: ServiceError) -> WireError {
        var code = error.code.rawValue
        if service.wireProtocol == .json || service.wireProtocol == .restJSON {
            if error.code == .accessDenied { code = ServiceError.Code.accessDeniedException.rawValue }
            if error.code == .validationError { code = ServiceError.Code.validationException.rawValue }
        }
        if service.wireProtocol == .restJSON && error.code == .serviceFailure { code = "InternalServerException" }
        return WireError(code: code, message: error.message, httpStatus: error.httpStatus, isSender: error.isSenderFault)
    }

    /// Encodes an error in the service's envelope.
    public func errorResponse(_ service: APIService, _ error: ServiceError, _ meta: RequestMeta) -> WireResponse {
        service.wireProtocol.errorResponse(wireError(service, error), requestID: meta.requestID, xmlNamespace: service.descriptor?.xmlNamespace,
                                           jsonVersion: service.descriptor?.jsonVersion ?? "1.1")
    }

    /// Encodes an error of a Query service (IAM, STS).
    public func queryErrorResponse(_ service: APIService, _ error: ServiceError, _ meta: RequestMeta) -> Response {
        let r = errorResponse(service, error, meta)
        return Response(status: r.status, body: r.bodyString)
    }
}

extension APIInput {
    /// The `Version` of a Query request.
    var queryVersion: String? { if case .query(let p) = self { p.version } else { nil } }
}

/// Holds the authorizer (set once at start).
final class AuthorizerBox: Sendable {
    let value: any Authorizer
    init(_ value: any Authorizer) { self.value = value }
}
