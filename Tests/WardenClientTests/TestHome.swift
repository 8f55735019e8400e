import Foundation
@testable import WardenClient

/// A temporary home directory with `.aws/config` and `.aws/credentials` written by a test, removed on `deinit`,
/// and a resolver over it and a fake environment, so no test reads the real files or variables.
final class TestHome {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "warden-client-tests-" + UUID().uuidString.lowercased()
        try? FileManager.default.createDirectory(atPath: path + "/.aws", withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `~/.aws/config`.
    @discardableResult
    func config(_ text: String) -> TestHome { write(".aws/config", text) }

    /// Writes `~/.aws/credentials`.
    @discardableResult
    func credentials(_ text: String) -> TestHome { write(".aws/credentials", text) }

    /// Writes a file under the home directory.
    @discardableResult
    func write(_ relative: String, _ text: String) -> TestHome {
        let full = path + "/" + relative
        try? FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: full, contents: Data(text.utf8))
        return self
    }

    func resolver(_ environment: [String: String] = [:]) -> ClientConfigurationResolver {
        ClientConfigurationResolver(environment: environment, homeDirectory: path)
    }

    func resolve(_ options: ClientOptions = ClientOptions(), _ environment: [String: String] = [:]) throws(ClientConfigurationError) -> ClientConfiguration {
        try resolver(environment).resolve(options)
    }

    /// The error resolution fails with, or nil when it succeeds.
    func failure(_ options: ClientOptions = ClientOptions(), _ environment: [String: String] = [:]) -> ClientConfigurationError? {
        do {
            _ = try resolve(options, environment)
            return nil
        } catch {
            return error
        }
    }
}

/// An environment with credentials and an endpoint, the minimum for resolution to succeed.
let envKeys: [String: String] = [
    "AWS_ACCESS_KEY_ID": "AKIAENVIRONMENT00001", "AWS_SECRET_ACCESS_KEY": "env-secret-do-not-print",
    "AWS_ENDPOINT_URL": "http://127.0.0.1:9000",
]
