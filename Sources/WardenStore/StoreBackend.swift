/// Durable storage of rows. Implementations: SQLite (embedded default); PostgreSQL later.
/// Calls are serialized by `StateStore`; `apply` must be atomic and durable when it returns.
public protocol StoreBackend: Sendable {
    /// Every stored row, at start.
    func loadAll() throws -> [StoredRow]
    /// Writes (or deletes, for rows without a body) all rows in one transaction.
    func apply(_ rows: [StoredRow]) throws
    /// A value kept outside the entity tables (e.g. the store's own settings).
    func setting(_ name: String) throws -> String?
    /// Stores a setting.
    func setSetting(_ name: String, _ value: String) throws
}

/// A store that keeps nothing on disk, for tests.
public final class MemoryBackend: StoreBackend, @unchecked Sendable {
    private var rows: [String: StoredRow] = [:]
    private var settings: [String: String] = [:]
    public init() {}
    public func loadAll() throws -> [StoredRow] { Array(rows.values) }
    public func apply(_ changes: [StoredRow]) throws {
        for r in changes {
            let k = "\(r.account)\u{0}\(r.kind)\u{0}\(r.key)"
            if r.body == nil { rows[k] = nil } else { rows[k] = r }
        }
    }
    public func setting(_ name: String) throws -> String? { settings[name] }
    public func setSetting(_ name: String, _ value: String) throws { settings[name] = value }
}
