/// Why the client could not work out its credentials, region or endpoint. The message names user input in
/// backticks and never contains a secret: only profile names, file paths, variable names and access key ids.
public struct ClientConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stable reason.
    public enum Code: String, Sendable, CaseIterable {
        /// No credentials in the options, the environment or the selected profile.
        case noCredentials = "NoCredentials"
        /// An access key id without its secret (or the reverse), as botocore's `PartialCredentialsError`.
        case partialCredentials = "PartialCredentials"
        /// The selected profile is in neither file.
        case profileNotFound = "ProfileNotFound"
        /// No endpoint: Warden has no public default endpoint.
        case noEndpoint = "NoEndpoint"
        /// The region is not a well-formed region name.
        case invalidRegion = "InvalidRegion"
        /// The endpoint is not an `http` or `https` URL with a host.
        case invalidEndpoint = "InvalidEndpoint"
        /// A config or credentials file exists but cannot be read or parsed.
        case invalidConfigFile = "InvalidConfigFile"
        /// A profile names a `[services NAME]` section that does not exist.
        case invalidServicesSection = "InvalidServicesSection"
    }

    /// The stable reason.
    public var code: Code
    /// A message for a person.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message alone: the command prefixes it with its own name.
    public var description: String { message }
}
