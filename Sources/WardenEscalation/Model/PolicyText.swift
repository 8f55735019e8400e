import WardenPolicy

/// A policy document's JSON text. `GetAccountAuthorizationDetails` returns documents URL-encoded (RFC 3986)
/// on the wire, the AWS CLI prints them decoded as JSON objects, and other tools pass them as plain JSON
/// strings; all three decode to the same text.
public struct PolicyText: Sendable, Equatable, Decodable, ExpressibleByStringLiteral {
    /// The document as JSON text.
    public var json: String

    /// A document from JSON text, or URL-encoded JSON text (decoded here).
    public init(_ text: String) { json = PolicyText.decodeIfEncoded(text) }

    /// A document from a string literal (JSON text).
    public init(stringLiteral value: String) { self.init(value) }

    /// Decodes a JSON object or a (possibly URL-encoded) string.
    public init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if let text = try? single.decode(String.self) {
            self.init(text)
        } else {
            self.init(try single.decode(JSONValue.self).jsonString)
        }
    }

    /// Percent-decodes `text` unless it already is JSON (starts with `{` after white space). `+` stays `+`, as
    /// IAM encodes spaces as `%20`. Invalid escapes are kept as written.
    static func decodeIfEncoded(_ text: String) -> String {
        if text.drop(while: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }).first == "{" { return text }
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
               let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
