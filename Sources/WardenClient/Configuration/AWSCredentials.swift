import WardenCore

/// An access key, its secret and an optional session token. The secret and token are `Redacted`, so printing,
/// logging or interpolating credentials shows the access key id only.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible {
    /// Where a set of credentials was found, for messages such as `--debug` output and tests.
    public enum Source: Sendable, Equatable, CustomStringConvertible {
        /// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`.
        case environment
        /// The shared credentials file, under the named profile.
        case credentialsFile(profile: String)
        /// The shared config file, under the named profile.
        case configFile(profile: String)

        /// `environment`, `credentials file (profile `dev`)`, ...
        public var description: String {
            switch self {
            case .environment: "environment variables"
            case .credentialsFile(let profile): "shared credentials file (profile `\(profile)`)"
            case .configFile(let profile): "shared config file (profile `\(profile)`)"
            }
        }
    }

    /// The access key id (not a secret: it appears in every request's `Authorization` header).
    public var accessKeyID: String
    /// The secret access key.
    public var secretAccessKey: Redacted<String>
    /// The session token of temporary credentials.
    public var sessionToken: Redacted<String>?
    /// Where these credentials came from.
    public var source: Source

    /// Creates credentials.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, source: Source) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = Redacted(secretAccessKey)
        self.sessionToken = sessionToken.map(Redacted.init)
        self.source = source
    }

    /// The key id and source, never the secret or token.
    public var description: String {
        "AWSCredentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>\(sessionToken == nil ? "" : ", sessionToken: <redacted>"), source: \(source))"
    }
}
