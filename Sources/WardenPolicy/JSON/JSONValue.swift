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

/// A parsed JSON value that remembers where it starts and ends, so validation errors can point at it.
public struct JSONNode: Sendable {
    /// The value.
    public indirect enum Kind: Sendable {
        /// `null`, `true`/`false`, a number as written, a string.
        case null, bool(Bool), number(String), string(String)
        /// An array.
        case array([JSONNode])
        /// An object; members in document order.
        case object([(key: String, value: JSONNode)])
    }
    /// The value.
    public var kind: Kind
    /// UTF-8 offset of the first byte of the value.
    public var offset: Int
    /// UTF-8 offset just past the last byte of the value (0 for nodes not made by the parser).
    public var end: Int
    /// For an object, the UTF-8 offset of each member's key (its opening quote), in member order.
    public var keyOffsets: [Int]

    /// The value without positions.
    public var plain: JSONValue {
        switch kind {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n): return .number(n)
        case .string(let s): return .string(s)
        case .array(let a): return .array(a.map(\.plain))
        case .object(let m): return .object(m.map { JSONValue.Member($0.key, $0.value.plain) })
        }
    }

    init(kind: Kind, offset: Int, end: Int = 0, keyOffsets: [Int] = []) {
        self.kind = kind
        self.offset = offset
        self.end = end
        self.keyOffsets = keyOffsets
    }

    init(_ value: JSONValue) {
        offset = 0
        end = 0
        keyOffsets = []
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
