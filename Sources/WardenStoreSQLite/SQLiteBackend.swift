import CSQLite
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import WardenStore

/// The embedded default store: one SQLite database in WAL mode, `synchronous=FULL`, so that every
/// acknowledged write survives a SIGKILL or a power loss.
public final class SQLiteBackend: StoreBackend {
    /// The writer connection and what only a writer may change.
    struct Writer {
        let connection: SQLiteConnection
        /// The audit trail's last assigned sequence.
        var lastSequence: Int64
        /// The last chunk whose postings are in `audit_postings`.
        var indexedThrough: Int64
        /// How many chunks keep their postings only in their row.
        var unindexedChunks: Int
    }

    private let connection: Mutex<Writer>
    /// A second connection for audit queries, so LookupEvents and log delivery never wait for a writer (WAL).
    private let reader: Mutex<SQLiteConnection>

    /// Opens (creating if needed) the database at `path` and migrates it.
    public init(path: String) throws {
        try Self.makePrivate(path)
        let c = try SQLiteConnection(path: path)
        try c.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")
        try Self.migrate(c)
        let audit = try Self.auditWriterState(c)
        connection = Mutex(Writer(connection: c, lastSequence: audit.lastSequence, indexedThrough: audit.indexedThrough,
                                  unindexedChunks: audit.unindexedChunks))
        let r = try SQLiteConnection(path: path)
        try r.exec("PRAGMA query_only=ON;")
        reader = Mutex(r)
    }

    /// Creates the database file with mode 0600 whatever the umask, and takes group and other access away from the
    /// files a database left behind. SQLite gives its `-wal` and `-shm` files the database file's mode, so they are
    /// private too: the database holds sealed secrets, password hashes and the audit trail.
    static func makePrivate(_ path: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SQLiteError(code: SQLITE_CANTOPEN, message: "cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard fchmod(fd, 0o600) == 0 else { throw SQLiteError(code: SQLITE_PERM, message: "cannot make \(path) private: \(String(cString: strerror(errno)))") }
        for suffix in ["-wal", "-shm", "-journal"] { _ = chmod(path + suffix, 0o600) }
    }

    /// Brings the schema to `version` (the newest by default), one transaction per step.
    static func migrate(_ c: SQLiteConnection, to version: Int = SQLiteBackendMigrations.count) throws {
        let current = try userVersion(c)
        for (i, step) in SQLiteBackendMigrations.all.enumerated() where i >= current && i < version {
            try c.exec("BEGIN IMMEDIATE")
            do {
                switch step {
                case .sql(let sql): try c.exec(sql)
                case .code(let body): try body(c)
                }
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
        try withWriter(Self.userVersion)
    }

    /// `PRAGMA user_version`, read by a statement that is done when this returns (a pending one would keep
    /// a migration from dropping a table).
    static func userVersion(_ c: SQLiteConnection) throws -> Int {
        let q = try c.prepare("PRAGMA user_version")
        _ = try q.step()
        return Int(q.text(0)) ?? 0
    }

    func withWriter<R>(_ body: (SQLiteConnection) throws -> R) throws -> R { try connection.withLock { try body($0.connection) } }
    func withWriterState<R>(_ body: (inout Writer) throws -> R) throws -> R { try connection.withLock { try body(&$0) } }
    func withReader<R>(_ body: (SQLiteConnection) throws -> R) throws -> R { try reader.withLock { try body($0) } }

    public func loadAll() throws -> [StoredRow] {
        try withWriter { c in
            let q = try c.prepare("SELECT account, kind, key, body FROM rows")
            var rows: [StoredRow] = []
            while try q.step() {
                rows.append(StoredRow(account: q.text(0), kind: q.text(1), key: q.text(2), body: q.blob(3) ?? []))
            }
            return rows
        }
    }

    public func apply(_ rows: [StoredRow], audit: [AuditEntry]) throws {
        try withWriterState { w in
            let c = w.connection, saved = w
            try c.exec("BEGIN IMMEDIATE")
            do {
                try Self.insert(audit, &w)
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
                w = saved
                throw error
            }
        }
    }

    public func setting(_ name: String) throws -> String? {
        try withWriter { c in
            let q = try c.prepare("SELECT value FROM settings WHERE name = ?")
            q.bind(1, name)
            return try q.step() ? q.text(0) : nil
        }
    }

    public func setSetting(_ name: String, _ value: String) throws {
        try withWriter { c in
            let q = try c.prepare("INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value")
            q.bind(1, name); q.bind(2, value)
            _ = try q.step()
        }
    }
}

/// The schema steps, by version. A new version appends; existing steps never change.
public enum SQLiteBackendMigrations {
    /// A schema step: SQL, or code for what SQL cannot do.
    enum Step: Sendable {
        case sql(String)
        case code(@Sendable (SQLiteConnection) throws -> Void)
    }

    /// How many schema versions there are.
    public static var count: Int { all.count }
    static let all: [Step] = [
        .sql("""
        CREATE TABLE rows (
            account TEXT NOT NULL,
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            body BLOB NOT NULL,
            PRIMARY KEY (account, kind, key)
        ) WITHOUT ROWID;
        CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        """),
        // 2: the audit trail. One row per call; the record is CloudTrail JSON, the other columns are what
        // LookupEvents filters on. Resources are a child table so that ResourceName/ResourceType use an index.
        .sql("""
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
        """),
        // 3: the audit trail in chunks (see SQLiteBackend+Audit.swift): a stored record cost ~30 µs of CPU in
        // version 2's five indexes and resource rows; a chunk costs one row per batch, its postings a few
        // rows per batch.
        .code { c in
            try c.exec("""
                CREATE TABLE audit_chunks (
                    id INTEGER PRIMARY KEY,          -- the last sequence of its entries
                    first_seq INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    min_time REAL NOT NULL,          -- seconds since 1970
                    max_time REAL NOT NULL,
                    postings BLOB NOT NULL,          -- its postings, until folded into audit_postings
                    entries BLOB NOT NULL            -- AuditChunkWriter's layout
                );
                CREATE TABLE audit_postings (
                    account TEXT NOT NULL,
                    attribute INTEGER NOT NULL,      -- AuditPostingAttribute
                    value TEXT NOT NULL,
                    max_time REAL NOT NULL,          -- of the chunk's entries with this value
                    chunk INTEGER NOT NULL,
                    min_time REAL NOT NULL,
                    PRIMARY KEY (account, attribute, value, max_time, chunk)
                ) WITHOUT ROWID;
                -- high: the highest sequence no longer stored (pruned, or counted by version 2's AUTOINCREMENT);
                -- indexed_through: the last chunk whose postings are in audit_postings.
                CREATE TABLE audit_state (high INTEGER NOT NULL, indexed_through INTEGER NOT NULL);
                INSERT INTO audit_state (high, indexed_through)
                    SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'), 0), 0;
                """)
            try SQLiteBackend.convertVersion2AuditTables(c)
            try c.exec("DROP TABLE audit_resources; DROP TABLE audit_events;")
        },
    ]
}
