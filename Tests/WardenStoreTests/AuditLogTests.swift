import Foundation
import Testing
import WardenStore
@testable import WardenStoreSQLite

/// The SQLite audit trail against the reference semantics: `AuditQuery.matches`, newest first by (time, sequence).
@Suite struct AuditLogTests {
    /// A seeded generator (SplitMix64), so that a failure can be replayed.
    struct Random: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let accounts = ["111111111111", "222222222222", "333333333333"]
    static let names = ["GetUser", "CreateUser", "DeleteRole", "ListUsers"]
    static let users = ["alice", "bob", "carol", "root"]
    static let keys = ["AKIA1", "AKIA2", "ASIA3"]
    static let types = ["AWS::IAM::User", "AWS::IAM::Role", "AWS::IAM::Policy"]
    static let resourceNames = ["arn:aws:iam::1:user/alice", "arn:aws:iam::1:role/web", "rare", "arn:aws:iam::1:policy/p"]
    static let sources = ["iam.amazonaws.com", "sts.amazonaws.com"]
    /// Times are multiples of 1/64 s, exact in every representation a `Date` goes through; ties are frequent.
    static let base = 1_800_000_000.0

    func tempDB() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("warden-audit-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("warden.db").path
    }

    static func entry(_ r: inout Random, time: Double, id: Int) -> AuditEntry {
        let resources = (0..<Int.random(in: 0...3, using: &r)).map { _ in
            AuditResource(type: types.randomElement(using: &r)!, name: resourceNames.randomElement(using: &r)!)
        }
        return AuditEntry(
            eventID: "event-\(id)", account: accounts.randomElement(using: &r)!, time: Date(timeIntervalSince1970: time),
            eventName: names.randomElement(using: &r)!, eventSource: sources.randomElement(using: &r)!, region: "us-east-1",
            username: Bool.random(using: &r) ? users.randomElement(using: &r)! : nil,
            accessKeyID: Bool.random(using: &r) ? keys.randomElement(using: &r)! : nil, readOnly: Bool.random(using: &r),
            resources: resources, record: "{\"n\":\(id),\"pad\":\"\(String(repeating: "x", count: Int.random(in: 0...300, using: &r)))\"}")
    }

    /// Appends `count` random entries: batches whose times reach back before the previous batch's, and single
    /// entries through `apply`, as the event pump and state-changing calls store them.
    static func fill(_ backend: SQLiteBackend, _ r: inout Random, count: Int, from start: Double) throws -> Double {
        var now = start, made = 0
        while made < count {
            now += Double(Int.random(in: 0...20, using: &r)) / 64
            if Int.random(in: 0..<4, using: &r) == 0 {
                try backend.apply([], audit: [entry(&r, time: now, id: Int(now * 64) * 100 + made)])
                made += 1
            } else {
                let n = min(count - made, Int.random(in: 1...60, using: &r))
                let batch = (0..<n).map { i in
                    entry(&r, time: now - Double(Int.random(in: 0...12, using: &r)) / 64, id: Int(now * 64) * 100 + made + i)
                }
                try backend.append(batch)
                made += n
            }
        }
        return now
    }

    static func expected(_ all: [AuditEntry], _ q: AuditQuery) -> [AuditEntry] {
        Array(all.filter(q.matches).sorted { ($0.time, $0.sequence) > ($1.time, $1.sequence) }.prefix(q.limit))
    }

