import Foundation
import WardenStore

/// The audit trail in SQLite: `audit_events` and `audit_resources` (schema version 2).
extension SQLiteBackend {
    static let eventColumns = "seq, event_id, account, time, event_name, event_source, region, username, access_key_id, read_only, record"

    /// Inserts entries inside the caller's transaction.
    static func insert(_ entries: [AuditEntry], _ c: SQLiteConnection) throws {
        guard !entries.isEmpty else { return }
        let event = try c.prepare("""
            INSERT INTO audit_events (event_id, account, time, event_name, event_source, region, username, access_key_id, read_only, record)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let resource = try c.prepare("INSERT INTO audit_resources (seq, type, name) VALUES (?, ?, ?)")
        for e in entries {
            event.reset()
            event.bind(1, e.eventID); event.bind(2, e.account); event.bind(3, e.time.timeIntervalSince1970)
            event.bind(4, e.eventName); event.bind(5, e.eventSource); event.bind(6, e.region)
            event.bindOptional(7, e.username); event.bindOptional(8, e.accessKeyID); event.bind(9, Int64(e.readOnly ? 1 : 0))
            event.bind(10, e.record)
            _ = try event.step()
            let seq = c.lastInsertRowID()
            for r in e.resources {
                resource.reset()
                resource.bind(1, seq); resource.bind(2, r.type); resource.bind(3, r.name)
                _ = try resource.step()
            }
        }
    }

    public func append(_ entries: [AuditEntry]) throws {
        guard !entries.isEmpty else { return }
        try withWriter { c in
            try c.exec("BEGIN IMMEDIATE")
            do {
                try Self.insert(entries, c)
                try c.exec("COMMIT")
            } catch {
                try? c.exec("ROLLBACK")
                throw error
            }
        }
    }

    public func lookup(_ query: AuditQuery) throws -> [AuditEntry] {
        var conditions = ["e.account = ?"]
        var binds: [SQLiteValue] = [.text(query.account)]
        if let start = query.start { conditions.append("e.time >= ?"); binds.append(.real(start.timeIntervalSince1970)) }
        if let end = query.end { conditions.append("e.time <= ?"); binds.append(.real(end.timeIntervalSince1970)) }
        if let before = query.before {
            conditions.append("(e.time < ? OR (e.time = ? AND e.seq < ?))")
            binds += [.real(before.time.timeIntervalSince1970), .real(before.time.timeIntervalSince1970), .int(before.sequence)]
        }
        switch query.attribute {
        case nil: break
        case .eventID(let v): conditions.append("e.event_id = ?"); binds.append(.text(v))
        case .eventName(let v): conditions.append("e.event_name = ?"); binds.append(.text(v))
        case .readOnly(let v): conditions.append("e.read_only = ?"); binds.append(.int(v ? 1 : 0))
        case .username(let v): conditions.append("e.username = ?"); binds.append(.text(v))
        case .eventSource(let v): conditions.append("e.event_source = ?"); binds.append(.text(v))
        case .accessKeyID(let v): conditions.append("e.access_key_id = ?"); binds.append(.text(v))
        case .resourceType(let v):
            conditions.append("e.seq IN (SELECT seq FROM audit_resources WHERE type = ?)"); binds.append(.text(v))
        case .resourceName(let v):
            conditions.append("e.seq IN (SELECT seq FROM audit_resources WHERE name = ?)"); binds.append(.text(v))
        }
        let sql = "SELECT \(Self.eventColumns.split(separator: ",").map { "e." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")) FROM audit_events e WHERE \(conditions.joined(separator: " AND ")) ORDER BY e.time DESC, e.seq DESC LIMIT \(max(0, query.limit))"
        return try withReader { c in
            let q = try c.prepare(sql)
            for (i, b) in binds.enumerated() { q.bind(Int32(i + 1), b) }
            return try Self.readEntries(q, c)
        }
    }

    public func entries(after sequence: Int64, limit: Int) throws -> [AuditEntry] {
        try withReader { c in
            let q = try c.prepare("SELECT \(Self.eventColumns) FROM audit_events WHERE seq > ? ORDER BY seq LIMIT \(max(0, limit))")
            q.bind(1, sequence)
            return try Self.readEntries(q, c)
        }
    }

    @discardableResult
    public func prune(before date: Date) throws -> Int {
        try withWriter { c in
            try c.exec("BEGIN IMMEDIATE")
            do {
                let r = try c.prepare("DELETE FROM audit_resources WHERE seq IN (SELECT seq FROM audit_events WHERE time < ?)")
                r.bind(1, date.timeIntervalSince1970)
                _ = try r.step()
                let q = try c.prepare("DELETE FROM audit_events WHERE time < ?")
                q.bind(1, date.timeIntervalSince1970)
                _ = try q.step()
                let n = c.changes()
                try c.exec("COMMIT")
                return n
            } catch {
                try? c.exec("ROLLBACK")
                throw error
            }
        }
    }

    static func readEntries(_ q: SQLiteConnection.Statement, _ c: SQLiteConnection) throws -> [AuditEntry] {
        var out: [AuditEntry] = []
        while try q.step() {
            out.append(AuditEntry(
                sequence: q.int64(0), eventID: q.text(1), account: q.text(2), time: Date(timeIntervalSince1970: q.double(3)),
                eventName: q.text(4), eventSource: q.text(5), region: q.text(6), username: q.optionalText(7),
                accessKeyID: q.optionalText(8), readOnly: q.int64(9) != 0, resources: [], record: q.text(10)))
        }
        guard !out.isEmpty else { return out }
        let r = try c.prepare("SELECT seq, type, name FROM audit_resources WHERE seq IN (\(out.map { String($0.sequence) }.joined(separator: ",")))")
        var bySeq: [Int64: [AuditResource]] = [:]
        while try r.step() { bySeq[r.int64(0), default: []].append(AuditResource(type: r.text(1), name: r.text(2))) }
        for i in out.indices { out[i].resources = bySeq[out[i].sequence] ?? [] }
        return out
    }
}

/// A value bound to a statement parameter.
enum SQLiteValue {
    case text(String), int(Int64), real(Double)
}
