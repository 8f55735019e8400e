/// A strict RFC 8259 parser over UTF-8 bytes that keeps member order and value offsets.
public struct JSONParser {
    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0
    private static let maxDepth = 128

    static func parse(_ text: String) throws(PolicyError) -> JSONNode {
        do {
            return try parseNode(text)
        } catch {
            throw PolicyError.syntax("", JSONParser.location(of: error.offset, in: text))
        }
    }

    /// Where a JSON text stops being valid: the UTF-8 offset of the first byte the parser could not accept
    /// (the length of the text when it ends too early).
    public struct SyntaxError: Error, Sendable, Equatable {
        /// UTF-8 offset into the text.
        public var offset: Int
    }

    /// Parses `text` into a tree that keeps member order and the UTF-8 offsets of every value and key.
    /// Duplicate keys in one object are a syntax error, as the policy grammar requires.
    public static func parseNode(_ text: String) throws(SyntaxError) -> JSONNode {
        var parser = JSONParser(bytes: Array(text.utf8))
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.index != parser.bytes.count { throw parser.error() }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    /// Line and column (1-based, columns in characters) of a UTF-8 offset in `text`.
    static func location(of offset: Int, in text: String) -> PolicyError.Location {
        var line = 1
        var column = 1
        var i = 0
        for b in text.utf8 {
            if i >= offset { break }
            if b == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return PolicyError.Location(line: line, column: column)
    }

    private func error() -> SyntaxError { SyntaxError(offset: index) }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws(SyntaxError) -> JSONNode {
        guard index < bytes.count else { throw error() }
        let start = index
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): let v = try parseString(); return JSONNode(kind: .string(v), offset: start, end: index)
        case UInt8(ascii: "t"): try expectLiteral("true"); return JSONNode(kind: .bool(true), offset: start, end: index)
        case UInt8(ascii: "f"): try expectLiteral("false"); return JSONNode(kind: .bool(false), offset: start, end: index)
        case UInt8(ascii: "n"): try expectLiteral("null"); return JSONNode(kind: .null, offset: start, end: index)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error()
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(SyntaxError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error() }
        let p = literal.utf8Start
        for i in 0..<count where bytes[index + i] != p[i] { throw error() }
        index += count
    }

    private mutating func parseNumber() throws(SyntaxError) -> JSONNode {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw error() }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw error() }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error() }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        return JSONNode(kind: .number(String(decoding: bytes[start..<index], as: UTF8.self)), offset: start, end: index)
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private mutating func parseString() throws(SyntaxError) -> String {
        index += 1  // opening quote
        var out: [UInt8] = []
        var runStart = index
        while true {
            guard index < bytes.count else { throw error() }
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                out.append(contentsOf: bytes[runStart..<index])
                index += 1
                break
            }
            if b < 0x20 { throw error() }
            if b == UInt8(ascii: "\\") {
                out.append(contentsOf: bytes[runStart..<index])
                index += 1
                guard index < bytes.count else { throw error() }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try parseHex4()
                    if scalar >= 0xD800 && scalar < 0xDC00 {
                        // A high surrogate must be followed by an escaped low surrogate.
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else { throw error() }
                        index += 2
                        let low = try parseHex4()
                        guard low >= 0xDC00 && low < 0xE000 else { throw error() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if scalar >= 0xDC00 && scalar < 0xE000 {
                        throw error()
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw error() }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default: throw error()
                }
                runStart = index
                continue
            }
            index += 1
        }
        // Invalid UTF-8 in the input is replaced, as Swift strings require valid Unicode.
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func parseHex4() throws(SyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error() }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x41...0x46: d = UInt32(b - 0x41 + 10)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            default: throw error()
            }
            v = v << 4 | d
            index += 1
        }
        return v
    }

    private mutating func parseArray() throws(SyntaxError) -> JSONNode {
        let start = index
        depth += 1
        guard depth <= JSONParser.maxDepth else { throw error() }
        index += 1
        var items: [JSONNode] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return JSONNode(kind: .array(items), offset: start, end: index)
        }
        while true {
            skipWhitespace()
            items.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw error() }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; break }
            throw error()
        }
        depth -= 1
        return JSONNode(kind: .array(items), offset: start, end: index)
    }

    private mutating func parseObject() throws(SyntaxError) -> JSONNode {
        let start = index
        depth += 1
        guard depth <= JSONParser.maxDepth else { throw error() }
        index += 1
        var members: [(key: String, value: JSONNode)] = []
        var keyOffsets: [Int] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return JSONNode(kind: .object(members), offset: start, end: index)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error() }
            let keyStart = index
            let key = try parseString()
            keyOffsets.append(keyStart)
            // The policy grammar forbids duplicate keys; AWS rejects them as a syntax error.
            if members.contains(where: { $0.key == key }) { index = keyStart; throw error() }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error() }
            index += 1
            skipWhitespace()
            members.append((key: key, value: try parseValue()))
            skipWhitespace()
            guard index < bytes.count else { throw error() }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; break }
            throw error()
        }
        depth -= 1
        return JSONNode(kind: .object(members), offset: start, end: index, keyOffsets: keyOffsets)
    }
}
