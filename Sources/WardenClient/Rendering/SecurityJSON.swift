import Foundation
import WardenWire

/// The documented `--json` forms of `warden security`: lowercase keys in a fixed order, every key always present
/// (`null` when the server sent no value), timestamps as ISO 8601 UTC. These are a user-facing contract,
/// separate from the wire shapes, so the wire can change without breaking scripts.
public enum SecurityJSON {
    /// `{"checks": [{"id", "title", "severity", "status", "practice", "references", "fix", "findings": [{"resource", "status", "reason"}]}]}`.
    public static func checks(_ checks: [SecurityCheck]) -> WireJSON {
        .object(["checks": .array(checks.map(check))])
    }

    /// One check.
    public static func check(_ c: SecurityCheck) -> WireJSON {
        .object([
            "id": .string(c.id), "title": .string(c.title), "severity": .string(c.severity), "status": .string(c.status),
            "practice": .string(c.practice), "references": .array(c.references.map(WireJSON.string)), "fix": .string(c.fix),
            "findings": .array(c.findings.map { f in
                .object(["resource": .string(f.resource), "status": .string(f.status), "reason": .string(f.reason)])
            }),
        ])
    }

    /// `{"alerts": [{"id", "rule", "severity", "account_id", "time", "event_id", "event_name", "text",
    /// "deliveries": [{"sink", "status", "attempts", "last_error", "delivered_at"}]}]}`.
    public static func alerts(_ alerts: [SecurityAlert]) -> WireJSON {
        .object(["alerts": .array(alerts.map { a in
            .object([
                "id": .string(a.alertID), "rule": .string(a.rule), "severity": .string(a.severity), "account_id": .string(a.accountID),
                "time": .string(timestamp(a.time)), "event_id": optional(a.eventID), "event_name": optional(a.eventName),
                "text": .string(a.text),
                "deliveries": .array(a.deliveries.map { d in
                    .object([
                        "sink": .string(d.sink), "status": .string(d.status), "attempts": .int(d.attempts),
                        "last_error": optional(d.lastError), "delivered_at": optional(d.deliveredAt.map(timestamp)),
                    ])
                }),
            ])
        })])
    }

    /// `{"remediations": [{"check_id", "action", "resource", "status", "reason", "time"}]}`.
    public static func remediations(_ remediations: [Remediation]) -> WireJSON {
        .object(["remediations": .array(remediations.map { r in
            .object([
                "check_id": .string(r.checkID), "action": .string(r.action), "resource": .string(r.resource),
                "status": .string(r.status), "reason": optional(r.reason), "time": .string(timestamp(r.time)),
            ])
        })])
    }

    /// `2026-12-01T10:00:00Z`, with milliseconds only when the instant has them.
    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        let t = date.timeIntervalSince1970
        if t != t.rounded(.down) { formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds] }
        return formatter.string(from: date)
    }

    static func optional(_ s: String?) -> WireJSON { s.map(WireJSON.string) ?? .null }
}
