/// Allocation-free parsers for the typed condition families, working on UTF-8 bytes.
enum ValueParsing {
    /// A decimal number (`-12`, `3.5`, `1e3`). Integers up to 2^53 are exact.
    static func number(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        let n = b.count
        var negative = false
        if i < n, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { negative = b[i] == UInt8(ascii: "-"); i += 1 }
        var mantissa: Double = 0
        var digits = 0
        while i < n, b[i] >= 0x30, b[i] <= 0x39 { mantissa = mantissa * 10 + Double(b[i] - 0x30); i += 1; digits += 1 }
        var scale = 0
        if i < n, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, b[i] >= 0x30, b[i] <= 0x39 { mantissa = mantissa * 10 + Double(b[i] - 0x30); i += 1; digits += 1; scale -= 1 }
        }
        guard digits > 0 else { return nil }
        if i < n, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            var expNegative = false
            if i < n, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { expNegative = b[i] == UInt8(ascii: "-"); i += 1 }
            var e = 0
            var expDigits = 0
            while i < n, b[i] >= 0x30, b[i] <= 0x39, e < 10_000 { e = e * 10 + Int(b[i] - 0x30); i += 1; expDigits += 1 }
            guard expDigits > 0 else { return nil }
            scale += expNegative ? -e : e
        }
        guard i == n else { return nil }
        var value = mantissa
        if scale > 0 { for _ in 0..<min(scale, 400) { value *= 10 } }
        if scale < 0 { for _ in 0..<min(-scale, 400) { value /= 10 } }
        guard value.isFinite else { return nil }
        return negative ? -value : value
    }

    /// Seconds since 1970 for an ISO 8601 date/time (`2024-01-02`, `2024-01-02T03:04:05Z`,
    /// `2024-01-02T03:04:05.123+01:00`, `2024-01-02T03:04Z`) or an epoch-seconds number.
    static func date(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = b.count
        guard n > 0 else { return nil }
        var hasDash = false
        var hasT = false
        for (k, c) in b.enumerated() {
            if c == UInt8(ascii: "-") && k > 0 { hasDash = true }
            if c == UInt8(ascii: "T") || c == UInt8(ascii: "t") { hasT = true }
        }
        if !hasDash && !hasT { return number(b) }
        var i = 0
        func digits(_ count: Int) -> Int? {
            guard i + count <= n else { return nil }
            var v = 0
            for k in 0..<count {
                let c = b[i + k]
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            i += count
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < n, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(UInt8(ascii: "-")), let month = digits(2), (1...12).contains(month),
              expect(UInt8(ascii: "-")), let day = digits(2), (1...31).contains(day) else { return nil }
        var seconds = Double(daysFromCivil(year: year, month: month, day: day)) * 86_400
        if i == n { return seconds }
        guard i < n, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") else { return nil }
        i += 1
        guard let hour = digits(2), hour <= 23, expect(UInt8(ascii: ":")), let minute = digits(2), minute <= 59 else { return nil }
        seconds += Double(hour * 3600 + minute * 60)
        if expect(UInt8(ascii: ":")) {
            guard let second = digits(2), second <= 60 else { return nil }
            seconds += Double(second)
            if expect(UInt8(ascii: ".")) {
                var scale = 0.1
                var any = false
                while i < n, b[i] >= 0x30, b[i] <= 0x39 { seconds += Double(b[i] - 0x30) * scale; scale /= 10; i += 1; any = true }
                guard any else { return nil }
            }
        }
        if i == n { return seconds }  // no zone: UTC
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") { return i + 1 == n ? seconds : nil }
        guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") else { return nil }
        let sign: Double = b[i] == UInt8(ascii: "+") ? 1 : -1
        i += 1
        guard let zh = digits(2), zh <= 23 else { return nil }
        var zm = 0
        if expect(UInt8(ascii: ":")) {
            guard let m = digits(2), m <= 59 else { return nil }
            zm = m
        } else if i < n {
            guard let m = digits(2), m <= 59 else { return nil }
            zm = m
        }
        guard i == n else { return nil }
        return seconds - sign * Double(zh * 3600 + zm * 60)
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Bool values compare case-insensitively as `true`/`false`.
    static func bool(_ b: UnsafeBufferPointer<UInt8>) -> Bool? {
        if Glob.equalsIgnoringASCIICase(b, "true") { return true }
        if Glob.equalsIgnoringASCIICase(b, "false") { return false }
        return nil
    }

    /// Standard or URL-safe base64, padding optional.
    static func base64(_ s: String) -> [UInt8]? {
        var out: [UInt8] = []
        var acc: UInt32 = 0
        var bits = 0
        for c in s.utf8 {
            let v: UInt32
            switch c {
            case 0x41...0x5A: v = UInt32(c - 0x41)
            case 0x61...0x7A: v = UInt32(c - 0x61 + 26)
            case 0x30...0x39: v = UInt32(c - 0x30 + 52)
            case UInt8(ascii: "+"), UInt8(ascii: "-"): v = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): v = 63
            case UInt8(ascii: "="): continue
            default: return nil
            }
            acc = acc << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((acc >> UInt32(bits)) & 0xFF))
            }
        }
        return out
    }
}

