/// Everything a call needs to reach and sign for a Warden server: the outcome of `ClientConfigurationResolver`.
public struct ClientConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// The profile whose settings were read (`default` when none was named).
    public var profile: String
    /// The credentials to sign with.
    public var credentials: AWSCredentials
    /// The region of the signature's credential scope.
    public var region: String
    /// The server to call.
    public var endpoint: ServiceEndpoint

    /// Creates a configuration directly (tests, or callers with their own resolution).
    public init(profile: String = "default", credentials: AWSCredentials, region: String, endpoint: ServiceEndpoint) {
        self.profile = profile
        self.credentials = credentials
        self.region = region
        self.endpoint = endpoint
    }

    /// Profile, key id, region and endpoint; never the secret.
    public var description: String {
        "ClientConfiguration(profile: \(profile), credentials: \(credentials), region: \(region), endpoint: \(endpoint))"
    }
}
