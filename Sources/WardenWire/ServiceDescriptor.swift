/// One service of the endpoint as its botocore model describes it (`IAM.service`, `CloudTrail.service`): what the
/// server needs to route a request to it and answer in its protocol.
public struct ServiceDescriptor: Sendable {
    /// The Swift namespace of the generated shapes (`CloudTrail`).
    public let name: String
    /// The model's full name (`AWS CloudTrail`).
    public let fullName: String
    /// The wire protocol.
    public let wireProtocol: WireProtocol
    /// The API version (`2013-11-01`).
    public let apiVersion: String
    /// The service name in SigV4 credential scopes (`cloudtrail`).
    public let signingName: String
    /// The endpoint prefix (`cloudtrail`), the host name's first label at AWS.
    public let endpointPrefix: String
    /// The `X-Amz-Target` prefix of JSON RPC services.
    public let targetPrefix: String?
    /// The JSON RPC version (`1.1`) of JSON RPC services.
    public let jsonVersion: String?
    /// The XML namespace of AWS Query responses.
    public let xmlNamespace: String?
    /// Every operation of the model, by name.
    public let operations: [String: OperationDescriptor]
    /// The modeled errors, by wire code.
    public let errors: [String: ErrorDescriptor]

    /// Creates a descriptor (the generator writes one per service).
    public init(name: String, fullName: String, wireProtocol: WireProtocol, apiVersion: String, signingName: String,
                endpointPrefix: String, targetPrefix: String? = nil, jsonVersion: String? = nil, xmlNamespace: String? = nil,
                operations: [String: OperationDescriptor], errors: [String: ErrorDescriptor]) {
        self.name = name
        self.fullName = fullName
        self.wireProtocol = wireProtocol
        self.apiVersion = apiVersion
        self.signingName = signingName
        self.endpointPrefix = endpointPrefix
        self.targetPrefix = targetPrefix
        self.jsonVersion = jsonVersion
        self.xmlNamespace = xmlNamespace
        self.operations = operations
        self.errors = errors
    }

    /// The operation an `X-Amz-Target` header names, for a JSON RPC service (nil when the prefix is not this
    /// service's or the model has no such operation).
    public func operation(target: String) -> OperationDescriptor? {
        guard let targetPrefix, let name = JSONProtocol.operation(target: target, prefix: targetPrefix) else { return nil }
        return operations[name]
    }

    /// An error in this service's envelope (protocol, XML namespace, JSON version).
    public func errorResponse(_ error: WireError, requestID: String) -> WireResponse {
        wireProtocol.errorResponse(error, requestID: requestID, xmlNamespace: xmlNamespace, jsonVersion: jsonVersion ?? "1.1")
    }

    /// The router of a REST service's operations (build it once and keep it).
    public func makeRouter() -> RESTRouter {
        RESTRouter(operations: operations)
    }
}
