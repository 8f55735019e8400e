/// A failed call: the server's AWS error, a transport failure, or a response the client cannot read.
///
/// `description` is `Code: message` (`AccessDeniedException: User: arn:… is not authorized …`), the form the
/// AWS CLI prints. Messages come from the server or name the endpoint; credentials never appear.
public struct WardenClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which side failed.
    public enum Kind: String, Sendable {
        /// The server answered with an AWS error (`__type` and `message`).
        case service
        /// The request did not get an answer: connection refused, timeout, TLS failure.
        case transport
        /// The server answered, but not with a JSON 1.1 response the client understands.
        case malformedResponse
    }

    /// Which side failed.
    public var kind: Kind
    /// The AWS error code for service errors (`AccessDeniedException`), else a stable local code
    /// (`EndpointConnectionError`, `MalformedResponse`).
    public var code: String
    /// The message.
    public var message: String
    /// The HTTP status, when there was a response.
    public var httpStatus: Int?

    /// Creates an error.
    public init(kind: Kind, code: String, message: String, httpStatus: Int? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
    }

    /// `Code: message`, or just the code when there is no message.
    public var description: String { message.isEmpty ? code : "\(code): \(message)" }

    /// A response that is not what JSON 1.1 promises.
    static func malformed(_ message: String, status: Int? = nil) -> WardenClientError {
        WardenClientError(kind: .malformedResponse, code: "MalformedResponse", message: message, httpStatus: status)
    }
}
