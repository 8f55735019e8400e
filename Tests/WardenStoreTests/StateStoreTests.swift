import Foundation
import Testing
import WardenCore
import WardenStore
import WardenStoreSQLite

@Suite struct StateStoreTests {
    func tempDB() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("warden-store-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("warden.db").path
    }

    @Test func writesArePersistedAndReloaded() throws {
        let path = tempDB()
        do {
            let store = try StateStore(backend: try SQLiteBackend(path: path))
            try store.createAccount(AccountRecord(id: "123456789012", createDate: Date(timeIntervalSince1970: 1000)))
            try store.write(account: "123456789012") { s in
                s.users["alice"] = UserRecord(id: "AIDAEXAMPLE0000000001", name: "alice", path: "/team/", createDate: Date(timeIntervalSince1970: 2000))
                s.accessKeys["AKIAEXAMPLE000000001"] = AccessKeyRecord(id: "AKIAEXAMPLE000000001", userName: "alice", encryptedSecret: [1, 2, 3], status: "Active", createDate: Date())
            }
        }
        let reopened = try StateStore(backend: try SQLiteBackend(path: path))
        let account = try #require(reopened.account("123456789012"))
        #expect(account.users["alice"]?.path == "/team/")
        #expect(account.users["alice"]?.createDate == Date(timeIntervalSince1970: 2000))
        #expect(reopened.accountForAccessKey("AKIAEXAMPLE000000001")?.account.id == "123456789012")
    }

    @Test func aFailedTransactionChangesNothing() throws {
        let store = try StateStore(backend: MemoryBackend())
        try store.createAccount(AccountRecord(id: "123456789012", createDate: Date()))
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try store.write(account: "123456789012") { s in
                s.users["bob"] = UserRecord(id: "AIDA2", name: "bob", path: "/", createDate: Date())
                throw Boom()
            }
        }
        #expect(store.account("123456789012")?.users["bob"] == nil)
    }

    @Test func deletionsArePersisted() throws {
        let path = tempDB()
        let store = try StateStore(backend: try SQLiteBackend(path: path))
        try store.createAccount(AccountRecord(id: "123456789012", createDate: Date()))
        try store.write(account: "123456789012") { s in
            s.groups["g"] = GroupRecord(id: "AGPA1", name: "g", path: "/", createDate: Date())
            s.accessKeys["AKIA1"] = AccessKeyRecord(id: "AKIA1", userName: nil, encryptedSecret: [], status: "Active", createDate: Date())
        }
        try store.write(account: "123456789012") { s in s.groups["g"] = nil; s.accessKeys["AKIA1"] = nil }
        #expect(store.accountForAccessKey("AKIA1") == nil)
        let reopened = try StateStore(backend: try SQLiteBackend(path: path))
        #expect(reopened.account("123456789012")?.groups.count == 0)
        #expect(reopened.accountForAccessKey("AKIA1") == nil)
    }

    @Test func migrationsRecordTheSchemaVersion() throws {
        let backend = try SQLiteBackend(path: tempDB())
        #expect(try backend.schemaVersion() == SQLiteBackendMigrations.count)
        try backend.setSetting("k", "v1")
        try backend.setSetting("k", "v2")
        #expect(try backend.setting("k") == "v2")
    }

    @Test func readersSeeOnlyCommittedState() throws {
        let store = try StateStore(backend: MemoryBackend())
        try store.createAccount(AccountRecord(id: "123456789012", createDate: Date()))
        let before = try #require(store.account("123456789012"))
        try store.write(account: "123456789012") { s in s.users["x"] = UserRecord(id: "AIDA3", name: "x", path: "/", createDate: Date()) }
        #expect(before.users["x"] == nil)
        #expect(store.account("123456789012")?.users["x"] != nil)
    }
}
