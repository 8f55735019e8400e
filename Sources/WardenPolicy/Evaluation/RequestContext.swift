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
/// `AWS:sourceip`) and are lowercased once when set, so lookups during evaluation do not allocate.
public struct RequestContext: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        var key: String
        var value: ContextValue
    }

    private(set) var entries: [String: Entry] = [:]

    /// An empty context.
    public init() {}

    /// A context from a dictionary of keys (any case) to values.
    public init(_ values: [String: ContextValue]) {
        entries.reserveCapacity(values.count)
        for (k, v) in values { set(k, v) }
    }

    /// The value of `key` (case-insensitive); setting nil removes it.
    public subscript(key: String) -> ContextValue? {
        get { entries[RequestContext.normalize(key)]?.value }
        set {
            if let newValue { set(key, newValue) } else { entries[RequestContext.normalize(key)] = nil }
        }
    }

    /// Sets `key` (case-insensitive; the last spelling set is kept for display).
    public mutating func set(_ key: String, _ value: ContextValue) {
        entries[RequestContext.normalize(key)] = Entry(key: key, value: value)
    }

    /// Sets `key` unless it already has a value.
    public mutating func setIfAbsent(_ key: String, _ value: ContextValue) {
        let k = RequestContext.normalize(key)
        if entries[k] == nil { entries[k] = Entry(key: key, value: value) }
    }

    /// The keys as they were set, sorted.
    public var keys: [String] { entries.values.map(\.key).sorted() }

    /// Number of keys.
    public var count: Int { entries.count }

    /// Lookup with a key that is already normalized (compiled conditions store normalized keys).
    @inline(__always) func value(normalizedKey: String) -> ContextValue? { entries[normalizedKey]?.value }

    /// Lowercases ASCII letters (and other letters via Unicode rules); returns `key` itself when already lower.
    static func normalize(_ key: String) -> String {
        var needsWork = false
        for c in key.utf8 where (c >= 0x41 && c <= 0x5A) || c >= 0x80 {
            needsWork = true
            break
        }
        return needsWork ? key.lowercased() : key
    }
}
