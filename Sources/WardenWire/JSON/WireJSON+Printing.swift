extension WireJSON {
    /// The compact JSON text (no whitespace) as UTF-8.
    public var jsonBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(to: &out)
        return out
    }

    /// The compact JSON text.
    public var jsonString: String { String(decoding: jsonBytes, as: UTF8.self) }

    /// Appends the compact JSON text to `out`. Strings are escaped so that any value round-trips: `"` and `\`,
    /// control characters (short forms where JSON has them, else `\u00XX`), and U+2028/U+2029, which some
    /// JavaScript parsers treat as line ends.
    public func write(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d):
            // Swift prints the shortest round-tripping form (`0.1`, `1e-05`, `1e+20`), all valid JSON numbers.
            if d.isFinite { out.append(contentsOf: d.description.utf8) } else { out.append(contentsOf: "null".utf8) }
        case .string(let s): WireJSON.writeString(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (i, m) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                WireJSON.writeString(m.key, to: &out)
                out.append(UInt8(ascii: ":"))
                m.value.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    @inline(__always)
    private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x61 + v - 10 }

    /// The bytes that may start an escape: control characters, `"`, `\` and 0xE2 (the first byte of U+2028/U+2029).
    private static let mayEscape: [Bool] = (0..<256).map { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0xE2 }

    /// Appends `s` as a quoted, escaped JSON string.
    public static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { buf in
            var start = 0
            var i = 0
            while i < buf.count {
                let b = buf[i]
                // Most bytes need nothing: one table load tells, before the cases below.
                if !Self.mayEscape[Int(b)] { i += 1; continue }
                var escape: (UInt8, UInt8)? = nil  // a two-byte escape, or (0, x) for \u00xx
                var skip = 1
                switch b {
                case UInt8(ascii: "\""): escape = (UInt8(ascii: "\\"), UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): escape = (UInt8(ascii: "\\"), UInt8(ascii: "\\"))
                case 0x0A: escape = (UInt8(ascii: "\\"), UInt8(ascii: "n"))
                case 0x0D: escape = (UInt8(ascii: "\\"), UInt8(ascii: "r"))
                case 0x09: escape = (UInt8(ascii: "\\"), UInt8(ascii: "t"))
                case 0x08: escape = (UInt8(ascii: "\\"), UInt8(ascii: "b"))
                case 0x0C: escape = (UInt8(ascii: "\\"), UInt8(ascii: "f"))
                case 0x00..<0x20: escape = (0, b)
                case 0xE2 where i + 2 < buf.count && buf[i + 1] == 0x80 && (buf[i + 2] == 0xA8 || buf[i + 2] == 0xA9):
                    escape = (1, buf[i + 2] == 0xA8 ? 8 : 9)
                    skip = 3
                default: break
                }
                guard let (a, c) = escape else { i += 1; continue }
                if i > start { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<i])) }
                switch a {
                case 0: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigit(c >> 4), hexDigit(c & 0xF)])
                case 1: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "2"), UInt8(ascii: "0"), UInt8(ascii: "2"), hexDigit(c)])
                default: out.append(a); out.append(c)
                }
                i += skip
                start = i
            }
            if start < buf.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<buf.count])) }
        }
        out.append(UInt8(ascii: "\""))
    }
}
