/// A failure of the audit file layer, with a stable code, the file it concerns (when there is one) and a
/// message that puts the offending input in backticks.
public struct AuditError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, stable across releases so callers and tests can match on it.
    public enum Code: String, Sendable, CaseIterable {
        /// An account id, region, trail name or bucket name that cannot be part of an S3 key or bucket.
        case invalidName
        /// A file could not be read, written, renamed or removed.
        case fileSystem
        /// The writer's state file exists but cannot be decoded.
        case corruptState
        /// The signing key is missing, unreadable or not an RSA key.
        case signingKey
        /// Another writer holds the root directory.
        case locked
        /// A gzip stream could not be produced or read.
        case compression
    }

    /// The stable code.
    public var code: Code
    /// The file the error concerns, relative to the audit root when it is inside it.
    public var path: String?
    /// A sentence for operators.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    /// The code, the message and the path, for logs.
    public var description: String {
        if let path { return "\(code.rawValue): \(message) (`\(path)`)" }
        return "\(code.rawValue): \(message)"
    }
}