/// An IPv4 or IPv6 network (`10.0.0.0/8`, `2001:db8::/32`); a bare address is a /32 or /128.
public struct IPNetwork: Sendable, Equatable {
    /// Whether this is an IPv6 network.
    public var isV6: Bool
    /// The upper 64 bits of an IPv6 address (0 for IPv4).
    public var high: UInt64
    /// The lower 64 bits of an IPv6 address, or the IPv4 address.
    public var low: UInt64
    /// The prefix length (32 or 128 for a bare address).
    public var prefix: Int

    /// Parses `address[/prefix]` as the IpAddress operators do; nil if it is neither.
    public init?(_ text: String) {
        guard let n = WardenPolicy.withUTF8(text, { IPNetwork.parse($0) }) else { return nil }
        self = n
    }

    init(isV6: Bool, high: UInt64, low: UInt64, prefix: Int) {
        self.isV6 = isV6
        self.high = high
        self.low = low
        self.prefix = prefix
    }

    /// Parses `address[/prefix]`.
    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> IPNetwork? {
        var slash = -1
        for (k, c) in b.enumerated() where c == UInt8(ascii: "/") { slash = k; break }
        let addressPart = slash >= 0 ? UnsafeBufferPointer(rebasing: b[0..<slash]) : b
        guard let (v6, hi, lo) = parseAddress(addressPart) else { return nil }
        var prefix = v6 ? 128 : 32
        if slash >= 0 {
            let p = UnsafeBufferPointer(rebasing: b[(slash + 1)...])
            guard !p.isEmpty, p.count <= 3 else { return nil }
            var v = 0
            for c in p {
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            guard v <= prefix else { return nil }
            prefix = v
        }
        return IPNetwork(isV6: v6, high: hi, low: lo, prefix: prefix)
    }

    /// Whether `address` (a plain address) lies inside this network. IPv4 never matches IPv6 and vice versa.
    public func contains(_ other: IPNetwork) -> Bool {
        guard other.isV6 == isV6 else { return false }
        if isV6 {
            if prefix == 0 { return true }
            if prefix <= 64 {
                let mask: UInt64 = prefix == 64 ? ~0 : ~(~0 >> UInt64(prefix))
                return (high & mask) == (other.high & mask)
            }
            let mask: UInt64 = prefix == 128 ? ~0 : ~(~0 >> UInt64(prefix - 64))
            return high == other.high && (low & mask) == (other.low & mask)
        }
        if prefix == 0 { return true }
        let mask: UInt64 = (~UInt64(0) << UInt64(32 - prefix)) & 0xFFFF_FFFF
        return (low & mask) == (other.low & mask)
    }

    private static func parseAddress(_ b: UnsafeBufferPointer<UInt8>) -> (Bool, UInt64, UInt64)? {
        var hasColon = false
        for c in b where c == UInt8(ascii: ":") { hasColon = true; break }
        if !hasColon {
            guard let v4 = parseV4(b) else { return nil }
            return (false, 0, UInt64(v4))
        }
        return parseV6(b).map { (true, $0.0, $0.1) }
    }

    private static func parseV4(_ b: UnsafeBufferPointer<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        var part = 0
        var digits = 0
        var parts = 0
        for c in b {
            if c == UInt8(ascii: ".") {
                guard digits > 0, parts < 3 else { return nil }
                value = value << 8 | UInt32(part)
                parts += 1
                part = 0
                digits = 0
            } else if c >= 0x30 && c <= 0x39 {
                part = part * 10 + Int(c - 0x30)
                digits += 1
                guard part <= 255, digits <= 3 else { return nil }
            } else {
                return nil
            }
        }
        guard digits > 0, parts == 3 else { return nil }
        return value << 8 | UInt32(part)
    }

    private static func parseV6(_ b: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64)? {
        // Up to 8 groups; `::` once; an embedded dotted IPv4 tail counts as two groups.
        var groups = SIMD8<UInt16>()  // no heap allocation on the decision path
        var count = 0
        var gapAt = -1
        var i = 0
        let n = b.count
        guard n >= 2 else { return nil }
        if b[0] == UInt8(ascii: ":") {
            guard b[1] == UInt8(ascii: ":") else { return nil }
            gapAt = 0
            i = 2
        }
        while i < n {
            var j = i
            var v: UInt32 = 0
            var digits = 0
            var isV4Tail = false
            while j < n, b[j] != UInt8(ascii: ":") {
                if b[j] == UInt8(ascii: ".") { isV4Tail = true; break }
                guard let h = hexValue(b[j]) else { return nil }
                v = v << 4 | UInt32(h)
                digits += 1
                guard digits <= 4 else { return nil }
                j += 1
            }
            if isV4Tail {
                guard count <= 6, let v4 = parseV4(UnsafeBufferPointer(rebasing: b[i..<n])) else { return nil }
                groups[count] = UInt16(v4 >> 16)
                groups[count + 1] = UInt16(v4 & 0xFFFF)
                count += 2
                i = n
                break
            }
            guard digits > 0, count < 8 else { return nil }
            groups[count] = UInt16(v)
            count += 1
            if j == n { i = n; break }
            // b[j] == ":"
            if j + 1 < n, b[j + 1] == UInt8(ascii: ":") {
                guard gapAt < 0 else { return nil }
                gapAt = count
                i = j + 2
            } else {
                guard j + 1 < n else { return nil }
                i = j + 1
            }
        }
        if gapAt >= 0 {
            guard count < 8 else { return nil }
            let tailCount = count - gapAt
            var k = tailCount - 1
            while k >= 0 {
                let g = groups[gapAt + k]
                groups[gapAt + k] = 0
                groups[8 - tailCount + k] = g
                k -= 1
            }
        } else {
            guard count == 8 else { return nil }
        }
        var hi: UInt64 = 0
        var lo: UInt64 = 0
        for k in 0..<4 { hi = hi << 16 | UInt64(groups[k]) }
        for k in 4..<8 { lo = lo << 16 | UInt64(groups[k]) }
        return (hi, lo)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}

/// Checks of context values against the types the policy simulator declares (`ContextKeyType`), with the same
/// parsers the condition operators use.
public enum ContextValueCheck {
    /// An IPv4 or IPv6 address, with or without a CIDR suffix.
    public static func isIP(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { IPNetwork.parse($0) != nil }
    }

    /// An ISO 8601 date or epoch seconds, as the Date operators accept.
    public static func isDate(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { ValueParsing.date($0) != nil }
    }

    /// A number, as the Numeric operators accept.
    public static func isNumber(_ s: String) -> Bool {
        WardenPolicy.withUTF8(s) { ValueParsing.number($0) != nil }
    }

    /// `true` or `false` in any case, as the Bool operator accepts.
    public static func isBool(_ s: String) -> Bool {
        WardenPolicy.withUTF8(s) { ValueParsing.bool($0) != nil }
    }

    /// Standard or URL-safe base64, as BinaryEquals accepts.
    public static func isBase64(_ s: String) -> Bool { ValueParsing.base64(s) != nil }
}

/// A set of IPv4/IPv6 networks (`10.0.0.0/8`, `::1`), with the parser the IpAddress operators use: the server
/// uses it for its list of trusted proxies.
public struct IPNetworkSet: Sendable {
    let networks: [IPNetwork]

    /// Parses networks; returns nil if any entry is not an address or CIDR block.
    public init?(_ entries: [String]) {
        var out: [IPNetwork] = []
        for entry in entries {
            var e = entry
            guard let n = e.withUTF8({ IPNetwork.parse($0) }) else { return nil }
            out.append(n)
        }
        networks = out
    }

    /// Whether an address lies in one of the networks (false for anything that is not an address).
    public func contains(_ address: String) -> Bool {
        var a = address
        guard let ip = a.withUTF8({ IPNetwork.parse($0) }) else { return false }
        return networks.contains { $0.contains(ip) }
    }

    public var isEmpty: Bool { networks.isEmpty }
}
