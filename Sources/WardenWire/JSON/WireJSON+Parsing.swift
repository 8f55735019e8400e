extension WireJSON {
    /// Why a body is not acceptable JSON, and where (the UTF-8 byte offset of the offending byte).
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The stable reason.
        public enum Code: String, Sendable {
            /// The input ended inside a value.
            case unexpectedEnd
            /// A byte that cannot start or continue a value here.
            case unexpectedCharacter
            /// A number that breaks the JSON grammar (`01`, `1.`, `-`, `1e`).
            case invalidNumber
            /// A backslash escape other than `\" \\ \/ \b \f \n \r \t \uXXXX`.
            case invalidEscape
            /// A `\uD800`–`\uDFFF` escape that is not half of a high/low pair.
            case loneSurrogate
            /// Bytes that are not well-formed UTF-8.
            case invalidUTF8
            /// An unescaped control character (below U+0020) inside a string.
            case controlCharacter
            /// Arrays and objects nested deeper than the limit.
            case tooDeep
            /// A key that occurs twice in one object.
            case duplicateKey
            /// Anything but whitespace after the value.
            case trailingData
        }

        /// The stable reason.
        public var code: Code
        /// The UTF-8 byte offset at which the problem was found.
        public var offset: Int

        /// Creates an error.
        public init(_ code: Code, at offset: Int) {
            self.code = code
            self.offset = offset
        }

        /// A message for the client: `unexpectedCharacter at byte 12`.
        public var description: String { "\(code.rawValue) at byte \(offset)" }
    }

    /// Parses one JSON text (RFC 8259): UTF-8, no byte order mark, no comments or trailing commas, no
    /// duplicate keys, nesting at most `maxDepth` deep. Linear in the input; the caller bounds its size.
    public init(parsing bytes: [UInt8], maxDepth: Int = WireJSON.defaultMaxDepth) throws(ParseError) {
        let result: Result<WireJSON, ParseError> = bytes.withUnsafeBufferPointer { buf in
            var parser = JSONParser(buf, maxDepth: maxDepth)
            do throws(ParseError) {
                return .success(try parser.parseDocument())
            } catch {
                return .failure(error)
            }
        }
        self = try result.get()
    }

    /// Parses JSON text; see `init(parsing:maxDepth:)` for bytes.
    public init(parsing text: String, maxDepth: Int = WireJSON.defaultMaxDepth) throws(ParseError) {
        try self.init(parsing: Array(text.utf8), maxDepth: maxDepth)
    }
}

/// A strict recursive-descent parser over UTF-8 bytes. Every byte is looked at a bounded number of times.
struct JSONParser {
    typealias ParseError = WireJSON.ParseError
    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private var index = 0
    private var depth = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(ParseError) -> WireJSON {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else { throw ParseError(.trailingData, at: index) }
        return value
    }

