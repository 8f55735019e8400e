/// An error as it goes out on the wire in the AWS Query error envelope.
public struct WireError: Error, Sendable, Equatable {
    /// The AWS error code, e.g. `NoSuchEntity`, `ValidationError`.
    public var code: String
    /// The human-readable message.
    public var message: String
    /// `true` renders `<Type>Sender</Type>` (the client's fault), `false` renders `Receiver`.
    public var isSender: Bool
    /// The HTTP status the response carries.
    public var httpStatus: Int

    /// Creates a wire error; defaults describe a client error (400, Sender).
    public init(code: String, message: String, httpStatus: Int = 400, isSender: Bool = true) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.isSender = isSender
    }
}
