/// A request context value: one string, or a set of strings for multivalued keys (`aws:TagKeys`).
/// Booleans, numbers and dates are given in their string forms (`"true"`, `"3600"`, `"2024-01-01T00:00:00Z"`).
public enum ContextValue: Sendable, Equatable, Hashable, ExpressibleByStringLiteral, ExpressibleByArrayLiteral {
    /// A single-valued key.
    case string(String)
    /// A multivalued key (possibly empty).
    case strings([String])

    /// A single value.
    public init(stringLiteral value: String) { self = .string(value) }
    /// A multivalued key.
    public init(arrayLiteral elements: String...) { self = .strings(elements) }

    /// All values as a list.
    public var values: [String] {
        switch self {
        case .string(let s): return [s]
        case .strings(let a): return a
        }
    }
}

/// The request context: condition keys and their values. Keys are case-insensitive (`aws:SourceIP` ≡
/// `AWS:sourceip`); each is lowercased and hashed once when set, so lookups during evaluation compare two
/// integers and do not allocate. Contexts are small (tens of keys), so a flat array beats a hash table.
public struct RequestContext: Sendable, Equatable {
    struct Entry: Sendable {
        var hash: UInt64
        var key: String
        var displayKey: String
        var value: ContextValue
    }

    private(set) var entries: [Entry] = []

    /// An empty context.
    public init() {}

    /// A context from a dictionary of keys (any case) to values.
    public init(_ values: [String: ContextValue]) {
        entries.reserveCapacity(values.count)
        for (k, v) in values { set(k, v) }
    }

    /// The value of `key` (case-insensitive); setting nil removes it.
    public subscript(key: String) -> ContextValue? {
        get {
            let k = RequestContext.normalize(key)
            return value(normalizedKey: k, hash: fnv1a(k))
        }
        set {
            if let newValue {
                set(key, newValue)
            } else {
                let k = RequestContext.normalize(key)
                entries.removeAll { $0.key == k }
            }
        }
    }

    /// Sets `key` (case-insensitive; the last spelling set is kept for display).
    public mutating func set(_ key: String, _ value: ContextValue) {
        let k = RequestContext.normalize(key)
        let h = fnv1a(k)
        for i in entries.indices where entries[i].hash == h && entries[i].key == k {
            entries[i].displayKey = key
            entries[i].value = value
            return
        }
        if entries.capacity == 0 { entries.reserveCapacity(8) }  // typical contexts fit without regrowing
        entries.append(Entry(hash: h, key: k, displayKey: key, value: value))
    }

    /// Sets `key` unless it already has a value.
    public mutating func setIfAbsent(_ key: String, _ value: ContextValue) {
        if self[key] == nil { set(key, value) }
    }

    /// The keys as they were set, sorted.
    public var keys: [String] { entries.map(\.displayKey).sorted() }

    /// Number of keys.
    public var count: Int { entries.count }

    /// Lookup with a key that is already normalized and hashed (compiled conditions store both).
    @inline(__always) func value(normalizedKey: String, hash: UInt64) -> ContextValue? {
        for e in entries where e.hash == hash && e.key == normalizedKey { return e.value }
        return nil
    }

    /// Lookup with a normalized key.
    func value(normalizedKey: String) -> ContextValue? { value(normalizedKey: normalizedKey, hash: fnv1a(normalizedKey)) }

    /// Same keys with the same values, in any order.
    public static func == (a: RequestContext, b: RequestContext) -> Bool {
        guard a.entries.count == b.entries.count else { return false }
        for e in a.entries where b.value(normalizedKey: e.key, hash: e.hash) != e.value { return false }
        return true
    }

    /// Lowercases ASCII letters (and other letters via Unicode rules); returns `key` itself when already lower.
    static func normalize(_ key: String) -> String {
        let state = withUTF8(key) { b -> Int in  // 0: already lower, 1: ASCII with upper case, 2: non-ASCII
            var upper = false
            for c in b {
                if c >= 0x80 { return 2 }
                if c &- 0x41 < 26 { upper = true }
            }
            return upper ? 1 : 0
        }
        switch state {
        case 0: return key
        case 2: return key.lowercased()
        default:
            // ASCII fast path: one exact-size buffer (no buffer at all for keys of up to 15 bytes).
            return withUTF8(key) { b in
                String(unsafeUninitializedCapacity: b.count) { out in
                    for i in 0..<b.count { out[i] = Glob.lower(b[i]) }
                    return b.count
                }
            }
        }
    }
}

/// 64-bit FNV-1a over the UTF-8 bytes: cheap, allocation-free, good enough for short keys.
@inline(__always)
func fnv1a(_ s: String) -> UInt64 {
    withUTF8(s) { b in
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for c in b {
            h ^= UInt64(c)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }
}