    private func fail(_ code: ParseError.Code) -> ParseError {
        ParseError(index >= bytes.count ? .unexpectedEnd : code, at: index)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws(ParseError) -> WireJSON {
        guard index < bytes.count else { throw fail(.unexpectedEnd) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw fail(.unexpectedCharacter)
        }
    }

    private mutating func literal(_ word: StaticString) throws(ParseError) {
        let p = word.utf8Start
        for i in 0..<word.utf8CodeUnitCount {
            guard index < bytes.count, bytes[index] == p[i] else { throw fail(.unexpectedCharacter) }
            index += 1
        }
    }

    private func isDigit(_ i: Int) -> Bool {
        i < bytes.count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9")
    }

    private mutating func parseNumber() throws(ParseError) -> WireJSON {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard isDigit(index) else { throw fail(.invalidNumber) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if isDigit(index) { throw fail(.invalidNumber) }
        } else {
            while isDigit(index) { index += 1 }
        }
        var integral = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard isDigit(index) else { throw fail(.invalidNumber) }
            while isDigit(index) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            integral = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard isDigit(index) else { throw fail(.invalidNumber) }
            while isDigit(index) { index += 1 }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if integral, let i = Int(text) { return .int(i) }
        // Grammar-checked digits always convert; huge exponents become ±infinity, which no shape accepts.
        guard let d = Double(text) else { throw ParseError(.invalidNumber, at: start) }
        return .double(d)
    }

    private mutating func parseString() throws(ParseError) -> String {
        index += 1  // opening quote
        let start = index
        // Fast path: printable ASCII up to the closing quote needs no copy into a scratch buffer.
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return s
            }
            if b == UInt8(ascii: "\\") || b < 0x20 || b >= 0x80 { break }
            index += 1
        }
        var out: [UInt8] = []
        out.reserveCapacity(index - start + 16)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while true {
            guard index < bytes.count else { throw fail(.unexpectedEnd) }
            let b = bytes[index]
            switch b {
            case UInt8(ascii: "\""):
                index += 1
                // INVARIANT: `out` is valid UTF-8: raw bytes were validated and escapes were encoded from scalars.
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &out)
            case 0x00..<0x20:
                throw fail(.controlCharacter)
            case 0x80...:
                let n = utf8SequenceLength(at: index)
                guard n > 0 else { throw fail(.invalidUTF8) }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<(index + n)]))
                index += n
            default:
                out.append(b)
                index += 1
            }
        }
    }

    private mutating func parseEscape(into out: inout [UInt8]) throws(ParseError) {
        index += 1  // backslash
        guard index < bytes.count else { throw fail(.unexpectedEnd) }
        let e = bytes[index]
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
            let escapeStart = index - 1
            index += 1
            var scalar = try hex4()
            if scalar >= 0xD800 && scalar < 0xDC00 {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw ParseError(.loneSurrogate, at: escapeStart)
                }
                index += 2
                let low = try hex4()
                guard low >= 0xDC00 && low < 0xE000 else { throw ParseError(.loneSurrogate, at: escapeStart) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00 && scalar < 0xE000 {
                throw ParseError(.loneSurrogate, at: escapeStart)
            }
            WireJSON.appendUTF8(scalar, to: &out)
            return
        default:
            throw fail(.invalidEscape)
        }
        index += 1
    }

    private mutating func hex4() throws(ParseError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw fail(.unexpectedEnd) }
            let b = bytes[index]
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x41...0x46: d = UInt32(b - 0x41 + 10)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            default: throw fail(.invalidEscape)
            }
            v = v << 4 | d
            index += 1
        }
        return v
    }

    /// The length of the well-formed UTF-8 sequence starting at `i` (a byte ≥ 0x80), or 0 when it is not one:
    /// no overlong forms, no encoded surrogates, nothing above U+10FFFF (Unicode table 3-7).
    private func utf8SequenceLength(at i: Int) -> Int {
        let b0 = bytes[i]
        func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            i + k < bytes.count && bytes[i + k] >= lo && bytes[i + k] <= hi
        }
        switch b0 {
        case 0xC2...0xDF: return cont(1) ? 2 : 0
        case 0xE0: return cont(1, 0xA0) && cont(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF: return cont(1) && cont(2) ? 3 : 0
        case 0xED: return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0
        case 0xF0: return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : 0
        case 0xF4: return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0
        default: return 0
        }
    }

    private mutating func enter() throws(ParseError) {
        depth += 1
        guard depth <= maxDepth else { throw ParseError(.tooDeep, at: index) }
        index += 1
        skipWhitespace()
    }

    private mutating func parseArray() throws(ParseError) -> WireJSON {
        try enter()
        var items: [WireJSON] = []
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw fail(.unexpectedEnd) }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; break }
            throw fail(.unexpectedCharacter)
        }
        depth -= 1
        return .array(items)
    }

    private mutating func parseObject() throws(ParseError) -> WireJSON {
        try enter()
        var members: [WireJSON.Member] = []
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(members)
        }
        // Small objects check duplicates by scanning; large ones switch to a set so the check stays linear.
        var seen = Set<String>()
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail(.unexpectedCharacter) }
            let keyStart = index
            let key = try parseString()
            if members.count >= 16 {
                if seen.isEmpty { seen = Set(members.map(\.key)) }
                guard seen.insert(key).inserted else { throw ParseError(.duplicateKey, at: keyStart) }
            } else if members.contains(where: { $0.key == key }) {
                throw ParseError(.duplicateKey, at: keyStart)
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail(.unexpectedCharacter) }
            index += 1
            skipWhitespace()
            members.append(WireJSON.Member(key, try parseValue()))
            skipWhitespace()
            guard index < bytes.count else { throw fail(.unexpectedEnd) }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; break }
            throw fail(.unexpectedCharacter)
        }
        depth -= 1
        return .object(members)
    }
}

extension WireJSON {
    /// Appends the UTF-8 encoding of a Unicode scalar value (the caller excludes surrogates).
    static func appendUTF8(_ v: UInt32, to out: inout [UInt8]) {
        @inline(__always) func byte(_ x: UInt32) -> UInt8 { UInt8(truncatingIfNeeded: x) }
        if v < 0x80 {
            out.append(byte(v))
        } else if v < 0x800 {
            out.append(0xC0 | byte(v >> 6))
            out.append(0x80 | byte(v & 0x3F))
        } else if v < 0x10000 {
            out.append(0xE0 | byte(v >> 12))
            out.append(0x80 | byte((v >> 6) & 0x3F))
            out.append(0x80 | byte(v & 0x3F))
        } else {
            out.append(0xF0 | byte(v >> 18))
            out.append(0x80 | byte((v >> 12) & 0x3F))
            out.append(0x80 | byte((v >> 6) & 0x3F))
            out.append(0x80 | byte(v & 0x3F))
        }
    }
}
