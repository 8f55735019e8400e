import Foundation
import WardenStore

/// The audit trail in SQLite (schema version 3): entries are stored in chunks, one row of `audit_chunks` per
/// appended batch (or per state-changing transaction), in the layout of `AuditChunkWriter`. Postings say which
/// chunks hold entries of an account with an attribute value, and between which times. A chunk carries its own
/// postings (`audit_chunks.postings`); every `foldThreshold` chunks, `fold` moves them into `audit_postings`,
/// sorted, so that the rows of one value land on one page. Storing a batch thus costs one row, and the index
/// costs a page write per distinct value per fold, instead of one index entry per record per index.
///
/// A chunk's id is its last sequence, so chunks are in sequence order by id. Sequences come from the writer's
/// counter (`Writer.lastSequence`), which starts after the highest sequence ever stored, pruned ones included
/// (`audit_state.high`), so a sequence is never reused.
extension SQLiteBackend {
    /// Time comparisons against stored chunk and posting bounds (seconds since 1970) widen by this much, so that
    /// choosing candidates never disagrees with `AuditQuery.matches`, which compares `Date`s exactly.
    static let timeSlack = 0.001
    /// How many chunks may wait with their postings in their own row before `fold` indexes them.
    static let foldThreshold = 32

    /// Stores entries as one chunk inside the caller's transaction, giving them the next sequences.
    static func insert(_ entries: [AuditEntry], _ w: inout Writer) throws {
        guard !entries.isEmpty else { return }
        try writeChunk(entries, firstSequence: w.lastSequence + 1, w.connection)
        w.lastSequence += Int64(entries.count)
        w.unindexedChunks += 1
    }

    /// Writes entries as one chunk, with its postings: numbered from `firstSequence`, or with their own (ascending)
    /// sequences when it is nil.
    static func writeChunk(_ entries: [AuditEntry], firstSequence: Int64?, _ c: SQLiteConnection) throws {
        guard let first = entries.first else { return }
        func sequence(_ i: Int) -> Int64 { firstSequence.map { $0 + Int64(i) } ?? entries[i].sequence }
        var writer = AuditChunkWriter(capacity: entries.count * (first.record.utf8.count + 256))
        var minTime = Double.infinity, maxTime = -Double.infinity
        var accounts: [String] = []
        var postings: [AuditPosting: (min: Double, max: Double)] = [:]
        // Consecutive entries mostly share their values (one caller, one operation, one resource): each slot keeps
        // the last posting it saw, and only a change of value costs a hash into `postings`.
        var recent = [Recent?](repeating: nil, count: Recent.slots)
        func note(_ slot: Int, _ account: Int, _ attribute: AuditPostingAttribute, _ value: String, _ t: Double) {
            if let r = recent[slot], r.key.account == account, r.key.attribute == attribute, r.key.value == value {
                if t < r.min { recent[slot]!.min = t } else if t > r.max { recent[slot]!.max = t }
                return
            }
            if let r = recent[slot] { r.merge(into: &postings) }
            recent[slot] = Recent(key: AuditPosting(account: account, attribute: attribute, value: value), min: t, max: t)
        }
        for i in entries.indices {
            let e = entries[i]
            writer.append(e, sequence: sequence(i))
            let t = e.time.timeIntervalSince1970
            minTime = Swift.min(minTime, t); maxTime = Swift.max(maxTime, t)
            // A batch holds few accounts: a linear search beats hashing the account into every key.
            let a = accounts.firstIndex(of: e.account) ?? { accounts.append(e.account); return accounts.count - 1 }()
            note(0, a, .all, "", t)
            note(1, a, .eventID, AuditPosting.eventIDValue(e.eventID), t)
            note(2, a, .eventName, e.eventName, t)
            note(3, a, .eventSource, e.eventSource, t)
            note(4, a, .readOnly, e.readOnly ? "true" : "false", t)
            if let u = e.username { note(5, a, .username, u, t) }
            if let k = e.accessKeyID { note(6, a, .accessKeyID, k, t) }
            for (n, r) in e.resources.enumerated() {
                note(n == 0 ? 7 : 9, a, .resourceName, r.name, t)
                note(n == 0 ? 8 : 10, a, .resourceType, r.type, t)
            }
        }
        for r in recent { r?.merge(into: &postings) }
        let chunk = try c.cached("INSERT INTO audit_chunks (id, first_seq, count, min_time, max_time, postings, entries) VALUES (?, ?, ?, ?, ?, ?, ?)")
        chunk.bind(1, sequence(entries.count - 1)); chunk.bind(2, sequence(0)); chunk.bind(3, Int64(entries.count))
        chunk.bind(4, minTime); chunk.bind(5, maxTime); chunk.bind(6, AuditPosting.encode(postings, accounts: accounts))
        try writer.bytes.withUnsafeBytes { bytes in
            chunk.bindUncopied(7, bytes)
            _ = try chunk.step()
            chunk.reset()  // the statement must not keep the pointer
        }
    }

