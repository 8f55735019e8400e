import WardenPolicy

extension EventPattern {
    /// Byte-level string comparisons. EventBridge compares UTF-8 bytes, whereas Swift's `==` and `hasPrefix`
    /// treat canonically equivalent strings (`é` and `e` + combining accent) as equal.
    enum Bytes {
        /// Runs `body` on the string's UTF-8 bytes, without copying them for native strings.
        @inline(__always)
        static func with<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            if let r = s.utf8.withContiguousStorageIfAvailable(body) { return r }
            return Array(s.utf8).withUnsafeBufferPointer(body)
        }

        static func equal(_ a: String, _ b: String) -> Bool {
            guard a.utf8.count == b.utf8.count else { return false }
            return with(a) { x in with(b) { y in x.elementsEqual(y) } }
        }

        static func hasPrefix(_ s: UnsafeBufferPointer<UInt8>, _ p: [UInt8]) -> Bool {
            guard p.count <= s.count else { return false }
            for i in 0..<p.count where s[i] != p[i] { return false }
            return true
        }

        static func hasSuffix(_ s: UnsafeBufferPointer<UInt8>, _ p: [UInt8]) -> Bool {
            guard p.count <= s.count else { return false }
            let offset = s.count - p.count
            for i in 0..<p.count where s[offset + i] != p[i] { return false }
            return true
        }
    }

    /// Text for `equals-ignore-case`, folded once at compile time the way EventBridge folds it: each character of
    /// the pattern matches its lower-case or its upper-case form (full Unicode mappings, so `ß` also matches `SS`).
    struct FoldedText: Sendable {
        /// Where the comparison is anchored.
        enum Anchor { case whole, prefix, suffix }

        /// The lower-cased bytes when the pattern is ASCII: then only ASCII bytes can match, byte by byte.
        private let ascii: [UInt8]?
        /// Otherwise, per pattern character, the UTF-8 of the forms it matches (one or two).
        private let units: [[[UInt8]]]

        init(_ text: String) {
            if text.utf8.allSatisfy({ $0 < 0x80 }) {
                ascii = text.utf8.map(FoldedText.lower)
                units = []
                return
            }
            ascii = nil
            units = text.unicodeScalars.map { scalar in
                let lower = Array(scalar.properties.lowercaseMapping.utf8)
                let upper = Array(scalar.properties.uppercaseMapping.utf8)
                return lower == upper ? [lower] : [lower, upper]
            }
        }

        func matches(_ s: String, _ anchor: Anchor) -> Bool {
            Bytes.with(s) { bytes in
                if let ascii { return FoldedText.matchesASCII(ascii, bytes, anchor) }
                switch anchor {
                case .whole: return forward(from: 0, at: 0, in: bytes, toEnd: true)
                case .prefix: return forward(from: 0, at: 0, in: bytes, toEnd: false)
                case .suffix: return backward(from: units.count, at: bytes.count, in: bytes)
                }
            }
        }

        private static func lower(_ b: UInt8) -> UInt8 {
            b >= 0x41 && b <= 0x5A ? b | 0x20 : b
        }

        private static func matchesASCII(_ p: [UInt8], _ s: UnsafeBufferPointer<UInt8>, _ anchor: Anchor) -> Bool {
            if anchor == .whole ? s.count != p.count : s.count < p.count { return false }
            let offset = anchor == .suffix ? s.count - p.count : 0
            for i in 0..<p.count where lower(s[offset + i]) != p[i] { return false }
            return true
        }

        /// Matches `units[u...]` from byte `i` on. A character's two forms can both fit only when one is a prefix
        /// of the other, which Unicode's case mappings all but never produce; only then does this recurse.
        private func forward(from u: Int, at i: Int, in s: UnsafeBufferPointer<UInt8>, toEnd: Bool) -> Bool {
            var u = u, i = i
            while u < units.count {
                var next = -1
                for form in units[u] where Self.fits(form, s, at: i) {
                    if next < 0 {
                        next = i + form.count
                    } else if forward(from: u + 1, at: i + form.count, in: s, toEnd: toEnd) {
                        return true
                    }
                }
                guard next >= 0 else { return false }
                i = next
                u += 1
            }
            return !toEnd || i == s.count
        }

        /// Matches `units[..<u]` so that they end at byte `end`, working from the back.
        private func backward(from u: Int, at end: Int, in s: UnsafeBufferPointer<UInt8>) -> Bool {
            var u = u, end = end
            while u > 0 {
                var next = -1
                for form in units[u - 1] where form.count <= end && Self.fits(form, s, at: end - form.count) {
                    if next < 0 {
                        next = end - form.count
                    } else if backward(from: u - 1, at: end - form.count, in: s) {
                        return true
                    }
                }
                guard next >= 0 else { return false }
                end = next
                u -= 1
            }
            return true
        }

        private static func fits(_ form: [UInt8], _ s: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
            guard i + form.count <= s.count else { return false }
            for k in 0..<form.count where s[i + k] != form[k] { return false }
            return true
        }
    }

    /// A `wildcard` operand: `*` matches any run of bytes (none included); `\*` is a literal asterisk and `\\` a
    /// literal backslash.
    struct Glob: Sendable {
        /// Pattern bytes, with `star` where an unescaped `*` stood.
        private let tokens: [UInt16]
        private static let star: UInt16 = 0x100

        /// Validates as EventBridge does: no `**`, and a backslash must escape `*` or `\`.
        static func compile(_ text: String, path: String) throws(EventPatternError) -> Glob {
            let bytes = Array(text.utf8)
            var tokens: [UInt16] = []
            tokens.reserveCapacity(bytes.count)
            var i = 0
            while i < bytes.count {
                switch bytes[i] {
                case UInt8(ascii: "*"):
                    if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "*") {
                        throw EventPatternError(.invalidWildcard,
                            "Consecutive wildcard characters at byte \(i) of `\(text)`", path: path)
                    }
                    tokens.append(star)
                case UInt8(ascii: "\\"):
                    guard i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "*") || bytes[i + 1] == UInt8(ascii: "\\")
                    else {
                        throw EventPatternError(.invalidWildcard,
                            "Invalid escape character at byte \(i) of `\(text)`: a backslash may only escape `*` or `\\`",
                            path: path)
                    }
                    i += 1
                    tokens.append(UInt16(bytes[i]))
                default:
                    tokens.append(UInt16(bytes[i]))
                }
                i += 1
            }
            return Glob(tokens: tokens)
        }

        /// The two-pointer glob match: on a mismatch, go back to just after the last `*` and let it swallow one more
        /// byte. Each byte of `s` is revisited at most once per pattern position, so the cost is
        /// O(pattern × value), never exponential.
        func matches(_ s: String) -> Bool {
            Bytes.with(s) { s in
                var p = 0, i = 0
                var starP = -1, starI = 0
                while i < s.count {
                    if p < tokens.count, tokens[p] == Glob.star {
                        starP = p
                        starI = i
                        p += 1
                    } else if p < tokens.count, tokens[p] == UInt16(s[i]) {
                        p += 1
                        i += 1
                    } else if starP >= 0 {
                        p = starP + 1
                        starI += 1
                        i = starI
                    } else {
                        return false
                    }
                }
                while p < tokens.count, tokens[p] == Glob.star { p += 1 }
                return p == tokens.count
            }
        }
    }

    /// IP address text as EventBridge recognises it.
    enum IPText {
        /// Whether `s` has the shape EventBridge treats as an address: four dot-separated runs of digits, or hex
        /// digits and colons with at least one colon (so no embedded IPv4 tail and no `/`).
        static func looksLikeAddress(_ s: String) -> Bool {
            Bytes.with(s) { b in
                guard !b.isEmpty else { return false }
                var colons = 0, dots = 0, digitsInPart = 0, hexOnly = true, decimalOnly = true
                for c in b {
                    switch c {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"):
                        digitsInPart += 1
                    case UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"):
                        decimalOnly = false
                    case UInt8(ascii: ":"):
                        colons += 1
                        decimalOnly = false
                    case UInt8(ascii: "."):
                        guard digitsInPart > 0 else { return false }
                        dots += 1
                        digitsInPart = 0
                        hexOnly = false
                    default:
                        return false
                    }
                }
                if decimalOnly { return dots == 3 && digitsInPart > 0 }
                return hexOnly && colons > 0
            }
        }

        /// A `cidr` operand, checked as EventBridge checks it: `address/bits`, with fewer than 32 bits for IPv4 and
        /// fewer than 128 for IPv6 (a single address is written as a plain string instead).
        static func cidr(_ text: String, path: String) throws(EventPatternError) -> IPNetworkSet {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw EventPatternError(.invalidCIDR, "Malformed CIDR `\(text)`: one `/` is required", path: path)
            }
            let address = String(parts[0])
            guard let bits = Int(parts[1]), bits >= 0 else {
                throw EventPatternError(.invalidCIDR,
                    "Malformed CIDR `\(text)`: the mask bits must be a non-negative integer", path: path)
            }
            guard looksLikeAddress(address), IPNetworkSet([address]) != nil else {
                throw EventPatternError(.invalidCIDR, "Invalid IP address `\(address)` in CIDR `\(text)`", path: path)
            }
            let isV6 = address.contains(":")
            guard bits < (isV6 ? 128 : 32) else {
                throw EventPatternError(.invalidCIDR,
                    "\(isV6 ? "IPv6" : "IPv4") mask bits must be less than \(isV6 ? 128 : 32) in `\(text)`", path: path)
            }
            // Rebuilt from the parsed number, so that `+8` and `008` mean 8 as they do to EventBridge.
            guard let network = IPNetworkSet(["\(address)/\(bits)"]) else {
                throw EventPatternError(.invalidCIDR, "Malformed CIDR `\(text)`", path: path)
            }
            return network
        }
    }
}
