/// A JSON value with object members kept in document order (policy grammar forbids duplicate keys and
/// round trips should not reorder them). Used for policy documents and simulation cases.
public indirect enum JSONValue: Sendable, Equatable, Hashable {
    /// `null`.
    case null
    /// `true` / `false`.
    case bool(Bool)
    /// A number, kept as written so that `10.0` and `1e1` survive a round trip.
    case number(String)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object; members in document order.
    case object([Member])

    /// One `"key": value` pair of an object.
    public struct Member: Sendable, Equatable, Hashable {
        /// The key as written.
        public var key: String
        /// The value.
        public var value: JSONValue
        /// Creates a member.
        public init(_ key: String, _ value: JSONValue) { self.key = key; self.value = value }
    }

    /// Parses JSON text (RFC 8259, no trailing commas or comments).
    public static func parse(_ text: String) throws(PolicyError) -> JSONValue {
        try JSONParser.parse(text).plain
    }

    /// The value of the first member named `key` (case-sensitive), if this is an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The string payload, if this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}

/// A parsed JSON value that remembers where it started, so validation errors can point at it.
struct JSONNode: Sendable {
    indirect enum Kind: Sendable {
        case null, bool(Bool), number(String), string(String)
        case array([JSONNode])
        case object([(key: String, value: JSONNode)])
    }
    var kind: Kind
    /// UTF-8 offset of the first byte of the value.
    var offset: Int

    var plain: JSONValue {
        switch kind {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n): return .number(n)
        case .string(let s): return .string(s)
        case .array(let a): return .array(a.map(\.plain))
        case .object(let m): return .object(m.map { JSONValue.Member($0.key, $0.value.plain) })
        }
    }

    init(kind: Kind, offset: Int) { self.kind = kind; self.offset = offset }

    init(_ value: JSONValue) {
        offset = 0
        switch value {
        case .null: kind = .null
        case .bool(let b): kind = .bool(b)
        case .number(let n): kind = .number(n)
        case .string(let s): kind = .string(s)
        case .array(let a): kind = .array(a.map(JSONNode.init))
        case .object(let m): kind = .object(m.map { (key: $0.key, value: JSONNode($0.value)) })
        }
    }
}
