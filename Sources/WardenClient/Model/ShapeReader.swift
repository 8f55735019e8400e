import Foundation
import WardenWire

/// A response shape decoded from its JSON 1.1 object.
public protocol WireJSONDecodable: Sendable {
    /// Decodes the shape, failing with a `MalformedResponse` error that names the member.
    init(wireJSON: WireJSON) throws(WardenClientError)
}

/// Reads the members of one response object, with errors that name the shape and member. Unknown members are
/// ignored, so a newer server can add members without breaking older clients.
struct ShapeReader {
    let members: WireJSON
    let shape: String

    /// Reads `json` as shape `shape`; anything but an object is malformed.
    init(_ json: WireJSON, shape: String) throws(WardenClientError) {
        guard case .object = json else { throw .malformed("`\(shape)` is not a JSON object.") }
        self.members = json
        self.shape = shape
    }

    /// The member's value, nil when absent or `null`.
    func value(_ key: String) -> WireJSON? {
        guard let v = members[key], !v.isNull else { return nil }
        return v
    }

    func missing(_ key: String) -> WardenClientError { .malformed("`\(shape)` has no `\(key)`.") }

    func wrongType(_ key: String, _ expected: String) -> WardenClientError {
        .malformed("`\(shape).\(key)` is not \(expected).")
    }

    /// A required string.
    func string(_ key: String) throws(WardenClientError) -> String {
        guard let s = try optionalString(key) else { throw missing(key) }
        return s
    }

    /// An optional string.
    func optionalString(_ key: String) throws(WardenClientError) -> String? {
        guard let v = value(key) else { return nil }
        guard let s = v.stringValue else { throw wrongType(key, "a string") }
        return s
    }

    /// A required integer.
    func int(_ key: String) throws(WardenClientError) -> Int {
        guard let v = value(key) else { throw missing(key) }
        guard let i = v.intValue else { throw wrongType(key, "an integer") }
        return i
    }

    /// A required timestamp.
    func timestamp(_ key: String) throws(WardenClientError) -> Date {
        guard let d = try optionalTimestamp(key) else { throw missing(key) }
        return d
    }

    /// An optional timestamp: epoch seconds as JSON 1.1 writes them, or an ISO 8601 string, which botocore
    /// also accepts.
    func optionalTimestamp(_ key: String) throws(WardenClientError) -> Date? {
        guard let v = value(key) else { return nil }
        if let seconds = v.doubleValue { return Date(timeIntervalSince1970: seconds) }
        if let text = v.stringValue, let date = Self.parseISO8601(text) { return date }
        throw wrongType(key, "a timestamp")
    }

    /// A list of strings; absent is empty.
    func stringList(_ key: String) throws(WardenClientError) -> [String] {
        try list(key, required: false) { item, index throws(WardenClientError) in
            guard let s = item.stringValue else { throw wrongType("\(key)[\(index)]", "a string") }
            return s
        }
    }

    /// A list of shapes; absent is empty unless `required`.
    func list<T: WireJSONDecodable>(_ key: String, of type: T.Type, required: Bool) throws(WardenClientError) -> [T] {
        try list(key, required: required) { item, _ throws(WardenClientError) in try T(wireJSON: item) }
    }

    /// A list, each element decoded by `element` (which gets the element and its index).
    func list<T>(_ key: String, required: Bool, _ element: (WireJSON, Int) throws(WardenClientError) -> T) throws(WardenClientError) -> [T] {
        guard let v = value(key) else {
            if required { throw missing(key) }
            return []
        }
        guard let items = v.arrayValue else { throw wrongType(key, "a list") }
        var out: [T] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() { out.append(try element(item, i)) }
        return out
    }

    /// `2026-12-01T10:00:00Z`, with or without fractional seconds.
    static func parseISO8601(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let d = plain.date(from: text) { return d }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}
