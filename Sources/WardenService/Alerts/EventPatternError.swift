/// Why an event pattern is not acceptable, where, and in words a user can act on.
///
/// `path` points into the pattern the way a reader would name the spot: `detail.eventName[0].prefix`,
/// `$or[1].userIdentity.type`, `detail.count[0].numeric[2]`; it is empty for the pattern as a whole. Text the user
/// wrote appears in `message` between backticks.
public struct EventPatternError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable reasons, so that callers can map them to their own error codes in one place.
    public enum Code: String, Sendable, Equatable {
        /// The text is not JSON (or nests deeper than the JSON parser's own limit).
        case invalidJSON
        /// JSON of the wrong shape: a pattern that is not an object, a field that is neither an object nor an
        /// array, an empty object or array, or a match value that is itself an array.
        case invalidStructure
        /// An operator object (`{"prefix": …}`) whose name EventBridge does not know, or with more than one name.
        case unknownOperator
        /// An operator given an operand of the wrong type or form (`{"prefix": 5}`, `{"exists": "yes"}`,
        /// `{"anything-but": [1, "a"]}`).
        case invalidOperand
        /// A `numeric` expression with an unknown comparison, bounds in the wrong order, an empty range, or an
        /// operand that is not a number EventBridge can compare.
        case invalidNumeric
        /// A `cidr` operand that is not `address/bits` with a valid IPv4 or IPv6 address and mask.
        case invalidCIDR
        /// A `wildcard` operand with `**` or a backslash that escapes neither `*` nor `\`.
        case invalidWildcard
        /// A `$or` that is not an array of at least two non-empty objects, or a branch that uses an operator name
        /// as a field name.
        case invalidOr
        /// The pattern is deeper, has more values, or expands into more `$or` combinations than Warden accepts.
        case limitExceeded
    }

    /// What kind of problem this is.
    public var code: Code
    /// Where in the pattern: `detail.eventName[0].prefix`; empty for the whole pattern.
    public var path: String
    /// What is wrong, with the user's own text between backticks.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String, path: String = "") {
        self.code = code
        self.message = message
        self.path = path
    }

    /// `message (at path)`, or just the message for the whole pattern.
    public var description: String {
        path.isEmpty ? message : "\(message) (at \(path))"
    }
}
