import Synchronization

/// The source of truth in memory: all accounts as values, written through to a durable backend.
///
/// Reads take a snapshot (a copy-on-write value) without waiting for writers. Writes are serialized: a write
/// mutates a copy of one account, persists exactly the changed rows in one backend transaction, and only then
/// publishes the copy, so a reader never sees a change that is not durable.
public final class StateStore: Sendable {
    /// The published state: accounts by id and the global access-key index (key id → account id).
    public struct Snapshot: Sendable {
        public var accounts: [String: AccountState] = [:]
        public var accessKeyAccounts: [String: String] = [:]
    }

    private let backend: any StoreBackend
    private let published: Mutex<Snapshot>
    private let writer = Mutex<Void>(())

    /// Loads every row from the backend.
    public init(backend: any StoreBackend) throws {
        self.backend = backend
        let accounts = try AccountState.load(rows: try backend.loadAll())
        var snap = Snapshot()
        snap.accounts = accounts
        for (id, state) in accounts { for key in state.accessKeys.rows.keys { snap.accessKeyAccounts[key] = id } }
        self.published = Mutex(snap)
    }

    /// The current state.
    public func snapshot() -> Snapshot { published.withLock { $0 } }

    /// One account's current state.
    public func account(_ id: String) -> AccountState? { published.withLock { $0.accounts[id] } }

    /// The account that owns an access key id.
    public func accountForAccessKey(_ keyID: String) -> AccountState? {
        published.withLock { s in s.accessKeyAccounts[keyID].flatMap { s.accounts[$0] } }
    }

    /// Runs one transaction on an account. The body's changes are persisted atomically, then published.
    /// If the body throws, nothing is persisted or published.
    /// `journal` turns the body's result into the audit entries of the call, stored in the same transaction.
    public func write<R>(account id: String, _ body: (inout AccountState) throws -> R,
                         journal: ((R, AccountState) -> [AuditEntry])? = nil) throws -> R {
        try writer.withLock { _ in
            guard var state = published.withLock({ $0.accounts[id] }) else {
                throw StoreError.noSuchAccount(id)
            }
            let result = try body(&state)
            let changedKeys = state.accessKeys.dirty
            let rows = try state.takeChanges()
            let entries = rows.isEmpty ? [] : journal?(result, state) ?? []
            if !rows.isEmpty { try backend.apply(rows, audit: entries) }
            state.generation &+= 1
            published.withLock { snap in
                snap.accounts[id] = state
                for key in changedKeys {
                    if state.accessKeys.rows[key] != nil { snap.accessKeyAccounts[key] = id } else { snap.accessKeyAccounts[key] = nil }
                }
            }
            return result
        }
    }

    /// Creates an account if it does not exist yet; returns whether it was created.
    @discardableResult
    public func createAccount(_ record: AccountRecord, _ body: (inout AccountState) throws -> Void = { _ in }) throws -> Bool {
        try writer.withLock { _ in
            if published.withLock({ $0.accounts[record.id] }) != nil { return false }
            var state = AccountState(account: record)
            state.accountDirty = true
            try body(&state)
            let changedKeys = state.accessKeys.dirty
            try backend.apply(try state.takeChanges(), audit: [])
            published.withLock { snap in
                snap.accounts[record.id] = state
                for key in changedKeys { snap.accessKeyAccounts[key] = record.id }
            }
            return true
        }
    }

    /// The audit trail (kept in the backend).
    public var auditLog: any AuditLog { backend }

    /// A store setting (kept in the backend).
    public func setting(_ name: String) throws -> String? { try backend.setting(name) }
    /// Stores a setting.
    public func setSetting(_ name: String, _ value: String) throws { try backend.setSetting(name, value) }
}

/// Errors of the store itself.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    case noSuchAccount(String)
    case backend(String)
    public var description: String {
        switch self {
        case .noSuchAccount(let id): "no account `\(id)`"
        case .backend(let m): "store backend: \(m)"
        }
    }
}
