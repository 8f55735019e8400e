import CSQLite

/// A thin, synchronous wrapper over one SQLite connection. Not thread-safe by itself; `SQLiteBackend`
/// serializes access.
final class SQLiteConnection: @unchecked Sendable {  // used only under SQLiteBackend's locks
    private var db: OpaquePointer?
    /// Statements prepared once and kept (`cached`).
    private var statements: [String: Statement] = [:]

    init(path: String) throws(SQLiteError) {
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(db)
            throw SQLiteError(code: rc, message: "\(message) (\(path))")
        }
        sqlite3_busy_timeout(db, 5000)
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(db)
    }

    /// Runs SQL without results (may contain several statements).
    func exec(_ sql: String) throws(SQLiteError) {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let message = err.map { String(cString: $0) } ?? "error \(rc)"
            sqlite3_free(err)
            throw SQLiteError(code: rc, message: message)
        }
    }

    /// Prepares a statement.
    func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw lastError(rc) }
        return Statement(stmt: stmt, connection: self)
    }

    /// A statement prepared on first use and kept for the connection's life, reset, with no bindings.
    func cached(_ sql: String) throws(SQLiteError) -> Statement {
        if let s = statements[sql] { s.reset(); return s }
        let s = try prepare(sql)
        statements[sql] = s
        return s
    }

    func lastError(_ rc: Int32) -> SQLiteError {
        SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(db)))
    }

    /// A prepared statement.
    final class Statement: @unchecked Sendable {
        let stmt: OpaquePointer
        unowned let connection: SQLiteConnection
        init(stmt: OpaquePointer, connection: SQLiteConnection) { self.stmt = stmt; self.connection = connection }
        deinit { sqlite3_finalize(stmt) }

        func reset() { sqlite3_reset(stmt); sqlite3_clear_bindings(stmt) }

        func bind(_ index: Int32, _ text: String) {
            sqlite3_bind_text(stmt, index, text, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        }

        /// Binds UTF-8 bytes as text (copied; empty bytes bind the empty string, not NULL).
        func bindText(_ index: Int32, _ utf8: UnsafeRawBufferPointer) {
            let empty: StaticString = ""
            let start = utf8.count > 0 ? utf8.baseAddress! : UnsafeRawPointer(empty.utf8Start)
            sqlite3_bind_text(stmt, index, start.assumingMemoryBound(to: CChar.self), Int32(utf8.count),
                              unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        }

        /// Binds a blob without copying it: the bytes must stay valid until the statement is reset.
        func bindUncopied(_ index: Int32, _ blob: UnsafeRawBufferPointer) {
            sqlite3_bind_blob(stmt, index, blob.baseAddress, Int32(blob.count), nil)  // nil: SQLITE_STATIC
        }

        func bind(_ index: Int32, _ blob: [UInt8]?) {
            guard let blob else { sqlite3_bind_null(stmt, index); return }
            blob.withUnsafeBytes { raw in
                _ = sqlite3_bind_blob(stmt, index, raw.baseAddress, Int32(raw.count), unsafeBitCast(-1, to: sqlite3_destructor_type.self))
            }
        }

        func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(stmt, index, value) }
        func bind(_ index: Int32, _ value: Double) { sqlite3_bind_double(stmt, index, value) }
        func bindOptional(_ index: Int32, _ text: String?) {
            if let text { bind(index, text) } else { sqlite3_bind_null(stmt, index) }
        }
        func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(stmt, column) }
        func double(_ column: Int32) -> Double { sqlite3_column_double(stmt, column) }
        func optionalText(_ column: Int32) -> String? {
            sqlite3_column_type(stmt, column) == SQLITE_NULL ? nil : text(column)
        }

        /// Steps once; returns true when a row is available.
        func step() throws(SQLiteError) -> Bool {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_ROW { return true }
            if rc == SQLITE_DONE { return false }
            throw connection.lastError(rc)
        }

        func text(_ column: Int32) -> String {
            guard let p = sqlite3_column_text(stmt, column) else { return "" }
            return String(cString: p)
        }

        /// Calls `body` with a blob column's bytes in place (valid until the statement steps or resets).
        func withBlob<R>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
            let p = sqlite3_column_blob(stmt, column)
            return try body(UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(stmt, column))))
        }

        func blob(_ column: Int32) -> [UInt8]? {
            let n = Int(sqlite3_column_bytes(stmt, column))
            guard let p = sqlite3_column_blob(stmt, column) else { return n == 0 && sqlite3_column_type(stmt, column) != SQLITE_NULL ? [] : nil }
            return Array(UnsafeRawBufferPointer(start: p, count: n))
        }
    }
}

/// An error from SQLite, with its result code.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    public var code: Int32
    public var message: String
    public var description: String { "SQLite error \(code): \(message)" }
}