    /// The last posting noted in one slot of `writeChunk` (one slot per attribute; resources after the first share
    /// two), with the time range seen since it was noted.
    struct Recent {
        static let slots = 11
        var key: AuditPosting
        var min: Double
        var max: Double

        func merge(into postings: inout [AuditPosting: (min: Double, max: Double)]) {
            if let r = postings[key] {
                if min < r.min || max > r.max { postings[key] = (Swift.min(r.min, min), Swift.max(r.max, max)) }
            } else {
                postings[key] = (min, max)
            }
        }
    }

    /// Moves the postings of the chunks not yet indexed into `audit_postings` inside the caller's transaction.
    /// In one transaction, the rows of one value share their page, whatever the order they are inserted in.
    static func fold(_ w: inout Writer) throws {
        let c = w.connection
        let q = try c.prepare("SELECT id, postings FROM audit_chunks WHERE id > ? ORDER BY id")
        q.bind(1, w.indexedThrough)
        let insert = try c.cached("INSERT OR IGNORE INTO audit_postings (account, attribute, value, max_time, chunk, min_time) VALUES (?, ?, ?, ?, ?, ?)")
        var through = w.indexedThrough
        while try q.step() {
            let id = q.int64(0)
            through = id
            try q.withBlob(1) { bytes in
                var failure: (any Error)?
                AuditPosting.forEach(in: bytes) { account, attribute, value, min, max in
                    guard failure == nil else { return }
                    insert.reset()
                    insert.bindText(1, UnsafeRawBufferPointer(rebasing: bytes[account])); insert.bind(2, attribute)
                    insert.bindText(3, UnsafeRawBufferPointer(rebasing: bytes[value]))
                    insert.bind(4, max); insert.bind(5, id); insert.bind(6, min)
                    do { _ = try insert.step() } catch { failure = error }
                }
                if let failure { throw failure }
            }
        }
        let state = try c.cached("UPDATE audit_state SET indexed_through = ?")
        state.bind(1, through)
        _ = try state.step()
        w.indexedThrough = through
        w.unindexedChunks = 0
    }

    public func append(_ entries: [AuditEntry]) throws {
        guard !entries.isEmpty else { return }
        try withWriterState { w in
            let saved = w
            try w.connection.exec("BEGIN IMMEDIATE")
            do {
                try Self.insert(entries, &w)
                if w.unindexedChunks >= Self.foldThreshold { try Self.fold(&w) }
                try w.connection.exec("COMMIT")
            } catch {
                try? w.connection.exec("ROLLBACK")
                w = saved
                throw error
            }
        }
    }

    /// Walks the candidate chunks of the query's posting newest first (those indexed in `audit_postings`, merged
    /// with those whose postings are still in their row), keeping the best `limit` matching entries, and stops when
    /// the worst kept entry is newer than anything the remaining chunks hold.
    public func lookup(_ query: AuditQuery) throws -> [AuditEntry] {
        guard query.limit > 0 else { return [] }
        return try withReader { c in
            try c.exec("BEGIN")  // one snapshot for the postings and the chunks
            defer { try? c.exec("COMMIT") }  // after `lookup(_:_:)`'s statements are finalized
            return try Self.lookup(query, c)
        }
    }

