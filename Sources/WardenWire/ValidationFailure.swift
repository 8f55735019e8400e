/// All constraint violations found while decoding one request, rendered the way AWS renders them.
///
/// AWS reports every violation at once: `2 validation errors detected: Value 'a b' at 'userName' failed to
/// satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+; Value …`. The server
/// answers it as `ValidationError` (HTTP 400, Sender).
public struct ValidationFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// One entry per violation, e.g. `Value null at 'userName' failed to satisfy constraint: Member must not be null`.
    public var messages: [String]

    /// Creates a failure from already-rendered violations.
    public init(messages: [String]) {
        self.messages = messages
    }

    /// The joined AWS text: `N validation error(s) detected: m1; m2`.
    public var message: String {
        let count = messages.count
        let noun = count == 1 ? "error" : "errors"
        return "\(count) validation \(noun) detected: " + messages.joined(separator: "; ")
    }

    /// The AWS error code under which the failure is reported.
    public var code: String { "ValidationError" }

    /// The joined AWS text.
    public var description: String { message }

    /// Renders one violation: `Value 'v' at 'loc' failed to satisfy constraint: Member must …`
    /// (`Value null` when `value` is nil). AWS prints the value verbatim between single quotes.
    public static func violation(value: String?, at location: String, constraint: String) -> String {
        let shown = value.map { "'\($0)'" } ?? "null"
        return "Value \(shown) at '\(location)' failed to satisfy constraint: \(constraint)"
    }

    /// The wire error for this failure: `ValidationError`, 400, Sender.
    public var wireError: WireError {
        WireError(code: code, message: message, httpStatus: 400, isSender: true)
    }

    /// The wire error for this failure in a protocol: AWS Query services answer `ValidationError`, JSON and REST
    /// services `ValidationException`; both 400.
    public func wireError(for wireProtocol: WireProtocol) -> WireError {
        WireError(code: wireProtocol == .query ? code : "ValidationException", message: message, httpStatus: 400, isSender: true)
    }
}
