import Foundation
import WardenStore

/// The audit trail in SQLite (schema version 3): entries are stored in chunks, one row of `audit_chunks` per
/// appended batch (or per state-changing transaction), in the layout of `AuditChunkWriter`. `audit_postings`
/// says which chunks hold entries of an account with an attribute value (and between which times), so that
/// storing a batch costs one row per distinct value instead of one index entry per record per index.
///
/// A chunk's id is its last sequence, so chunks are in sequence order by id. Sequences come from the writer's
/// counter (`Writer.lastSequence`), which starts after the highest sequence ever stored, pruned ones included
/// (`audit_sequence`), so a sequence is never reused.
extension SQLiteBackend {
    /// Time comparisons against stored chunk and posting bounds (seconds since 1970) widen by this much, so that
    /// choosing candidates never disagrees with `AuditQuery.matches`, which compares `Date`s exactly.
    static let timeSlack = 0.001

    /// Stores entries as one chunk inside the caller's transaction, giving them the next sequences.
    static func insert(_ entries: [AuditEntry], _ w: inout Writer) throws {
        guard !entries.isEmpty else { return }
        var numbered = entries
        for i in numbered.indices { numbered[i].sequence = w.lastSequence + 1 + Int64(i) }
        try writeChunk(numbered, w.connection)
        w.lastSequence += Int64(entries.count)
    }

    /// Writes entries that already have their sequences (ascending) as one chunk, with its postings.
    static func writeChunk(_ entries: [AuditEntry], _ c: SQLiteConnection) throws {
        guard let first = entries.first, let last = entries.last else { return }
        var writer = AuditChunkWriter(capacity: entries.count * (first.record.utf8.count + 256))
        var minTime = Double.infinity, maxTime = -Double.infinity
        var postings: [AuditPosting: (min: Double, max: Double)] = [:]
        var eventIDs: [(account: String, id: String, time: Double)] = []
        eventIDs.reserveCapacity(entries.count)
        func note(_ account: String, _ attribute: AuditPostingAttribute, _ value: String, _ t: Double) {
            let key = AuditPosting(account: account, attribute: attribute, value: value)
            if let r = postings[key] {
                if t < r.min || t > r.max { postings[key] = (Swift.min(r.min, t), Swift.max(r.max, t)) }
            } else {
                postings[key] = (t, t)
            }
        }
        for e in entries {
            writer.append(e)
            let t = e.time.timeIntervalSince1970
            minTime = Swift.min(minTime, t); maxTime = Swift.max(maxTime, t)
            // Event ids are unique: they skip the merging.
            eventIDs.append((e.account, e.eventID, t))
            note(e.account, .all, "", t)
            note(e.account, .eventName, e.eventName, t)
            note(e.account, .eventSource, e.eventSource, t)
            note(e.account, .readOnly, e.readOnly ? "true" : "false", t)
            if let u = e.username { note(e.account, .username, u, t) }
            if let k = e.accessKeyID { note(e.account, .accessKeyID, k, t) }
            for r in e.resources {
                note(e.account, .resourceName, r.name, t)
                note(e.account, .resourceType, r.type, t)
            }
        }
        let chunk = try c.cached("INSERT INTO audit_chunks (id, first_seq, count, min_time, max_time, entries) VALUES (?, ?, ?, ?, ?, ?)")
        chunk.bind(1, last.sequence); chunk.bind(2, first.sequence); chunk.bind(3, Int64(entries.count))
        chunk.bind(4, minTime); chunk.bind(5, maxTime); chunk.bind(6, writer.bytes)
        _ = try chunk.step()
        // OR IGNORE: a repeated event id at the same time in one chunk is the same posting.
        let posting = try c.cached("INSERT OR IGNORE INTO audit_postings (account, attribute, value, max_time, chunk, min_time) VALUES (?, ?, ?, ?, ?, ?)")
        func write(_ account: String, _ attribute: AuditPostingAttribute, _ value: String, _ min: Double, _ max: Double) throws {
            posting.reset()
            posting.bind(1, account); posting.bind(2, attribute.rawValue); posting.bind(3, value)
            posting.bind(4, max); posting.bind(5, last.sequence); posting.bind(6, min)
            _ = try posting.step()
        }
        for (account, id, t) in eventIDs { try write(account, .eventID, id, t, t) }
        for (key, range) in postings { try write(key.account, key.attribute, key.value, range.min, range.max) }
    }

    public func append(_ entries: [AuditEntry]) throws {
        guard !entries.isEmpty else { return }
        try withWriterState { w in
            let saved = w.lastSequence
            try w.connection.exec("BEGIN IMMEDIATE")
            do {
                try Self.insert(entries, &w)
                try w.connection.exec("COMMIT")
            } catch {
                try? w.connection.exec("ROLLBACK")
                w.lastSequence = saved
                throw error
            }
        }
    }

