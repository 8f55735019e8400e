import ArgumentParser
import Foundation
import Logging
import WardenServer

/// The `warden` command: the server and the offline tools.
@main
struct Warden: AsyncParsableCommand {
    static let version = "0.1.0"
    static let configuration = CommandConfiguration(
        commandName: "warden",
        abstract: "AWS IAM and STS that you run yourself.",
        version: version,
        subcommands: [Serve.self, Operations.self, PolicyCommand.self, AuditCommand.self, SecurityCommand.self, AnalyzeCommand.self])
}

/// `warden serve`: runs the API server.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the IAM and STS APIs on one endpoint.")

    @Option(help: "Address to listen on (env WARDEN_HOST).")
    var host: String = ProcessInfo.processInfo.environment["WARDEN_HOST"] ?? "127.0.0.1"

    @Option(help: "Port to listen on (env WARDEN_PORT).")
    var port: Int = Int(ProcessInfo.processInfo.environment["WARDEN_PORT"] ?? "") ?? 8080

    @Option(name: .customLong("data-dir"), help: "Directory for the database and keys (env WARDEN_DATA_DIR).")
    var dataDir: String = ProcessInfo.processInfo.environment["WARDEN_DATA_DIR"] ?? "./warden-data"

    @Option(name: .customLong("trusted-proxies"),
            help: "Comma-separated addresses or CIDR blocks of proxies whose X-Forwarded-For/-Proto are believed (env WARDEN_TRUSTED_PROXIES).")
    var trustedProxies: String = ProcessInfo.processInfo.environment["WARDEN_TRUSTED_PROXIES"] ?? ""

    @Option(name: .customLong("alerts-config"), help: "JSON file of alert rules and webhooks (env WARDEN_ALERTS_CONFIG; see docs/security-status.md).")
    var alertsConfig: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error (env WARDEN_LOG_LEVEL).")
    var logLevel: String = ProcessInfo.processInfo.environment["WARDEN_LOG_LEVEL"] ?? "info"

    func run() async throws {
        LoggingSystem.bootstrap({ label, provider in WardenLogHandler(label: label, metadataProvider: provider) }, metadataProvider: nil)
        var logger = Logger(label: "warden")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let proxies = trustedProxies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let config = ServerConfiguration(host: host, port: port, dataDir: dataDir, environment: ProcessInfo.processInfo.environment,
                                         trustedProxies: proxies, alertsConfigFile: alertsConfig)
        try await WardenServer.run(config, logger: logger)
    }
}