    static func randomQuery(_ r: inout Random, _ all: [AuditEntry]) -> AuditQuery {
        let attribute: AuditQuery.Attribute? = switch Int.random(in: 0...8, using: &r) {
        case 0: nil
        case 1: .eventID(Bool.random(using: &r) ? all.randomElement(using: &r)!.eventID : "nope")
        case 2: .eventName(names.randomElement(using: &r)!)
        case 3: .readOnly(Bool.random(using: &r))
        case 4: .username(users.randomElement(using: &r)!)
        case 5: .resourceType(types.randomElement(using: &r)!)
        case 6: .resourceName(resourceNames.randomElement(using: &r)!)
        case 7: .eventSource(sources.randomElement(using: &r)!)
        default: .accessKeyID(keys.randomElement(using: &r)!)
        }
        func someTime() -> Date { all.randomElement(using: &r)!.time.addingTimeInterval(Double(Int.random(in: -2...2, using: &r)) / 64) }
        var q = AuditQuery(account: accounts.randomElement(using: &r)!, attribute: attribute, limit: [1, 2, 3, 7, 50, 10_000].randomElement(using: &r)!)
        if Bool.random(using: &r) { q.start = someTime() }
        if Bool.random(using: &r) { q.end = someTime() }
        if Bool.random(using: &r) {
            let e = all.randomElement(using: &r)!
            q.before = Bool.random(using: &r) ? (e.time, e.sequence) : (someTime(), Int64.random(in: 0...Int64(all.count), using: &r))
        }
        return q
    }

