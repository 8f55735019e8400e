import ArgumentParser
import WardenClient

/// `warden security`: a signed client of Warden's own security API, configured like the AWS CLI (profiles,
/// AWS_* variables, --endpoint-url). All logic lives in WardenClient; this file only maps options to calls.
struct SecurityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "security",
        abstract: "Security status, best-practice checks, alerts and remediation of a Warden server's account.",
        discussion: """
            Credentials, region and endpoint are read as the AWS CLI reads them: options, then AWS_* environment \
            variables, then the profile in ~/.aws/credentials and ~/.aws/config. Exit status: 0 when no check \
            fails, 1 when one does, 2 on any error.
            """,
        subcommands: [Status.self, Checks.self, Alerts.self, Remediate.self, SecurityCatalogCommand.self])

    /// `warden security status`.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "The IAM dashboard's security status (GetSecurityStatus); exit 1 when an item fails.")

        @OptionGroup var connection: SecurityConnectionOptions

        @Flag(help: "Print {\"checks\": [...]} as JSON.")
        var json = false

        func run() async throws {
            let json = self.json
            try await connection.run { client throws(WardenClientError) in
                let report = try await client.getSecurityStatus()
                return (render(report.checks, json: json), SecurityExitStatus.forChecks(report.checks))
            }
        }
    }

    /// `warden security checks`.
    struct Checks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checks", abstract: "Run the best-practice checks (GetSecurityChecks); exit 1 when one fails.")

        @OptionGroup var connection: SecurityConnectionOptions

        @Flag(help: "Print {\"checks\": [...]} as JSON.")
        var json = false

        @Option(name: .customLong("check"), help: "Run only this check (repeatable); all when omitted.")
        var checkIDs: [String] = []

        func run() async throws {
            let json = self.json
            let ids = checkIDs.isEmpty ? nil : checkIDs
            try await connection.run { client throws(WardenClientError) in
                let report = try await client.getSecurityChecks(checkIDs: ids)
                return (render(report.checks, json: json), SecurityExitStatus.forChecks(report.checks))
            }
        }
    }

    /// `warden security alerts`.
    struct Alerts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "alerts", abstract: "The alerts raised for the account, newest first, with their deliveries (ListAlerts).")

        @OptionGroup var connection: SecurityConnectionOptions

        @Flag(help: "Print {\"alerts\": [...]} as JSON.")
        var json = false

        func run() async throws {
            let json = self.json
            try await connection.run { client throws(WardenClientError) in
                let alerts = try await client.listAllAlerts()
                let text = json ? PrettyJSON.format(SecurityJSON.alerts(alerts)) : SecurityConnectionOptions.textRenderer.alerts(alerts)
                return (text, SecurityExitStatus.success)
            }
        }
    }

    /// `warden security remediate`.
    struct Remediate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remediate", abstract: "Run the remediations enabled on the server now (RunRemediations).")

        @OptionGroup var connection: SecurityConnectionOptions

        @Flag(name: .customLong("dry-run"), help: "Report what the remediations would do without doing it.")
        var dryRun = false

        @Flag(help: "Print {\"remediations\": [...]} as JSON.")
        var json = false

        func run() async throws {
            let (json, dryRun) = (self.json, self.dryRun)
            try await connection.run { client throws(WardenClientError) in
                let done = try await client.runRemediations(dryRun: dryRun)
                let text = json ? PrettyJSON.format(SecurityJSON.remediations(done))
                    : SecurityConnectionOptions.textRenderer.remediations(done, dryRun: dryRun)
                return (text, SecurityExitStatus.success)
            }
        }
    }
}

/// The checks as JSON or as text for a person.
private func render(_ checks: [SecurityCheck], json: Bool) -> String {
    json ? PrettyJSON.format(SecurityJSON.checks(checks)) : SecurityConnectionOptions.textRenderer.checks(checks)
}
