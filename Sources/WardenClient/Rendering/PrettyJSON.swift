import WardenWire

/// Indented JSON for people and scripts: two spaces per level, `"key": value`, members in the order built
/// (so the output is stable), `[]` and `{}` for empty containers, a newline at the end. Strings are escaped by
/// `WireJSON.writeString`, so the text parses back to the same value.
public enum PrettyJSON {
    /// The indented text of a value.
    public static func format(_ value: WireJSON) -> String {
        var out: [UInt8] = []
        write(value, indent: 0, to: &out)
        out.append(UInt8(ascii: "\n"))
        return String(decoding: out, as: UTF8.self)
    }

    static func write(_ value: WireJSON, indent: Int, to out: inout [UInt8]) {
        switch value {
        case .array(let items) where !items.isEmpty:
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                out.append(contentsOf: (i == 0 ? "\n" : ",\n").utf8)
                pad(indent + 1, &out)
                write(item, indent: indent + 1, to: &out)
            }
            out.append(UInt8(ascii: "\n"))
            pad(indent, &out)
            out.append(UInt8(ascii: "]"))
        case .object(let members) where !members.isEmpty:
            out.append(UInt8(ascii: "{"))
            for (i, m) in members.enumerated() {
                out.append(contentsOf: (i == 0 ? "\n" : ",\n").utf8)
                pad(indent + 1, &out)
                WireJSON.writeString(m.key, to: &out)
                out.append(contentsOf: ": ".utf8)
                write(m.value, indent: indent + 1, to: &out)
            }
            out.append(UInt8(ascii: "\n"))
            pad(indent, &out)
            out.append(UInt8(ascii: "}"))
        default:
            value.write(to: &out)
        }
    }

    static func pad(_ level: Int, _ out: inout [UInt8]) {
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
    }
}
