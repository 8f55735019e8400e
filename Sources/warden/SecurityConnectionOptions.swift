import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import WardenClient

/// The options every `warden security` subcommand takes, named as the AWS CLI names them, and the one place
/// that turns a call's outcome into output and an exit status.
struct SecurityConnectionOptions: ParsableArguments {
    @Option(name: .customLong("endpoint-url"),
            help: "The Warden server (else AWS_ENDPOINT_URL_WARDEN, AWS_ENDPOINT_URL, or the profile's endpoint_url).")
    var endpointURL: String?

    @Option(help: "The profile of the AWS config and credentials files to use (else AWS_PROFILE, else default).")
    var profile: String?

    @Option(help: "The region to sign for (else AWS_REGION, AWS_DEFAULT_REGION, the profile's region, or us-east-1).")
    var region: String?

    /// The options as the resolver takes them.
    var clientOptions: ClientOptions { ClientOptions(profile: profile, region: region, endpointURL: endpointURL) }

    /// Resolves the configuration, runs `body` with a client, prints what it returns and exits with its status;
    /// any error goes to standard error as `warden security: Code: message` with exit status 2.
    func run(_ body: (WardenSecurityClient) async throws(WardenClientError) -> (output: String, status: Int32)) async throws {
        let result: (output: String, status: Int32)
        do {
            let configuration = try ClientConfigurationResolver.processDefault().resolve(clientOptions)
            result = try await WardenSecurityClient.withClient(configuration) { client in try await body(client) }
        } catch {
            FileHandle.standardError.write(Data("warden security: \(error)\n".utf8))
            throw ExitCode(SecurityExitStatus.error)
        }
        print(result.output, terminator: "")
        if result.status != SecurityExitStatus.success { throw ExitCode(result.status) }
    }

    /// Plain text unless standard output is a terminal and NO_COLOR is not set.
    static var textRenderer: SecurityTextRenderer {
        let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        return SecurityTextRenderer(color: !noColor && isatty(STDOUT_FILENO) != 0)
    }
}
