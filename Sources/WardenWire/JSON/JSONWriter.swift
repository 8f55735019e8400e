/// Writes compact JSON straight to bytes, member by member, without building a `WireJSON` tree first: for
/// documents written at request rates (the audit trail's records). Keys are static text and are written as
/// they are (they must need no escaping); values are escaped as `WireJSON` escapes them.
public struct JSONWriter {
    /// The JSON text written so far.
    public private(set) var bytes: [UInt8]
    /// Whether the open container has no member yet (one flag per open container).
    private var empty: [Bool] = []

    /// Creates a writer whose buffer starts with `capacity` bytes reserved.
    public init(capacity: Int = 1024) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Clears the text, keeping the buffer.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        empty.removeAll(keepingCapacity: true)
    }

    /// Starts a member (a `,` if needed, then `"key":`), or an array element when `key` is nil.
    private mutating func member(_ key: StaticString?) {
        if let last = empty.indices.last {
            if empty[last] { empty[last] = false } else { bytes.append(UInt8(ascii: ",")) }
        }
        guard let key else { return }
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// Opens an object (as the member `key`, or as an element or the document when `key` is nil).
    public mutating func beginObject(_ key: StaticString? = nil) {
        member(key)
        bytes.append(UInt8(ascii: "{"))
        empty.append(true)
    }

    /// Closes the innermost object.
    public mutating func endObject() {
        empty.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    /// Opens an array.
    public mutating func beginArray(_ key: StaticString? = nil) {
        member(key)
        bytes.append(UInt8(ascii: "["))
        empty.append(true)
    }

    /// Closes the innermost array.
    public mutating func endArray() {
        empty.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    /// A string member (or element).
    public mutating func string(_ key: StaticString?, _ value: String) {
        member(key)
        WireJSON.writeString(value, to: &bytes)
    }

    /// A string member written only when the value is present and not empty.
    public mutating func nonEmpty(_ key: StaticString, _ value: String?) {
        if let value, !value.isEmpty { string(key, value) }
    }

    /// A boolean member.
    public mutating func bool(_ key: StaticString?, _ value: Bool) {
        member(key)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// A `null` member.
    public mutating func null(_ key: StaticString?) {
        member(key)
        bytes.append(contentsOf: "null".utf8)
    }

    /// A member whose value is a `WireJSON` value.
    public mutating func value(_ key: StaticString?, _ value: WireJSON) {
        member(key)
        value.write(to: &bytes)
    }

    /// A member whose value is JSON text written earlier (by another writer); it is copied as it is.
    public mutating func raw(_ key: StaticString?, _ json: [UInt8]) {
        member(key)
        bytes.append(contentsOf: json)
    }
}