    /// Walks the postings of the query's attribute newest chunk first, keeping the best `limit` matching entries,
    /// and stops when the worst kept entry is newer than anything the remaining chunks hold.
    public func lookup(_ query: AuditQuery) throws -> [AuditEntry] {
        guard query.limit > 0 else { return [] }
        let (attribute, value) = AuditPostingAttribute.key(query.attribute)
        let filter = AuditChunkFilter(query)
        return try withReader { c in
            let postings = try c.prepare("""
                SELECT chunk, min_time, max_time FROM audit_postings
                WHERE account = ? AND attribute = ? AND value = ? AND max_time >= ?
                ORDER BY max_time DESC, chunk DESC
                """)
            postings.bind(1, query.account); postings.bind(2, attribute.rawValue); postings.bind(3, value)
            postings.bind(4, query.start.map { $0.timeIntervalSince1970 - Self.timeSlack } ?? -Double.greatestFiniteMagnitude)
            let upper = [query.end, query.before?.time].compactMap { $0 }.min().map { $0.timeIntervalSince1970 + Self.timeSlack }
            let chunk = try c.prepare("SELECT entries FROM audit_chunks WHERE id = ?")
            var best: [AuditEntry] = []  // newest first, at most limit
            var seen = Set<Int64>()
            while try postings.step() {
                let id = postings.int64(0), minTime = postings.double(1), maxTime = postings.double(2)
                if best.count == query.limit, let worst = best.last, worst.time.timeIntervalSince1970 > maxTime + Self.timeSlack { break }
                if let upper, minTime > upper { continue }
                guard seen.insert(id).inserted else { continue }
                chunk.reset()
                chunk.bind(1, id)
                // A posting can outlive its chunk until the next prune (see `prune`).
                guard try chunk.step() else { continue }
                chunk.withBlob(0) { bytes in
                    var hits: [(time: Date, sequence: Int64, entry: AuditChunkEntry)] = []
                    AuditChunkEntry.forEach(in: bytes) { e in
                        if filter.matches(e) { hits.append((e.date, e.sequence, e)) }
                        return true
                    }
                    hits.sort { ($0.time, $0.sequence) > ($1.time, $1.sequence) }
                    for h in hits {
                        if best.count == query.limit, let worst = best.last, !((h.time, h.sequence) > (worst.time, worst.sequence)) { break }
                        let at = best.firstIndex { (h.time, h.sequence) > ($0.time, $0.sequence) } ?? best.endIndex
                        best.insert(h.entry.decode(), at: at)
                        if best.count > query.limit { best.removeLast() }
                    }
                }
            }
            return best
        }
    }

    public func entries(after sequence: Int64, limit: Int) throws -> [AuditEntry] {
        guard limit > 0 else { return [] }
        return try withReader { c in
            let q = try c.prepare("SELECT entries FROM audit_chunks WHERE id > ? ORDER BY id")
            q.bind(1, sequence)
            var out: [AuditEntry] = []
            while out.count < limit, try q.step() {
                q.withBlob(0) { bytes in
                    AuditChunkEntry.forEach(in: bytes) { e in
                        if e.sequence > sequence { out.append(e.decode()) }
                        return out.count < limit
                    }
                }
            }
            return out
        }
    }

    /// Deletes the chunks whose entries are all older than `date`, and rewrites those holding some older entries
    /// without them. Postings go when every entry they point at is older than `date` (less the slack): one that
    /// points at a rewritten or deleted chunk with nothing left to match costs a lookup a chunk read until the
    /// next prune removes it.
    @discardableResult
    public func prune(before date: Date) throws -> Int {
        let cutoff = date.timeIntervalSince1970
        return try withWriter { c in
            try c.exec("BEGIN IMMEDIATE")
            do {
                var removed = 0
                let old = try c.prepare("SELECT id, count, min_time, max_time, entries FROM audit_chunks WHERE min_time < ?")
                old.bind(1, cutoff + Self.timeSlack)
                var deleted: [Int64] = []
                var rewritten: [(id: Int64, entries: [AuditEntry])] = []
                while try old.step() {
                    let id = old.int64(0), count = Int(old.int64(1))
                    if old.double(3) < cutoff - Self.timeSlack { deleted.append(id); removed += count; continue }
                    var kept: [AuditEntry] = []
                    old.withBlob(4) { bytes in
                        AuditChunkEntry.forEach(in: bytes) { e in
                            if !(e.date < date) { kept.append(e.decode()) }
                            return true
                        }
                    }
                    guard kept.count < count else { continue }
                    removed += count - kept.count
                    if kept.isEmpty { deleted.append(id) } else { rewritten.append((id, kept)) }
                }
                let delete = try c.prepare("DELETE FROM audit_chunks WHERE id = ?")
                for id in deleted {
                    delete.reset(); delete.bind(1, id)
                    _ = try delete.step()
                }
                let update = try c.prepare("UPDATE audit_chunks SET first_seq = ?, count = ?, min_time = ?, entries = ? WHERE id = ?")
                for (id, entries) in rewritten {
                    var writer = AuditChunkWriter(capacity: 0)
                    for e in entries { writer.append(e) }
                    update.reset()
                    update.bind(1, entries[0].sequence); update.bind(2, Int64(entries.count))
                    update.bind(3, entries.map { $0.time.timeIntervalSince1970 }.min()!); update.bind(4, writer.bytes); update.bind(5, id)
                    _ = try update.step()
                }
                let postings = try c.prepare("DELETE FROM audit_postings WHERE max_time < ?")
                postings.bind(1, cutoff - Self.timeSlack)
                _ = try postings.step()
                if let highest = deleted.max() {
                    let high = try c.prepare("UPDATE audit_sequence SET high = max(high, ?)")
                    high.bind(1, highest)
                    _ = try high.step()
                }
                try c.exec("COMMIT")
                return removed
            } catch {
                try? c.exec("ROLLBACK")
                throw error
            }
        }
    }