    /// `lookup`'s walk, inside the reader's transaction.
    static func lookup(_ query: AuditQuery, _ c: SQLiteConnection) throws -> [AuditEntry] {
        let (attribute, value) = AuditPostingAttribute.key(query.attribute)
        let postedValue = attribute == .eventID ? AuditPosting.eventIDValue(value) : value
        let filter = AuditChunkFilter(query)
        let lowest = query.start.map { $0.timeIntervalSince1970 - Self.timeSlack } ?? -Double.greatestFiniteMagnitude
        let upper = [query.end, query.before?.time].compactMap { $0 }.min().map { $0.timeIntervalSince1970 + Self.timeSlack }
        // Chunks not yet folded: their own postings.
        let stateQ = try c.prepare("SELECT indexed_through FROM audit_state")
        _ = try stateQ.step()
        let indexedThrough = stateQ.int64(0)
        let recentQ = try c.prepare("SELECT id, postings FROM audit_chunks WHERE id > ?")
        recentQ.bind(1, indexedThrough)
        let account = Array(query.account.utf8), posted = Array(postedValue.utf8)
        var recent: [(id: Int64, min: Double, max: Double)] = []
        while try recentQ.step() {
            let id = recentQ.int64(0)
            recentQ.withBlob(1) { bytes in
                func equals(_ r: Range<Int>, _ v: [UInt8]) -> Bool {
                    r.count == v.count && v.withUnsafeBytes { v in v.count == 0 || memcmp(bytes.baseAddress! + r.lowerBound, v.baseAddress!, v.count) == 0 }
                }
                AuditPosting.forEach(in: bytes) { a, attr, v, min, max in
                    if attr == attribute.rawValue, max >= lowest, equals(a, account), equals(v, posted) { recent.append((id, min, max)) }
                }
            }
        }
        recent.sort { ($0.max, $0.id) < ($1.max, $1.id) }  // popped from the end: newest first
        let postings = try c.prepare("""
            SELECT chunk, min_time, max_time FROM audit_postings
            WHERE account = ? AND attribute = ? AND value = ? AND max_time >= ?
            ORDER BY max_time DESC, chunk DESC
            """)
        postings.bind(1, query.account); postings.bind(2, attribute.rawValue); postings.bind(3, postedValue); postings.bind(4, lowest)
        var indexed: (id: Int64, min: Double, max: Double)? = try postings.step() ? (postings.int64(0), postings.double(1), postings.double(2)) : nil
        let chunk = try c.prepare("SELECT entries FROM audit_chunks WHERE id = ?")
        var best: [AuditEntry] = []  // newest first, at most limit
        var seen = Set<Int64>()
        while true {
            let candidate: (id: Int64, min: Double, max: Double)
            if let i = indexed, recent.last.map({ ($0.max, $0.id) < (i.max, i.id) }) ?? true {
                candidate = i
                indexed = try postings.step() ? (postings.int64(0), postings.double(1), postings.double(2)) : nil
            } else if let r = recent.popLast() {
                candidate = r
            } else {
                break
            }
            if best.count == query.limit, let worst = best.last, worst.time.timeIntervalSince1970 > candidate.max + Self.timeSlack { break }
            if let upper, candidate.min > upper { continue }
            guard seen.insert(candidate.id).inserted else { continue }
            chunk.reset()
            chunk.bind(1, candidate.id)
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

    public func forEachRecord(after sequence: Int64, limit: Int,
                              _ body: (String, String, Date, UnsafeRawBufferPointer) throws -> Void) throws -> Int64? {
        guard limit > 0 else { return nil }
        return try withReader { c in
            let q = try c.prepare("SELECT entries FROM audit_chunks WHERE id > ? ORDER BY id")
            q.bind(1, sequence)
            var visited = 0
            var last: Int64?
            while visited < limit, try q.step() {
                try q.withBlob(0) { bytes in
                    try AuditChunkEntry.forEach(in: bytes) { e in
                        guard e.sequence > sequence else { return true }
                        try body(e.text(e.account), e.text(e.region), e.date, e.record)
                        visited += 1
                        last = e.sequence
                        return visited < limit
                    }
                }
            }
            return last
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
                    for e in entries { writer.append(e, sequence: e.sequence) }
                    update.reset()
                    update.bind(1, entries[0].sequence); update.bind(2, Int64(entries.count))
                    update.bind(3, entries.map { $0.time.timeIntervalSince1970 }.min()!); update.bind(4, writer.bytes); update.bind(5, id)
                    _ = try update.step()
                }
                let postings = try c.prepare("DELETE FROM audit_postings WHERE max_time < ?")
                postings.bind(1, cutoff - Self.timeSlack)
                _ = try postings.step()
                if let highest = deleted.max() {
                    let high = try c.prepare("UPDATE audit_state SET high = max(high, ?)")
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
    /// keeping their sequences, and indexes them (the migration to version 3).
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
            if chunk.count == 1000 { try writeChunk(chunk, firstSequence: nil, c); chunk = [] }
        }
        try writeChunk(chunk, firstSequence: nil, c)
        var w = Writer(connection: c, lastSequence: 0, indexedThrough: 0, unindexedChunks: 0)
        try fold(&w)
    }

    /// The writer's audit state when the database is opened.
    static func auditWriterState(_ c: SQLiteConnection) throws -> (lastSequence: Int64, indexedThrough: Int64, unindexedChunks: Int) {
        let q = try c.prepare("""
            SELECT max(COALESCE((SELECT max(id) FROM audit_chunks), 0), high), indexed_through,
                   (SELECT count(*) FROM audit_chunks WHERE id > indexed_through)
            FROM audit_state
            """)
        _ = try q.step()
        return (q.int64(0), q.int64(1), Int(q.int64(2)))
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
