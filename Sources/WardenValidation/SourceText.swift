import WardenPolicy

/// The policy text with a table from UTF-8 offsets (what the parser records) to AWS's positions: 1-based line,
/// 0-based column and 0-based offset, both counted in UTF-16 code units.
struct SourceText {
    let text: String
    let bytes: [UInt8]
    /// UTF-16 offset of each UTF-8 offset (continuation bytes share their scalar's offset); count + 1 entries.
    private let utf16: [Int32]
    /// UTF-8 offsets at which each line starts.
    private let lineStarts: [Int]

    init(_ text: String) {
        self.text = text
        bytes = Array(text.utf8)
        var table = [Int32](repeating: 0, count: bytes.count + 1)
        var lines = [0]
        var u: Int32 = 0
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
            for k in 0..<length where i + k < bytes.count { table[i + k] = u }
            u += length == 4 ? 2 : 1
            if b == 0x0A { lines.append(i + 1) }
            i += length
        }
        table[bytes.count] = u
        utf16 = table
        lineStarts = lines
    }

    /// AWS's position of a UTF-8 offset.
    func position(_ offset: Int) -> Position {
        let o = max(0, min(offset, bytes.count))
        // The last line start at or before `o`.
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= o { lo = mid } else { hi = mid - 1 }
        }
        let u = Int(utf16[o])
        return Position(line: lo + 1, column: u - Int(utf16[lineStarts[lo]]), offset: u)
    }

    func span(_ start: Int, _ end: Int) -> Span { Span(start: position(start), end: position(max(start, end))) }

    /// The UTF-8 offset just past the JSON string starting at `start` (its opening quote).
    func stringEnd(_ start: Int) -> Int {
        var i = start + 1
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\") { i += 2; continue }
            if bytes[i] == UInt8(ascii: "\"") { return i + 1 }
            i += 1
        }
        return bytes.count
    }

    /// The span of a string node's characters `range` (UTF-8 offsets into its decoded value), when the literal
    /// has no escapes (so decoded and source bytes line up); otherwise the whole literal.
    func substringSpan(_ node: JSONNode, _ start: Int, _ length: Int) -> Span {
        let raw = bytes[node.offset..<min(node.end, bytes.count)]
        if raw.contains(UInt8(ascii: "\\")) { return span(node.offset, node.end) }
        return span(node.offset + 1 + start, node.offset + 1 + start + length)
    }
}
