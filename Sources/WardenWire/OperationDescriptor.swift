/// One operation of a service model, as generated from botocore (`IAM.operations`, `CloudTrail.operations`).
public struct OperationDescriptor: Sendable, Equatable {
    /// The operation name, which is the `Action` parameter (e.g. `CreateUser`).
    public let name: String
    /// The model's input shape name (e.g. `CreateUserRequest`), nil when the operation takes no input.
    public let inputShape: String?
    /// The model's output shape name (e.g. `CreateUserResponse`), nil when the response carries no result.
    public let outputShape: String?
    /// The element wrapping the result in the response (e.g. `CreateUserResult`).
    public let resultWrapper: String?
    /// The wire error codes the model declares for the operation (e.g. `NoSuchEntity`).
    public let errors: [String]
    /// Whether botocore defines a paginator (`Marker`/`IsTruncated`/`MaxItems`) for the operation.
    public let isPaginated: Bool
    /// The first sentence of the model's documentation, as plain text.
    public let documentation: String
    /// The HTTP method of the model's `http` trait; routes REST operations (`POST` for query and JSON 1.1).
    public let httpMethod: String
    /// The URI template of the model's `http` trait (`/analyzer/{analyzerName}`); routes REST operations.
    public let requestURI: String
    /// The HTTP status of a successful response (`http.responseCode`, 200 when the model gives none).
    public let successStatus: Int

    /// Creates a descriptor. The HTTP binding defaults describe the RPC protocols (query, JSON 1.1): `POST /`, 200.
    public init(name: String, inputShape: String?, outputShape: String?, resultWrapper: String?, errors: [String],
                isPaginated: Bool, documentation: String, httpMethod: String = "POST", requestURI: String = "/",
                successStatus: Int = 200) {
        self.name = name
        self.inputShape = inputShape
        self.outputShape = outputShape
        self.resultWrapper = resultWrapper
        self.errors = errors
        self.isPaginated = isPaginated
        self.documentation = documentation
        self.httpMethod = httpMethod
        self.requestURI = requestURI
        self.successStatus = successStatus
    }
}

/// One modeled error of a service (`IAM.errors`, `STS.errors`), keyed there by its wire code.
public struct ErrorDescriptor: Sendable, Equatable {
    /// The model's shape name (e.g. `NoSuchEntityException`).
    public let shapeName: String
    /// The wire code (the shape's `error.code`, else the shape name), e.g. `NoSuchEntity`.
    public let code: String
    /// The default HTTP status (`error.httpStatusCode`, 400 when the model gives none).
    public let httpStatus: Int
    /// Whether the model marks the error as the caller's fault (`senderFault`): `<Type>Sender</Type>`.
    public let isSender: Bool

    /// Creates a descriptor.
    public init(shapeName: String, code: String, httpStatus: Int, isSender: Bool) {
        self.shapeName = shapeName
        self.code = code
        self.httpStatus = httpStatus
        self.isSender = isSender
    }

    /// A wire error with this code, status and fault, carrying `message`.
    public func wireError(_ message: String) -> WireError {
        WireError(code: code, message: message, httpStatus: httpStatus, isSender: isSender)
    }
}
