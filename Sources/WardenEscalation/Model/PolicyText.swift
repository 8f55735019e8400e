import WardenPolicy
import WardenWire

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

    /// Percent-decodes `text` unless it already is JSON (starts with `{` after white space); `+` stays `+`, as
    /// IAM encodes spaces as `%20`.
    static func decodeIfEncoded(_ text: String) -> String {
        if text.drop(while: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }).first == "{" { return text }
        return text.utf8.contains(UInt8(ascii: "%")) ? WireFormat.percentDecode(text) : text
    }
}
