import Foundation

/// Works out credentials, region and endpoint the way the AWS CLI does, from explicit options, an environment
/// dictionary and the shared files under a home directory (both passed in, so tests never read the real ones).
///
/// Precedence, first found wins:
/// - profile: `--profile`, `AWS_DEFAULT_PROFILE`, `AWS_PROFILE` (botocore reads the two variables in this
///   order), else `default`. A named profile that neither file defines is an error; a missing `default` is not.
/// - credentials: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN` (skipped when `--profile`
///   is given, as botocore drops its environment provider then), the profile in the credentials file, the
///   profile in the config file. Each source gives key, secret and token together.
/// - region: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, else `us-east-1` (Warden,
///   like IAM, is one endpoint: the region only scopes the signature).
/// - endpoint: `--endpoint-url`, `AWS_ENDPOINT_URL_WARDEN`, `AWS_ENDPOINT_URL`, the profile's `[services]`
///   section's `warden` `endpoint_url`, the profile's `endpoint_url`; all but the option are ignored when
///   `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` or the profile's `ignore_configured_endpoint_urls` is true.
///
/// For the profile's other settings the credentials file wins over the config file, key by key.
public struct ClientConfigurationResolver: Sendable {
    /// The environment variables to read.
    public var environment: [String: String]
    /// The directory `~` stands for.
    public var homeDirectory: String

    /// The region used when nothing names one.
    public static let defaultRegion = "us-east-1"
    /// The service id's part of `AWS_ENDPOINT_URL_<SERVICE>` and the key under `[services NAME]`.
    public static let serviceKey = "warden"

    /// A resolver over the given environment and home directory.
    public init(environment: [String: String], homeDirectory: String) {
        self.environment = environment
        self.homeDirectory = homeDirectory
    }

    /// A resolver over this process's environment and the user's home directory.
    public static func processDefault() -> ClientConfigurationResolver {
        let env = ProcessInfo.processInfo.environment
        return ClientConfigurationResolver(environment: env, homeDirectory: nonEmpty(env["HOME"]) ?? NSHomeDirectory())
    }

    /// Resolves everything, reading the shared files.
    public func resolve(_ options: ClientOptions) throws(ClientConfigurationError) -> ClientConfiguration {
        try resolve(options, files: SharedConfigFiles.load(environment: environment, homeDirectory: homeDirectory))
    }

    /// Resolves everything against already-loaded files.
    public func resolve(_ options: ClientOptions, files: SharedConfigFiles) throws(ClientConfigurationError) -> ClientConfiguration {
        let explicitProfile = nonEmpty(options.profile)
        let profile = explicitProfile ?? env("AWS_DEFAULT_PROFILE") ?? env("AWS_PROFILE") ?? "default"
        if profile != "default" && !files.hasProfile(profile) {
            throw ClientConfigurationError(
                .profileNotFound,
                "The config profile `\(profile)` could not be found in `\(files.configPath)` or `\(files.credentialsPath)`.")
        }
        let credentials = try resolveCredentials(profile: profile, useEnvironment: explicitProfile == nil, files: files)
        let region = nonEmpty(options.region) ?? env("AWS_REGION") ?? env("AWS_DEFAULT_REGION")
            ?? files.setting("region", profile: profile) ?? Self.defaultRegion
        guard Self.isValidRegion(region) else {
            throw ClientConfigurationError(.invalidRegion, "Invalid region `\(region)`: expected a name such as `us-east-1`.")
        }
        let endpoint = try resolveEndpoint(options, profile: profile, files: files)
        return ClientConfiguration(profile: profile, credentials: credentials, region: region, endpoint: endpoint)
    }

