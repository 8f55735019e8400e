import Foundation

/// A JSON value as the JSON protocols carry it: request and response bodies of JSON 1.1 and REST-JSON services.
///
/// Objects keep their members in document order (responses are written in model order, and a parsed body
/// prints back as it came). Numbers are `int` when written without fraction or exponent and within `Int`'s
/// range, `double` otherwise, so that 64-bit integers (`long` shapes) survive exactly.
public enum WireJSON: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` / `false`.
    case bool(Bool)
    /// An integral number written without fraction or exponent.
    case int(Int)
    /// Any other number. Non-finite values print as `null`.
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([WireJSON])
    /// An object; members in document order.
    case object([Member])

    /// One `"key": value` pair of an object.
    public struct Member: Sendable, Equatable {
        /// The key.
        public var key: String
        /// The value.
        public var value: WireJSON

        /// Creates a member.
        public init(_ key: String, _ value: WireJSON) {
            self.key = key
            self.value = value
        }
    }

    /// The largest nesting of arrays and objects the parser accepts by default.
    public static let defaultMaxDepth = 64

    /// The value of the member named `key` (case-sensitive), if this is an object that has it.
    public subscript(key: String) -> WireJSON? {
        guard case .object(let members) = self else { return nil }
        for m in members where m.key == key { return m.value }
        return nil
    }

    /// The element at `index`, if this is an array that long.
    public subscript(index: Int) -> WireJSON? {
        guard case .array(let items) = self, items.indices.contains(index) else { return nil }
        return items[index]
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The string payload, if this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The integer payload, if this is an `int`, or a `double` that is integral and within `Int`'s range.
    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d): return WireJSON.exactInt(d)
        default: return nil
        }
    }

    /// The number as a `Double`, if this is a number.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// The boolean payload, if this is a boolean.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The members, if this is an object.
    public var objectValue: [Member]? {
        if case .object(let m) = self { return m }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [WireJSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// An object from members in the order given.
    public static func object(_ pairs: KeyValuePairs<String, WireJSON>) -> WireJSON {
        .object(pairs.map { Member($0.key, $0.value) })
    }

    /// A timestamp as JSON 1.1 and REST-JSON write it by default: epoch seconds, an `int` when whole, otherwise a
    /// `double` rounded to milliseconds (botocore reads either as a float).
    public static func epochSeconds(_ date: Date) -> WireJSON {
        let t = date.timeIntervalSince1970
        if let whole = exactInt(t) { return .int(whole) }
        let ms = (t * 1000).rounded() / 1000
        if let whole = exactInt(ms) { return .int(whole) }
        return .double(ms)
    }

    /// A map as a JSON object with keys sorted, so that output is stable.
    public static func map<V>(_ entries: [String: V], _ value: (V) -> WireJSON) -> WireJSON {
        .object(entries.keys.sorted().map { Member($0, value(entries[$0]!)) })
    }

    /// `d` as an `Int` when it is integral and exactly representable.
    static func exactInt(_ d: Double) -> Int? {
        // 2^63 is exactly representable as a Double; anything at or above it overflows Int.
        guard d.isFinite, d == d.rounded(.towardZero), d >= -9_223_372_036_854_775_808.0, d < 9_223_372_036_854_775_808.0 else {
            return nil
        }
        return Int(d)
    }
}

extension WireJSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    /// A string value.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An `int` value.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// A `double` value.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// A boolean value.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An array value.
    public init(arrayLiteral elements: WireJSON...) { self = .array(elements) }
    /// An object with the members in the order written.
    public init(dictionaryLiteral elements: (String, WireJSON)...) { self = .object(elements.map { Member($0.0, $0.1) }) }
}

extension WireJSON: CustomStringConvertible {
    /// The compact JSON text.
    public var description: String { jsonString }
}