    @Test func lookupMatchesTheReferenceSemantics() throws {
        var r = Random(state: 42)
        let backend = try SQLiteBackend(path: tempDB())
        _ = try Self.fill(backend, &r, count: 1500, from: Self.base)
        let all = try backend.entries(after: 0, limit: 100_000)
        #expect(all.count == 1500)
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.sequence < $1.sequence })
        for _ in 0..<600 {
            let q = Self.randomQuery(&r, all)
            let got = try backend.lookup(q)
            #expect(got == Self.expected(all, q), "\(q)")
        }
        // Paging with the cursor LookupEvents hands out walks every match once, in order.
        for account in Self.accounts {
            for attribute in [nil, .username("alice"), .resourceName("rare"), .readOnly(false)] as [AuditQuery.Attribute?] {
                var q = AuditQuery(account: account, attribute: attribute, limit: 7)
                var pages: [AuditEntry] = []
                while true {
                    let page = try backend.lookup(q)
                    pages += page
                    guard page.count == q.limit, let last = page.last else { break }
                    q.before = (last.time, last.sequence)
                }
                q.before = nil; q.limit = 100_000
                #expect(pages == Self.expected(all, q))
            }
        }
    }

    @Test func entriesAfterPagesInSequenceOrder() throws {
        var r = Random(state: 7)
        let backend = try SQLiteBackend(path: tempDB())
        _ = try Self.fill(backend, &r, count: 400, from: Self.base)
        let all = try backend.entries(after: 0, limit: 100_000)
        var cursor: Int64 = 0, paged: [AuditEntry] = []
        while true {
            let page = try backend.entries(after: cursor, limit: 13)
            guard let last = page.last else { break }
            paged += page
            cursor = last.sequence
        }
        #expect(paged == all)
        #expect(try backend.entries(after: all[100].sequence, limit: 5) == Array(all[101..<106]))
        #expect(try backend.entries(after: 0, limit: 0).isEmpty)
    }

    @Test func pruneRemovesOldEntriesAndSequencesAreNeverReused() throws {
        var r = Random(state: 99)
        let path = tempDB()
        var all: [AuditEntry]
        var end: Double
        do {
            let backend = try SQLiteBackend(path: path)
            end = try Self.fill(backend, &r, count: 800, from: Self.base)
            all = try backend.entries(after: 0, limit: 100_000)
            let cutoff = all[400].time
            let removed = try backend.prune(before: cutoff)
            #expect(removed == all.filter { $0.time < cutoff }.count)
            all.removeAll { $0.time < cutoff }
            #expect(try backend.entries(after: 0, limit: 100_000) == all)
            for _ in 0..<200 {
                let q = Self.randomQuery(&r, all)
                #expect(try backend.lookup(q) == Self.expected(all, q), "\(q)")
            }
            #expect(try backend.prune(before: cutoff) == 0)
        }
        // Reopened, the counter continues after the highest sequence, even once everything is pruned.
        let highest = all.map(\.sequence).max()!
        do {
            let backend = try SQLiteBackend(path: path)
            end = try Self.fill(backend, &r, count: 50, from: end)
            let more = try backend.entries(after: highest, limit: 100_000)
            #expect(more.count == 50 && more.allSatisfy { $0.sequence > highest })
            all += more
            #expect(try backend.prune(before: Date(timeIntervalSince1970: end + 10)) == all.count)
            #expect(try backend.entries(after: 0, limit: 10).isEmpty)
            #expect(try backend.lookup(AuditQuery(account: Self.accounts[0], limit: 10)).isEmpty)
        }
        let backend = try SQLiteBackend(path: path)
        try backend.append([Self.entry(&r, time: end + 20, id: 1)])
        #expect(try backend.entries(after: 0, limit: 10).map(\.sequence) == [all.map(\.sequence).max()! + 1])
    }

    @Test func aFailedTransactionUsesNoSequence() throws {
        var r = Random(state: 5)
        let path = tempDB()
        let backend = try SQLiteBackend(path: path)
        try backend.append([Self.entry(&r, time: Self.base, id: 1)])
        // Without the rows table, apply fails after storing the audit chunk, and rolls it back.
        try SQLiteConnection(path: path).exec("DROP TABLE rows")
        let row = StoredRow(account: "a", kind: "k", key: "x", body: [1])
        #expect(throws: SQLiteError.self) { try backend.apply([row], audit: [Self.entry(&r, time: Self.base + 1, id: 2)]) }
        try backend.append([Self.entry(&r, time: Self.base + 2, id: 3)])
        #expect(try backend.entries(after: 0, limit: 10).map(\.sequence) == [1, 2])
    }

    @Test func version2DatabasesAreConverted() throws {
        let path = tempDB()
        var r = Random(state: 3)
        var v2: [AuditEntry] = []
        do {
            let c = try SQLiteConnection(path: path)
            try SQLiteBackend.migrate(c, to: 2)
            let event = try c.prepare("""
                INSERT INTO audit_events (event_id, account, time, event_name, event_source, region, username, access_key_id, read_only, record)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let resource = try c.prepare("INSERT INTO audit_resources (seq, type, name) VALUES (?, ?, ?)")
            for i in 0..<2500 {
                var e = Self.entry(&r, time: Self.base + Double(i / 3) / 64, id: i)
                event.reset()
                event.bind(1, e.eventID); event.bind(2, e.account); event.bind(3, e.time.timeIntervalSince1970)
                event.bind(4, e.eventName); event.bind(5, e.eventSource); event.bind(6, e.region)
                event.bindOptional(7, e.username); event.bindOptional(8, e.accessKeyID); event.bind(9, Int64(e.readOnly ? 1 : 0))
                event.bind(10, e.record)
                _ = try event.step()
                e.sequence = Int64(i + 1)
                for res in e.resources {
                    resource.reset()
                    resource.bind(1, e.sequence); resource.bind(2, res.type); resource.bind(3, res.name)
                    _ = try resource.step()
                }
                v2.append(e)
            }
            // The newest rows were pruned: their sequences must not come back.
            try c.exec("DELETE FROM audit_resources WHERE seq > 2400; DELETE FROM audit_events WHERE seq > 2400")
            v2.removeAll { $0.sequence > 2400 }
        }
        let backend = try SQLiteBackend(path: path)
        #expect(try backend.schemaVersion() == 3)
        #expect(try backend.entries(after: 0, limit: 100_000) == v2)
        for _ in 0..<200 {
            let q = Self.randomQuery(&r, v2)
            #expect(try backend.lookup(q) == Self.expected(v2, q), "\(q)")
        }
        try backend.append([Self.entry(&r, time: Self.base + 1000, id: 9999)])
        #expect(try backend.entries(after: 2400, limit: 10).map(\.sequence) == [2501])
    }
}
