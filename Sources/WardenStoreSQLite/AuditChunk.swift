import Foundation
import WardenStore

/// The stored layout of a chunk's entries: the entries one after another, each
///
///     u32 length of what follows | i64 sequence | f64 time (seconds since 1970) | u8 flags
///     | eventID | account | eventName | eventSource | region | [username] | [accessKeyID]
///     | u32 resource count | (type | name) per resource | record
///
/// where a string is a u32 byte count and its UTF-8, integers are little-endian, and the flags are 1 readOnly,
/// 2 username present, 4 accessKeyID present. Nothing is compressed: storing a record must cost as little CPU
/// as possible, and disk is cheaper.
struct AuditChunkWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    /// Appends an entry under `sequence` (its own is not looked at).
    mutating func append(_ e: AuditEntry, sequence: Int64) {
        let start = bytes.count
        put(UInt32(0))
        put(UInt64(bitPattern: sequence))
        put(e.time.timeIntervalSince1970.bitPattern)
        bytes.append((e.readOnly ? 1 : 0) | (e.username == nil ? 0 : 2) | (e.accessKeyID == nil ? 0 : 4))
        put(e.eventID); put(e.account); put(e.eventName); put(e.eventSource); put(e.region)
        if let u = e.username { put(u) }
        if let k = e.accessKeyID { put(k) }
        put(UInt32(e.resources.count))
        for r in e.resources { put(r.type); put(r.name) }
        put(e.record)
        let length = UInt32(bytes.count - start - 4).littleEndian
        withUnsafeBytes(of: length) { raw in for i in 0..<4 { bytes[start + i] = raw[i] } }
    }

    private mutating func put<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private mutating func put(_ s: String) {
        put(UInt32(s.utf8.count))
        bytes.append(contentsOf: s.utf8)
    }
}

/// One entry of a chunk, read in place: the fields LookupEvents filters on are byte ranges of the chunk,
/// and only the entries a read returns become `AuditEntry` values.
struct AuditChunkEntry {
    let chunk: UnsafeRawBufferPointer
    let sequence: Int64
    /// Seconds since 1970, as stored.
    let time: Double
    let flags: UInt8
    let eventID: Range<Int>, account: Range<Int>, eventName: Range<Int>, eventSource: Range<Int>, region: Range<Int>
    let username: Range<Int>?, accessKeyID: Range<Int>?
    /// Where the resource count starts.
    let resources: Int

    var readOnly: Bool { flags & 1 != 0 }
    var date: Date { Date(timeIntervalSince1970: time) }

    /// Reads every entry of a chunk in stored (sequence) order until `body` returns false.
    static func forEach(in chunk: UnsafeRawBufferPointer, _ body: (AuditChunkEntry) throws -> Bool) rethrows {
        var at = 0
        while at + 4 <= chunk.count {
            let length = Int(chunk.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian)
            let entry = AuditChunkEntry(chunk, at + 4)
            at += 4 + length
            guard try body(entry) else { return }
        }
    }

    private init(_ chunk: UnsafeRawBufferPointer, _ start: Int) {
        self.chunk = chunk
        var at = start
        sequence = Int64(bitPattern: chunk.loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian)
        time = Double(bitPattern: chunk.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self).littleEndian)
        flags = chunk[at + 16]
        at += 17
        func string() -> Range<Int> {
            let n = Int(chunk.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian)
            defer { at += 4 + n }
            return (at + 4)..<(at + 4 + n)
        }
        eventID = string(); account = string(); eventName = string(); eventSource = string(); region = string()
        username = flags & 2 != 0 ? string() : nil
        accessKeyID = flags & 4 != 0 ? string() : nil
        resources = at
    }

    /// Whether the bytes at `range` are `value`.
    func equals(_ range: Range<Int>, _ value: [UInt8]) -> Bool {
        range.count == value.count && value.withUnsafeBytes { v in
            v.count == 0 || memcmp(chunk.baseAddress! + range.lowerBound, v.baseAddress!, v.count) == 0
        }
    }

    /// Calls `body` with the type and name ranges of each resource, until it returns true; returns whether one did.
    func anyResource(_ body: (_ type: Range<Int>, _ name: Range<Int>) -> Bool) -> Bool {
        var at = resources
        let count = Int(chunk.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian)
        at += 4
        for _ in 0..<count {
            let t = Int(chunk.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian)
            let type = (at + 4)..<(at + 4 + t)
            at += 4 + t
            let n = Int(chunk.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian)
            let name = (at + 4)..<(at + 4 + n)
            at += 4 + n
            if body(type, name) { return true }
        }
        return false
    }

    /// The text at `r`.
    func text(_ r: Range<Int>) -> String { String(decoding: UnsafeRawBufferPointer(rebasing: chunk[r]), as: UTF8.self) }

    /// Where the record starts (after the resources).
    private var recordRange: Range<Int> {
        var end = self.resources + 4
        _ = anyResource { _, name in end = name.upperBound; return false }
        let n = Int(chunk.loadUnaligned(fromByteOffset: end, as: UInt32.self).littleEndian)
        return (end + 4)..<(end + 4 + n)
    }

    /// The record's JSON bytes, in place.
    var record: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: chunk[recordRange]) }

    /// The entry as a value.
    func decode() -> AuditEntry {
        var resources: [AuditResource] = []
        _ = anyResource { type, name in
            resources.append(AuditResource(type: text(type), name: text(name)))
            return false
        }
        return AuditEntry(
            sequence: sequence, eventID: text(eventID), account: text(account), time: date, eventName: text(eventName),
            eventSource: text(eventSource), region: text(region), username: username.map(text),
            accessKeyID: accessKeyID.map(text), readOnly: readOnly, resources: resources, record: text(recordRange))
    }
}