    /// Converts schema version 2's `audit_events` and `audit_resources` rows into chunks of up to 1,000 entries,
    /// keeping their sequences (the migration to version 3).
    static func convertVersion2AuditTables(_ c: SQLiteConnection) throws {
        let events = try c.prepare("""
            SELECT seq, event_id, account, time, event_name, event_source, region, username, access_key_id, read_only, record
            FROM audit_events ORDER BY seq
            """)
        let resources = try c.prepare("SELECT seq, type, name FROM audit_resources ORDER BY seq, rowid")
        var pending: (seq: Int64, resource: AuditResource)?
        func nextResource() throws -> (seq: Int64, resource: AuditResource)? {
            try resources.step() ? (resources.int64(0), AuditResource(type: resources.text(1), name: resources.text(2))) : nil
        }
        pending = try nextResource()
        var chunk: [AuditEntry] = []
        while try events.step() {
            var e = AuditEntry(
                sequence: events.int64(0), eventID: events.text(1), account: events.text(2),
                time: Date(timeIntervalSince1970: events.double(3)), eventName: events.text(4), eventSource: events.text(5),
                region: events.text(6), username: events.optionalText(7), accessKeyID: events.optionalText(8),
                readOnly: events.int64(9) != 0, resources: [], record: events.text(10))
            while let p = pending, p.seq <= e.sequence {
                if p.seq == e.sequence { e.resources.append(p.resource) }
                pending = try nextResource()
            }
            chunk.append(e)
            if chunk.count == 1000 { try writeChunk(chunk, c); chunk = [] }
        }
        try writeChunk(chunk, c)
    }

    /// The highest sequence ever stored: the counter's start when the database is opened.
    static func highestSequence(_ c: SQLiteConnection) throws -> Int64 {
        let q = try c.prepare("SELECT max(COALESCE((SELECT max(id) FROM audit_chunks), 0), (SELECT high FROM audit_sequence))")
        _ = try q.step()
        return q.int64(0)
    }
}

/// `AuditQuery.matches` over entries read in place: strings compare as bytes (as SQLite compared them in
/// schema version 2), times as `Date`s.
struct AuditChunkFilter {
    let query: AuditQuery
    let account: [UInt8]
    let value: [UInt8]

    init(_ query: AuditQuery) {
        self.query = query
        account = Array(query.account.utf8)
        value = Array(AuditPostingAttribute.key(query.attribute).1.utf8)
    }

    func matches(_ e: AuditChunkEntry) -> Bool {
        guard e.equals(e.account, account) else { return false }
        if query.start != nil || query.end != nil || query.before != nil {
            let time = e.date
            if let start = query.start, time < start { return false }
            if let end = query.end, time > end { return false }
            if let before = query.before, !(time < before.time || (time == before.time && e.sequence < before.sequence)) { return false }
        }
        switch query.attribute {
        case nil: return true
        case .eventID: return e.equals(e.eventID, value)
        case .eventName: return e.equals(e.eventName, value)
        case .readOnly(let v): return e.readOnly == v
        case .username: return e.username.map { e.equals($0, value) } ?? false
        case .accessKeyID: return e.accessKeyID.map { e.equals($0, value) } ?? false
        case .eventSource: return e.equals(e.eventSource, value)
        case .resourceType: return e.anyResource { type, _ in e.equals(type, value) }
        case .resourceName: return e.anyResource { _, name in e.equals(name, value) }
        }
    }
}
