/// What the command line said explicitly (`--profile`, `--region`, `--endpoint-url`). Each one, when given,
/// wins over the environment and the shared files, as in the AWS CLI.
public struct ClientOptions: Sendable, Equatable {
    /// `--profile`: the profile to read; also makes the profile's credentials win over environment credentials.
    public var profile: String?
    /// `--region`: the region of the signature's credential scope.
    public var region: String?
    /// `--endpoint-url`: the Warden server to call.
    public var endpointURL: String?

    /// Creates options; nil means not given.
    public init(profile: String? = nil, region: String? = nil, endpointURL: String? = nil) {
        self.profile = profile
        self.region = region
        self.endpointURL = endpointURL
    }
}
