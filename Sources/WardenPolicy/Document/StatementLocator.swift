/// Where each statement of a policy document sits in its JSON text, as 1-based line and column numbers of its
/// first and last characters: the `StartPosition` and `EndPosition` the policy simulator reports for matched
/// statements. A small scanner of its own, so parsing itself stays free of position bookkeeping.
public enum StatementLocator {
    /// A line and column, both 1-based (columns count Unicode scalars).
    public struct Position: Sendable, Equatable {
        public var line: Int
        public var column: Int
        public init(line: Int, column: Int) { self.line = line; self.column = column }
    }

    /// The start and end of each statement in document order (one for a `Statement` object), or nil if the text
    /// is not a JSON object with a `Statement` member.
    public static func ranges(in text: String) -> [(start: Position, end: Position)]? {
        let scalars = Array(text.unicodeScalars)
        var i = 0
        func skipSpace() { while i < scalars.count, " \t\r\n".unicodeScalars.contains(scalars[i]) { i += 1 } }
        /// Skips one JSON value starting at `i`; returns false on malformed input.
        func skipValue() -> Bool {
            skipSpace()
            guard i < scalars.count else { return false }
            switch scalars[i] {
            case "\"": return skipString()
            case "{", "[":
                var depth = 0
                while i < scalars.count {
                    let c = scalars[i]
                    if c == "\"" { guard skipString() else { return false }; continue }
                    if c == "{" || c == "[" { depth += 1 } else if c == "}" || c == "]" { depth -= 1 }
                    i += 1
                    if depth == 0 { return true }
                }
                return false
            default:
                while i < scalars.count, !",}] \t\r\n".unicodeScalars.contains(scalars[i]) { i += 1 }
                return true
            }
        }
        func skipString() -> Bool {
            i += 1
            while i < scalars.count {
                if scalars[i] == "\\" { i += 2; continue }
                if scalars[i] == "\"" { i += 1; return true }
                i += 1
            }
            return false
        }
        func readString() -> String? {
            let start = i + 1
            guard skipString() else { return nil }
            return String(String.UnicodeScalarView(scalars[start..<(i - 1)]))
        }
        skipSpace()
        guard i < scalars.count, scalars[i] == "{" else { return nil }
        i += 1
        var spans: [(Int, Int)] = []
        while true {
            skipSpace()
            guard i < scalars.count, scalars[i] == "\"", let key = readString() else { return nil }
            skipSpace()
            guard i < scalars.count, scalars[i] == ":" else { return nil }
            i += 1
            skipSpace()
            if key == "Statement", i < scalars.count {
                if scalars[i] == "[" {
                    i += 1
                    while true {
                        skipSpace()
                        guard i < scalars.count else { return nil }
                        if scalars[i] == "]" { i += 1; break }
                        let start = i
                        guard skipValue() else { return nil }
                        spans.append((start, i - 1))
                        skipSpace()
                        if i < scalars.count, scalars[i] == "," { i += 1 }
                    }
                } else {
                    let start = i
                    guard skipValue() else { return nil }
                    spans.append((start, i - 1))
                }
            } else {
                guard skipValue() else { return nil }
            }
            skipSpace()
            guard i < scalars.count else { return nil }
            if scalars[i] == "," { i += 1; continue }
            break
        }
        // Offsets to lines and columns in one pass.
        var positions: [Int: Position] = [:]
        let wanted = Set(spans.flatMap { [$0.0, $0.1] })
        var line = 1, column = 1
        for (offset, c) in scalars.enumerated() {
            if wanted.contains(offset) { positions[offset] = Position(line: line, column: column) }
            if c == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return spans.compactMap { s in positions[s.0].flatMap { a in positions[s.1].map { (a, $0) } } }
    }
}
