import Foundation

/// A minimal, allocation-light XML writer for AWS Query responses.
///
/// Output is compact (no whitespace between elements), UTF-8, with text escaped so that any string a
/// client sent can be echoed back safely.
public struct XMLWriter: Sendable {
    /// The UTF-8 bytes written so far.
    public private(set) var bytes: [UInt8]

    /// Creates an empty writer.
    public init() {
        bytes = []
        bytes.reserveCapacity(512)
    }

    /// Creates an empty writer with room for `capacity` bytes.
    public init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The document written so far as a string.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Writes `<name>`.
    public mutating func open(_ name: String) {
        bytes.append(UInt8(ascii: "<"))
        appendRaw(name)
        bytes.append(UInt8(ascii: ">"))
    }

    private mutating func appendRaw(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Writes `<name a="v" …>` with escaped attribute values, in the order given.
    public mutating func open(_ name: String, attributes: KeyValuePairs<String, String>) {
        bytes.append(UInt8(ascii: "<"))
        bytes.append(contentsOf: name.utf8)
        for (key, value) in attributes {
            bytes.append(UInt8(ascii: " "))
            bytes.append(contentsOf: key.utf8)
            bytes.append(contentsOf: "=\"".utf8)
            appendEscaped(value)
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: ">"))
    }

    /// Writes `</name>`.
    public mutating func close(_ name: String) {
        bytes.append(UInt8(ascii: "<"))
        bytes.append(UInt8(ascii: "/"))
        appendRaw(name)
        bytes.append(UInt8(ascii: ">"))
    }

    /// Writes escaped text content.
    public mutating func text(_ text: String) {
        appendEscaped(text)
    }

    /// Writes `<name>text</name>` with the text escaped.
    public mutating func element(_ name: String, _ text: String) {
        open(name)
        appendEscaped(text)
        close(name)
    }

    /// Writes an integer element in plain decimal.
    public mutating func element(_ name: String, _ value: Int) {
        open(name)
        appendRaw(String(value))
        close(name)
    }

    /// Writes a boolean element as `true`/`false`.
    public mutating func element(_ name: String, _ value: Bool) {
        open(name)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
        close(name)
    }

    /// Writes a string-valued enum element by its raw value.
    public mutating func element<E: RawRepresentable>(_ name: String, _ value: E) where E.RawValue == String {
        element(name, value.rawValue)
    }

    /// Writes a structure element: `<name>` + its members + `</name>`.
    public mutating func structure(_ name: String, _ value: some XMLEncodable) {
        open(name)
        value.encodeXML(to: &self)
        close(name)
    }

    /// Writes a list as `<name><member>…</member>…</name>`; `body` writes each `member` element.
    public mutating func list<T>(_ name: String, _ items: [T], _ body: (inout XMLWriter, T) -> Void) {
        open(name)
        for item in items { body(&self, item) }
        close(name)
    }

    /// Writes a map as `<name><entry><key>k</key><value>…</value></entry>…</name>`, keys sorted for stable output.
    public mutating func map<V>(_ name: String, _ entries: [String: V], _ value: (inout XMLWriter, V) -> Void) {
        open(name)
        for key in entries.keys.sorted() {
            open("entry")
            element("key", key)
            open("value")
            value(&self, entries[key]!)
            close("value")
            close("entry")
        }
        close(name)
    }

    /// Appends raw, already-escaped bytes (for prebuilt fragments).
    public mutating func raw(_ fragment: String) {
        bytes.append(contentsOf: fragment.utf8)
    }

    /// Writes a timestamp element in AWS's ISO 8601 form (`2024-01-02T03:04:05Z`) without intermediate strings.
    public mutating func element(_ name: String, _ date: Date) {
        open(name)
        WireFormat.appendTimestamp(date, to: &bytes)
        close(name)
    }

    // XML 1.0 allows only tab, newline and carriage return below U+0020. A bare CR would be normalised
    // to LF by parsers, so it is written as a character reference; the other control characters cannot be
    // represented at all and become U+FFFD so the document stays well-formed.
    private mutating func appendEscaped(_ text: String) {
        var text = text
        text.withUTF8 { buf in
            var start = 0
            for i in 0..<buf.count {
                let b = buf[i]
                // Everything at or above '?' (0x3F) other than DEL is copied as is, which covers letters and UTF-8.
                if b > UInt8(ascii: ">") && b != 0x7F { continue }
                let replacement: StaticString
                switch b {
                case UInt8(ascii: "&"): replacement = "&amp;"
                case UInt8(ascii: "<"): replacement = "&lt;"
                case UInt8(ascii: ">"): replacement = "&gt;"
                case UInt8(ascii: "\""): replacement = "&quot;"
                case 0x0D: replacement = "&#xD;"
                case 0x09, 0x0A: continue
                case 0x00..<0x20, 0x7F: replacement = "\u{FFFD}"
                default: continue
                }
                if i > start { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<i])) }
                bytes.append(contentsOf: UnsafeBufferPointer(start: replacement.utf8Start, count: replacement.utf8CodeUnitCount))
                start = i + 1
            }
            if start < buf.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<buf.count])) }
        }
    }
}
