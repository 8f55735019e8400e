import ArgumentParser
import WardenService

/// `warden security list-checks`: the catalogue of checks, offline (no server): id, severity, title and where each
/// is also defined. docs/security-status.md embeds its output, and a test keeps the two the same.
struct SecurityCatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list-checks", abstract: "List every best-practice check with its severity and references, as a Markdown table (offline).")

    func run() throws {
        print(Self.table())
    }

    static func table() -> String {
        var lines = ["| Check | Severity | Title | Also defined as |", "|---|---|---|---|"]
        for c in SecurityChecks.all {
            let dashboard = SecurityChecks.dashboardIDs.contains(c.id) ? " (dashboard)" : ""
            lines.append("| `\(c.id)`\(dashboard) | \(c.severity.rawValue) | \(c.title.replacingOccurrences(of: "|", with: "\\|")) | \(c.references.joined(separator: ", ")) |")
        }
        // The same, from prowler's side: each prowler IAM check and the Warden checks that cover it.
        var byProwler: [String: [String]] = [:]
        for c in SecurityChecks.all {
            for r in c.references where r.hasPrefix("prowler ") {
                for name in r.dropFirst("prowler ".count).split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                    byProwler[name, default: []].append(c.id)
                }
            }
        }
        lines += ["", "| prowler check | Warden checks |", "|---|---|"]
        for name in byProwler.keys.sorted() {
            lines.append("| `\(name)` | \(byProwler[name]!.map { "`\($0)`" }.joined(separator: ", ")) |")
        }
        return lines.joined(separator: "\n")
    }
}
