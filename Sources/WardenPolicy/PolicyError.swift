/// A policy document that AWS would reject. `message` is AWS's `MalformedPolicyDocument` wording (or
/// `LimitExceeded` for size), `path` points into the document (`Statement[1].Condition`), and `location`
/// gives the line and column of the offending JSON when known.
public struct PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable error codes; the service maps them to AWS error codes in one place.
    public enum Code: String, Sendable, Equatable {
        /// Not JSON, or JSON of the wrong shape: `Syntax errors in policy.`
        case malformedJSON
        /// JSON that breaks the policy grammar (unknown element, bad effect, bad principal …).
        case invalidGrammar
        /// Version missing or older than 2012-10-17 where the current version is required.
        case unsupportedVersion
        /// The document is larger than the quota for its kind (`LimitExceeded`, HTTP 409).
        case sizeLimitExceeded
    }

    /// A position in the JSON text (1-based).
    public struct Location: Sendable, Equatable, CustomStringConvertible {
        /// 1-based line number.
        public var line: Int
        /// 1-based column, counted in characters.
        public var column: Int
        /// Creates a location.
        public init(line: Int, column: Int) { self.line = line; self.column = column }
        /// `line:column`.
        public var description: String { "\(line):\(column)" }
    }

    /// What kind of problem this is.
    public var code: Code
    /// AWS's wording, used verbatim as the `MalformedPolicyDocument` message.
    public var message: String
    /// Path into the document, e.g. `Statement[1].Condition`; empty for the whole document.
    public var path: String
    /// Line and column in the source text, when known.
    public var location: Location?

    /// Creates an error.
    public init(_ code: Code, _ message: String, path: String = "", location: Location? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.location = location
    }

    /// `message (at path, line:column)`.
    public var description: String {
        var s = message
        var parts: [String] = []
        if !path.isEmpty { parts.append(path) }
        if let location { parts.append("line \(location.line), column \(location.column)") }
        if !parts.isEmpty { s += " (at " + parts.joined(separator: ", ") + ")" }
        return s
    }

    static func syntax(_ path: String = "", _ location: Location? = nil) -> PolicyError {
        PolicyError(.malformedJSON, "Syntax errors in policy.", path: path, location: location)
    }
    static func legacy(_ path: String, _ location: Location?) -> PolicyError {
        PolicyError(.invalidGrammar, "The policy failed legacy parsing", path: path, location: location)
    }
}