    /// The first source with an access key id: the environment (unless a profile was named), then the profile.
    func resolveCredentials(profile: String, useEnvironment: Bool, files: SharedConfigFiles) throws(ClientConfigurationError) -> AWSCredentials {
        if useEnvironment, let key = env("AWS_ACCESS_KEY_ID") {
            guard let secret = env("AWS_SECRET_ACCESS_KEY") else {
                throw ClientConfigurationError(.partialCredentials, "Partial credentials found in the environment: `AWS_ACCESS_KEY_ID` is set but `AWS_SECRET_ACCESS_KEY` is not.")
            }
            return AWSCredentials(accessKeyID: key, secretAccessKey: secret,
                                  sessionToken: env("AWS_SESSION_TOKEN") ?? env("AWS_SECURITY_TOKEN"), source: .environment)
        }
        let sources: [(values: [String: INIFile.Value]?, path: String, source: AWSCredentials.Source)] = [
            (files.credentialsProfiles[profile], files.credentialsPath, .credentialsFile(profile: profile)),
            (files.configProfiles[profile], files.configPath, .configFile(profile: profile)),
        ]
        for (values, path, source) in sources {
            guard let values, let key = nonEmpty(values["aws_access_key_id"]?.text) else { continue }
            guard let secret = nonEmpty(values["aws_secret_access_key"]?.text) else {
                throw ClientConfigurationError(
                    .partialCredentials,
                    "Partial credentials found in `\(path)`: profile `\(profile)` has `aws_access_key_id` but no `aws_secret_access_key`.")
            }
            let token = nonEmpty(values["aws_session_token"]?.text) ?? nonEmpty(values["aws_security_token"]?.text)
            return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token, source: source)
        }
        throw noCredentials(profile: profile, files: files)
    }

    /// The message names what to set, and says so when the profile relies on a provider this client lacks.
    func noCredentials(profile: String, files: SharedConfigFiles) -> ClientConfigurationError {
        let unsupported = ["role_arn", "source_profile", "credential_process", "sso_session", "sso_start_url", "web_identity_token_file"]
            .filter { files.setting($0, profile: profile) != nil }
        var message = "Unable to locate credentials for profile `\(profile)`. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
            + "or add aws_access_key_id and aws_secret_access_key to the profile in `\(files.credentialsPath)`."
        if !unsupported.isEmpty {
            message += " The profile uses \(unsupported.map { "`\($0)`" }.joined(separator: ", ")), which warden does not support: give it keys directly."
        }
        return ClientConfigurationError(.noCredentials, message)
    }

    /// botocore's order for configured endpoints; Warden has no default one to fall back to.
    func resolveEndpoint(_ options: ClientOptions, profile: String, files: SharedConfigFiles) throws(ClientConfigurationError) -> ServiceEndpoint {
        if let explicit = nonEmpty(options.endpointURL) { return try ServiceEndpoint(parsing: explicit) }
        let ignore = Self.isTrue(env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") ?? files.setting("ignore_configured_endpoint_urls", profile: profile))
        if !ignore {
            if let url = env("AWS_ENDPOINT_URL_WARDEN") ?? env("AWS_ENDPOINT_URL") { return try ServiceEndpoint(parsing: url) }
            if let url = try servicesEndpoint(profile: profile, files: files) { return try ServiceEndpoint(parsing: url) }
            if let url = files.setting("endpoint_url", profile: profile) { return try ServiceEndpoint(parsing: url) }
        }
        throw ClientConfigurationError(
            .noEndpoint,
            "No endpoint: Warden has no default public endpoint. Pass --endpoint-url URL, set AWS_ENDPOINT_URL "
                + "(or AWS_ENDPOINT_URL_WARDEN), or add endpoint_url to profile `\(profile)` in `\(files.configPath)`.")
    }

    /// `services = NAME` in the profile → `[services NAME]` → nested `warden = …` → `endpoint_url`.
    func servicesEndpoint(profile: String, files: SharedConfigFiles) throws(ClientConfigurationError) -> String? {
        guard let name = files.setting("services", profile: profile) else { return nil }
        guard let section = files.services[name] else {
            throw ClientConfigurationError(
                .invalidServicesSection,
                "Profile `\(profile)` uses the services section `\(name)`, which does not exist in `\(files.configPath)`.")
        }
        guard case .nested(let values)? = section[Self.serviceKey] else { return nil }
        return nonEmpty(values["endpoint_url"])
    }

    /// A variable's value, unless unset or empty.
    func env(_ name: String) -> String? { nonEmpty(environment[name]) }

    /// botocore's `ensure_boolean` for strings: only `true`, in any case.
    static func isTrue(_ value: String?) -> Bool { value?.lowercased() == "true" }

    /// botocore's region check: letters, digits and inner hyphens, at most 63 characters.
    static func isValidRegion(_ region: String) -> Bool {
        let bytes = Array(region.utf8)
        guard (1...63).contains(bytes.count), bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-") else { return false }
        return bytes.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 }
    }
}
