import Synchronization
import WardenStore

/// The embedded default store: one SQLite database in WAL mode, `synchronous=FULL`, so that every
/// acknowledged write survives a SIGKILL or a power loss.
public final class SQLiteBackend: StoreBackend {
    private let connection: Mutex<SQLiteConnection>
    /// A second connection for audit queries, so LookupEvents and log delivery never wait for a writer (WAL).
    private let reader: Mutex<SQLiteConnection>

    static var migrations: [String] { SQLiteBackendMigrations.all }

    /// Opens (creating if needed) the database at `path` and migrates it.
    public init(path: String) throws {
        let c = try SQLiteConnection(path: path)
        try c.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")
        try Self.migrate(c)
        connection = Mutex(c)
        let r = try SQLiteConnection(path: path)
        try r.exec("PRAGMA query_only=ON;")
        reader = Mutex(r)
    }

    static func migrate(_ c: SQLiteConnection) throws {
        let q = try c.prepare("PRAGMA user_version")
        _ = try q.step()
        let current = Int(q.text(0)) ?? 0
        for (i, sql) in migrations.enumerated() where i >= current {
            try c.exec("BEGIN IMMEDIATE")
            do {
                try c.exec(sql)
                try c.exec("PRAGMA user_version = \(i + 1)")
                try c.exec("COMMIT")
            } catch {
                try? c.exec("ROLLBACK")
                throw error
            }
        }
    }

    /// The schema version of the open database.
    public func schemaVersion() throws -> Int {
        try connection.withLock { c in
            let q = try c.prepare("PRAGMA user_version")
            _ = try q.step()
            return Int(q.text(0)) ?? 0
        }
    }

    func withWriter<R>(_ body: (SQLiteConnection) throws -> R) throws -> R { try connection.withLock { try body($0) } }
    func withReader<R>(_ body: (SQLiteConnection) throws -> R) throws -> R { try reader.withLock { try body($0) } }

    public func loadAll() throws -> [StoredRow] {
        try connection.withLock { c in
            let q = try c.prepare("SELECT account, kind, key, body FROM rows")
            var rows: [StoredRow] = []
            while try q.step() {
                rows.append(StoredRow(account: q.text(0), kind: q.text(1), key: q.text(2), body: q.blob(3) ?? []))
            }
            return rows
        }
    }

    public func apply(_ rows: [StoredRow], audit: [AuditEntry]) throws {
        try connection.withLock { c in
            try c.exec("BEGIN IMMEDIATE")
            do {
                try Self.insert(audit, c)
                let upsert = try c.prepare("INSERT INTO rows (account, kind, key, body) VALUES (?, ?, ?, ?) ON CONFLICT (account, kind, key) DO UPDATE SET body = excluded.body")
                let delete = try c.prepare("DELETE FROM rows WHERE account = ? AND kind = ? AND key = ?")
                for row in rows {
                    let s = row.body == nil ? delete : upsert
                    s.reset()
                    s.bind(1, row.account); s.bind(2, row.kind); s.bind(3, row.key)
                    if let body = row.body { s.bind(4, body) }
                    _ = try s.step()
                }
                try c.exec("COMMIT")
            } catch {
                try? c.exec("ROLLBACK")
                throw error
            }
        }
    }

    public func setting(_ name: String) throws -> String? {
        try connection.withLock { c in
            let q = try c.prepare("SELECT value FROM settings WHERE name = ?")
            q.bind(1, name)
            return try q.step() ? q.text(0) : nil
        }
    }

    public func setSetting(_ name: String, _ value: String) throws {
        try connection.withLock { c in
            let q = try c.prepare("INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value")
            q.bind(1, name); q.bind(2, value)
            _ = try q.step()
        }
    }
}

/// The schema steps, by version. A new version appends; existing steps never change.
public enum SQLiteBackendMigrations {
    /// How many schema versions there are.
    public static var count: Int { all.count }
    static let all: [String] = [
        """
        CREATE TABLE rows (
            account TEXT NOT NULL,
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            body BLOB NOT NULL,
            PRIMARY KEY (account, kind, key)
        ) WITHOUT ROWID;
        CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        """,
        // 2: the audit trail. One row per call; the record is CloudTrail JSON, the other columns are what
        // LookupEvents filters on. Resources are a child table so that ResourceName/ResourceType use an index.
        """
        CREATE TABLE audit_events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL,
            account TEXT NOT NULL,
            time REAL NOT NULL,
            event_name TEXT NOT NULL,
            event_source TEXT NOT NULL,
            region TEXT NOT NULL,
            username TEXT,
            access_key_id TEXT,
            read_only INTEGER NOT NULL,
            record TEXT NOT NULL
        );
        CREATE INDEX audit_events_time ON audit_events (account, time, seq);
        CREATE INDEX audit_events_name ON audit_events (account, event_name, time);
        CREATE INDEX audit_events_user ON audit_events (account, username, time);
        CREATE INDEX audit_events_key ON audit_events (account, access_key_id, time);
        CREATE INDEX audit_events_id ON audit_events (event_id);
        CREATE TABLE audit_resources (
            seq INTEGER NOT NULL REFERENCES audit_events (seq) ON DELETE CASCADE,
            type TEXT NOT NULL,
            name TEXT NOT NULL
        );
        CREATE INDEX audit_resources_name ON audit_resources (name, seq);
        CREATE INDEX audit_resources_type ON audit_resources (type, seq);
        CREATE INDEX audit_resources_seq ON audit_resources (seq);
        """,
    ]
}
