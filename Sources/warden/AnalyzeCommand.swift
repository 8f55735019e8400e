import ArgumentParser
import Foundation
import WardenEscalation

/// `warden analyze`: offline analyses of an account's IAM configuration. All logic lives in WardenEscalation;
/// this file only reads input and prints results.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse an account's IAM configuration offline.",
        subcommands: [Escalation.self])

    /// `warden analyze escalation FILE`.
    struct Escalation: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find privilege-escalation paths in a GetAccountAuthorizationDetails JSON file.",
            discussion: """
                FILE is what `aws iam get-account-authorization-details` prints (`-` reads standard input). Prints each \
                principal's shortest paths to administrator permissions, with the statements that grant each step \
                and how to close it. Exit status: 0 when no principal can escalate, 1 when some can, 2 on bad input.
                """)

        @Argument(help: "The GetAccountAuthorizationDetails JSON; `-` reads standard input.")
        var file: String

        @Option(help: "The account id (default: taken from the ARNs in the input).")
        var account: String?

        @Flag(help: "Print the report as JSON ({\"paths\": [...], \"warnings\": [...]}).")
        var json = false

        func run() throws {
            let data: Data
            if file == "-" {
                data = FileHandle.standardInput.readDataToEndOfFile()
            } else if let d = FileManager.default.contents(atPath: file) {
                data = d
            } else {
                fail("cannot read `\(file)`")
            }
            let details: AccountAuthorizationDetails
            do {
                details = try JSONDecoder().decode(AccountAuthorizationDetails.self, from: data)
            } catch {
                fail("`\(file)` is not a GetAccountAuthorizationDetails response: \(error)")
            }
            let report = EscalationAnalysis.report(details, account: account)
            for w in report.warnings { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(Self.text(report.paths), terminator: "")
            }
            if !report.paths.isEmpty { throw ExitCode(1) }
        }

        private func fail(_ message: String) -> Never {
            FileHandle.standardError.write(Data("error: \(message)\n".utf8))
            Foundation.exit(2)
        }

        /// The paths for a reader: `principal → … → target`, then each step with its grants and fix.
        static func text(_ paths: [EscalationPath]) -> String {
            if paths.isEmpty { return "No principal can escalate its privileges.\n" }
            var out = ""
            let principals = Set(paths.map(\.principal)).count
            out += "\(paths.count) escalation path(s) for \(principals) principal(s).\n"
            for path in paths {
                var chain = [path.principal]
                for step in path.steps where step.to != chain.last { chain.append(step.to) }
                chain.append(path.target == EscalationPath.administrator ? "administrator" : "(an administrator)")
                out += "\n" + chain.joined(separator: " → ") + "\n"
                for (i, step) in path.steps.enumerated() {
                    out += "  \(i + 1). [\(step.method)] \(step.description)\n"
                    out += "     actions: \(step.actions.joined(separator: ", "))\n"
                    for g in step.grants {
                        let sid = g.sid.map { " (Sid \"\($0)\")" } ?? ""
                        let assumed = g.assumedConditionKeys.isEmpty ? "" : " — assuming conditions on \(g.assumedConditionKeys.joined(separator: ", ")) hold"
                        out += "     granted: \(g.action) by \(g.policy) statement \(g.statementIndex)\(sid)\(assumed)\n"
                    }
                    out += "     fix: \(step.fix)\n"
                }
            }
            return out
        }
    }
}
