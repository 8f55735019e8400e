/// An AWS shared config or credentials file, read the way botocore's `raw_config_parse` reads it (Python's
/// `RawConfigParser`): `[section]` headers, `key = value` or `key: value` lines, full-line `#` and `;` comments,
/// option names lowercased, values trimmed, and indented lines continuing the previous value. A value that
/// starts on the next line (`s3 =` followed by indented `key = value` lines) is a nested map, as botocore
/// parses it for `[services NAME]` sections.
public struct INIFile: Sendable, Equatable {
    /// One option's value: plain text, or the nested map of an option whose value starts on the next line.
    public enum Value: Sendable, Equatable {
        /// A plain value.
        case text(String)
        /// A nested `key = value` map (keys lowercased).
        case nested([String: String])

        /// The plain value, if this is one.
        public var text: String? {
            if case .text(let s) = self { return s }
            return nil
        }
    }

    /// Why a file could not be read as INI: the 1-based line and what was wrong there.
    public struct ParseError: Error, Sendable, Equatable {
        /// The 1-based line number.
        public var line: Int
        /// What was wrong.
        public var reason: String
    }

    /// Sections by name (as written between the brackets, trimmed); a repeated section adds to the first.
    public private(set) var sections: [String: [String: Value]] = [:]
    /// Section names in the order they first appear, so that later duplicates of a profile win predictably.
    public private(set) var sectionOrder: [String] = []

    /// Parses the text of a file.
    public init(parsing text: String) throws(ParseError) {
        var current: String?
        var lastKey: String?
        var continuation: [String] = []
        var lineNumber = 0

        func flush() {
            guard let section = current, let key = lastKey, !continuation.isEmpty else { return }
            let head = sections[section]?[key]?.text ?? ""
            if head.isEmpty {
                sections[section]?[key] = .nested(Self.nested(continuation))
            } else {
                sections[section]?[key] = .text(([head] + continuation).joined(separator: "\n"))
            }
            continuation = []
        }

        // "\r\n" is one Character in Swift, so split on each line ending rather than on "\n" alone.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            lineNumber += 1
            let trimmed = line.trimmingASCIISpaces()
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            let indented = line.first == " " || line.first == "\t"
            if indented, lastKey != nil {
                // Python's configparser: a deeper-indented line continues the value above it.
                continuation.append(String(trimmed))
                continue
            }
            flush()
            if trimmed.hasPrefix("[") && trimmed.hasSuffix("]") && trimmed.count >= 3 {
                let name = String(trimmed.dropFirst().dropLast().trimmingASCIISpaces())
                if sections[name] == nil {
                    sections[name] = [:]
                    sectionOrder.append(name)
                }
                current = name
                lastKey = nil
                continue
            }
            guard let section = current else {
                throw ParseError(line: lineNumber, reason: "a setting before any [section] header")
            }
            guard let split = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw ParseError(line: lineNumber, reason: "expected `key = value`")
            }
            let key = trimmed[..<split].trimmingASCIISpaces().lowercased()
            guard !key.isEmpty else { throw ParseError(line: lineNumber, reason: "a setting without a name") }
            sections[section]?[key] = .text(String(trimmed[trimmed.index(after: split)...].trimmingASCIISpaces()))
            lastKey = key
        }
        flush()
    }

    /// The options of a section, or nil when the file has no such section.
    public subscript(section: String) -> [String: Value]? { sections[section] }

    /// botocore's `_parse_nested`: each `key = value` line of a nested value (lines without `=` are skipped).
    static func nested(_ lines: [String]) -> [String: String] {
        var out: [String: String] = [:]
        for line in lines {
            guard let eq = line.firstIndex(of: "=") else { continue }
            out[line[..<eq].trimmingASCIISpaces().lowercased()] = String(line[line.index(after: eq)...].trimmingASCIISpaces())
        }
        return out
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (what Python's `str.strip()` removes in these files).
    func trimmingASCIISpaces() -> SubSequence {
        var start = startIndex
        var end = endIndex
        while start < end, self[start] == " " || self[start] == "\t" { start = index(after: start) }
        while end > start {
            let before = index(before: end)
            guard self[before] == " " || self[before] == "\t" else { break }
            end = before
        }
        return self[start..<end]
    }
}
