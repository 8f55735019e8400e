/// `warden security`'s output for a person: aligned columns, failing details indented under their line, and a
/// summary. Colour (ANSI) only when asked, which the command does when standard output is a terminal.
public struct SecurityTextRenderer: Sendable {
    /// Whether to colour statuses.
    public var color: Bool

    /// A renderer; `color` off gives plain text.
    public init(color: Bool = false) {
        self.color = color
    }

    /// One line per check (status, severity, id, title), then under each failing check its `FAIL` findings
    /// (`resource — reason`) and the fix; a summary at the end: `3 of 5 checks pass`.
    public func checks(_ checks: [SecurityCheck]) -> String {
        let statusWidth = checks.map(\.status.count).max() ?? 4
        let severityWidth = checks.map(\.severity.count).max() ?? 0
        let idWidth = checks.map(\.id.count).max() ?? 0
        let detailIndent = String(repeating: " ", count: statusWidth + 2)
        var lines: [String] = []
        for c in checks {
            let columns = [paint(padded(c.status, statusWidth), c.status), padded(c.severity, severityWidth), padded(c.id, idWidth), c.title]
            lines.append(columns.joined(separator: "  ").trimmingTrailingSpaces())
            guard c.isFailing else { continue }
            for f in c.findings where f.isFailing {
                lines.append("\(detailIndent)\(paint(f.status, f.status))  \(f.resource) — \(f.reason)")
            }
            lines.append("\(detailIndent)Fix: \(c.fix)")
        }
        let passing = checks.filter(\.isPassing).count
        lines.append("\(passing) of \(checks.count) \(checks.count == 1 ? "check passes" : "checks pass")")
        return lines.joined(separator: "\n") + "\n"
    }

    /// One line per alert (time, severity, rule, text), each delivery under it, and a count.
    public func alerts(_ alerts: [SecurityAlert]) -> String {
        guard !alerts.isEmpty else { return "No alerts.\n" }
        let severityWidth = alerts.map(\.severity.count).max() ?? 0
        let ruleWidth = alerts.map(\.rule.count).max() ?? 0
        var lines: [String] = []
        for a in alerts {
            var text = a.text
            switch (a.eventName, a.eventID) {
            case let (name?, id?): text += " (\(name), event \(id))"
            case let (name?, nil): text += " (\(name))"
            case let (nil, id?): text += " (event \(id))"
            case (nil, nil): break
            }
            lines.append([SecurityJSON.timestamp(a.time), paint(padded(a.severity, severityWidth), a.severity), padded(a.rule, ruleWidth), text]
                .joined(separator: "  "))
            for d in a.deliveries {
                var line = "    \(d.sink): \(paint(d.status, d.status)) after \(d.attempts) \(d.attempts == 1 ? "attempt" : "attempts")"
                if let error = d.lastError { line += ": \(error)" }
                lines.append(line)
            }
        }
        lines.append("\(alerts.count) \(alerts.count == 1 ? "alert" : "alerts")")
        return lines.joined(separator: "\n") + "\n"
    }

    /// One line per remediation (status, check, action, resource, reason) and a summary.
    public func remediations(_ remediations: [Remediation], dryRun: Bool) -> String {
        guard !remediations.isEmpty else {
            return dryRun ? "No remediations would apply.\n" : "No remediations applied.\n"
        }
        let statusWidth = remediations.map(\.status.count).max() ?? 0
        let checkWidth = remediations.map(\.checkID.count).max() ?? 0
        var lines: [String] = []
        for r in remediations {
            var line = [paint(padded(r.status, statusWidth), r.status), padded(r.checkID, checkWidth), r.action, r.resource].joined(separator: "  ")
            if let reason = r.reason { line += " — \(reason)" }
            lines.append(line)
        }
        let failed = remediations.filter { $0.status == "FAILED" }.count
        let done = remediations.count - failed
        var summary = dryRun ? "\(done) \(done == 1 ? "remediation" : "remediations") would apply"
            : "\(done) \(done == 1 ? "remediation" : "remediations") applied"
        if failed > 0 { summary += ", \(failed) failed" }
        lines.append(summary)
        return lines.joined(separator: "\n") + "\n"
    }

    /// `text` padded with spaces to `width` characters.
    func padded(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// The text in the colour of a status or severity (padding stays outside the escape codes' width math).
    func paint(_ text: String, _ status: String) -> String {
        guard color else { return text }
        let code: String
        switch status {
        case "PASS", "DELIVERED", "APPLIED", "LOW": code = "32"
        case "FAIL", "FAILED", "CRITICAL": code = "1;31"
        case "HIGH": code = "31"
        case "INFO", "PENDING", "WOULD_APPLY", "MEDIUM": code = "33"
        default: return text
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}

extension String {
    /// The text without trailing spaces (a last column that is empty leaves none behind).
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
