import Foundation
import Synchronization

/// Durable storage of rows and of the audit trail. Implementations: SQLite (embedded default); PostgreSQL later.
/// Calls are serialized by `StateStore`; `apply` must be atomic and durable when it returns.
public protocol StoreBackend: AuditLog {
    /// Every stored row, at start.
    func loadAll() throws -> [StoredRow]
    /// Writes (or deletes, for rows without a body) all rows, and appends the audit entries of the calls that
    /// made the change, in one transaction: an acknowledged change is never without its record.
    func apply(_ rows: [StoredRow], audit: [AuditEntry]) throws
    /// A value kept outside the entity tables (e.g. the store's own settings).
    func setting(_ name: String) throws -> String?
    /// Stores a setting.
    func setSetting(_ name: String, _ value: String) throws
}

/// A store that keeps nothing on disk, for tests.
public final class MemoryBackend: StoreBackend, @unchecked Sendable {
    private var rows: [String: StoredRow] = [:]
    private var settings: [String: String] = [:]
    private let audit = Mutex<[AuditEntry]>([])
    public init() {}
    public func loadAll() throws -> [StoredRow] { Array(rows.values) }
    public func apply(_ changes: [StoredRow], audit entries: [AuditEntry]) throws {
        for r in changes {
            let k = "\(r.account)\u{0}\(r.kind)\u{0}\(r.key)"
            if r.body == nil { rows[k] = nil } else { rows[k] = r }
        }
        if !entries.isEmpty { try append(entries) }
    }
    public func append(_ entries: [AuditEntry]) throws {
        audit.withLock { log in
            for var e in entries { e.sequence = Int64(log.count + 1); log.append(e) }
        }
    }
    public func lookup(_ query: AuditQuery) throws -> [AuditEntry] {
        audit.withLock { log in
            Array(log.filter(query.matches).sorted { ($0.time, $0.sequence) > ($1.time, $1.sequence) }.prefix(query.limit))
        }
    }
    public func entries(after sequence: Int64, limit: Int) throws -> [AuditEntry] {
        audit.withLock { log in Array(log.filter { $0.sequence > sequence }.prefix(limit)) }
    }
    public func forEachRecord(after sequence: Int64, limit: Int,
                              _ body: (String, String, Date, UnsafeRawBufferPointer) throws -> Void) throws -> Int64? {
        let page = try entries(after: sequence, limit: limit)
        for e in page {
            var record = e.record
            try record.withUTF8 { try body(e.account, e.region, e.time, UnsafeRawBufferPointer($0)) }
        }
        return page.last?.sequence
    }
    public func prune(before date: Date) throws -> Int {
        audit.withLock { log in let n = log.count; log.removeAll { $0.time < date }; return n - log.count }
    }
    public func setting(_ name: String) throws -> String? { settings[name] }
    public func setSetting(_ name: String, _ value: String) throws { settings[name] = value }
}
