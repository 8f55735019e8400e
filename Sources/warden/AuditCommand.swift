import ArgumentParser
import Foundation
import WardenAudit

/// `warden audit`: offline tools for the audit trail's files.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Offline tools for the audit trail's log files and digests.",
        subcommands: [Verify.self])

    /// `warden audit verify --data-dir DIR`: what `aws cloudtrail validate-logs` checks, offline.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every digest's signature and chain and every log file's hash; exit 1 on any damage.")

        @Option(name: .customLong("data-dir"), help: "The server's data directory (env WARDEN_DATA_DIR).")
        var dataDir: String = ProcessInfo.processInfo.environment["WARDEN_DATA_DIR"] ?? "./warden-data"

        @Flag(help: "Print every problem as JSON.")
        var json = false

        func run() throws {
            let root = dataDir + "/audit"
            guard FileManager.default.fileExists(atPath: root) else {
                throw ValidationError("no audit files under \(root)")
            }
            let result = AuditVerifier.verify(root: root)
            if json {
                let problems = result.problems.map { ["kind": $0.kind.rawValue, "key": $0.key, "message": $0.message] }
                let doc: [String: Any] = ["valid": result.isValid, "validDigests": result.validDigests,
                                          "validLogFiles": result.validLogFiles, "problems": problems]
                let data = try JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys, .prettyPrinted])
                print(String(decoding: data, as: UTF8.self))
            } else {
                for p in result.problems { print("INVALID\t\(p)") }
                print("\(result.validDigests) digest files valid, \(result.validLogFiles) log files valid, \(result.problems.count) problems")
            }
            if !result.isValid { throw ExitCode(1) }
        }
    }
}