/// What a posting indexes: a chunk holds entries of an account with this attribute value. `all` (value "")
/// lists every chunk holding the account's entries.
enum AuditPostingAttribute: Int64 {
    case all = 0, eventID, eventName, username, accessKeyID, resourceName, resourceType, eventSource, readOnly

    /// The posting that finds candidates for a LookupEvents attribute.
    static func key(_ attribute: AuditQuery.Attribute?) -> (AuditPostingAttribute, String) {
        switch attribute {
        case nil: (.all, "")
        case .eventID(let v): (.eventID, v)
        case .eventName(let v): (.eventName, v)
        case .readOnly(let v): (.readOnly, v ? "true" : "false")
        case .username(let v): (.username, v)
        case .resourceType(let v): (.resourceType, v)
        case .resourceName(let v): (.resourceName, v)
        case .eventSource(let v): (.eventSource, v)
        case .accessKeyID(let v): (.accessKeyID, v)
        }
    }
}

/// The key of a posting while a chunk is written: the chunk holds entries of its `account`-th account with
/// `attribute` = `value` (the row keeps the time range of those entries beside it).
struct AuditPosting: Hashable {
    var account: Int
    var attribute: AuditPostingAttribute
    var value: String

    /// The value an event id is posted under: its first 11 characters, which in a time-ordered id (UUID version 7
    /// layout) are the top 40 bits of its millisecond, a window of 256 ms. So a batch posts a row or two rather
    /// than one per entry, and the chunk's entries tell the ids of one window apart.
    static func eventIDValue(_ id: String) -> String { String(id.prefix(11)) }

    /// A chunk's postings in their stored layout: per posting, account | u8 attribute | value | f64 min | f64 max
    /// (strings and numbers as in `AuditChunkWriter`).
    static func encode(_ postings: [AuditPosting: (min: Double, max: Double)], accounts: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(postings.count * 64)
        func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        func put(_ s: String) { put(UInt32(s.utf8.count)); bytes.append(contentsOf: s.utf8) }
        for (key, range) in postings {
            put(accounts[key.account]); bytes.append(UInt8(key.attribute.rawValue)); put(key.value)
            put(range.min.bitPattern); put(range.max.bitPattern)
        }
        return bytes
    }

    /// Reads stored postings in place: the account and value as byte ranges of `bytes`.
    static func forEach(in bytes: UnsafeRawBufferPointer,
                        _ body: (_ account: Range<Int>, _ attribute: Int64, _ value: Range<Int>, _ min: Double, _ max: Double) -> Void) {
        var at = 0
        func string() -> Range<Int> {
            let n = Int(bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian)
            defer { at += 4 + n }
            return (at + 4)..<(at + 4 + n)
        }
        func double() -> Double {
            defer { at += 8 }
            return Double(bitPattern: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian)
        }
        while at < bytes.count {
            let account = string()
            let attribute = Int64(bytes[at])
            at += 1
            let value = string()
            let min = double(), max = double()
            body(account, attribute, value, min, max)
        }
    }
}
