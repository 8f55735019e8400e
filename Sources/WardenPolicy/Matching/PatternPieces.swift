/// A read-only view of how the engine compiles patterns and parses typed condition values, for analyses that
/// reason about policies symbolically (WardenReasoning). It is built from the very matchers the evaluator uses,
/// so the two cannot drift apart.
public enum PatternPiece: Sendable, Equatable, Hashable {
    /// Literal text (already lowercased when the pattern folds case).
    case literal(String)
    /// `*`: any run of characters.
    case anyRun
    /// `?`: exactly one character (Unicode scalar).
    case anyCharacter
    /// A policy variable, substituted as literal text: its normalized (lowercased) key, and its default.
    case variable(key: String, fallback: String?)
}

/// How a `Resource` entry or an `Arn…` condition value is matched (see `ARNPattern`).
public enum ResourcePatternShape: Sendable, Equatable {
    /// `*`: every value.
    case anything
    /// A six-segment ARN pattern: the segments as written (`segments[5]` is the resource part).
    case arn([String])
    /// Anything else: matched as a whole, and only against values that are not six-segment ARNs.
    case whole(String)
}

/// The family of an operator decides how its values are parsed and compared.
public enum ConditionValueFamily: String, Sendable, Equatable {
    case string, numeric, date, bool, binary, ip, arn, null
}

/// A parsed IPv4 or IPv6 network as the `IpAddress` operators read it.
public struct ParsedNetwork: Sendable, Equatable {
    /// IPv6 (otherwise IPv4, held in the low 32 bits of `low`).
    public var isV6: Bool
    /// The upper 64 bits of an IPv6 address (0 for IPv4).
    public var high: UInt64
    /// The lower 64 bits (the address itself for IPv4).
    public var low: UInt64
    /// The prefix length (32 or 128 for a bare address).
    public var prefix: Int
}

/// Entry points into the engine's pattern compiler and value parsers.
public enum PolicyPatterns {
    /// The pieces of `text` compiled as the evaluator compiles it.
    /// - Parameters:
    ///   - variables: whether `${…}` is a policy variable (Version 2012-10-17 and an operator that takes them).
    ///   - wildcards: whether `*` and `?` are wildcards (…Like operators, actions, resources).
    ///   - foldCase: whether matching ignores ASCII case (literals come back lowercased).
    public static func pieces(_ text: String, variables: Bool, wildcards: Bool, foldCase: Bool) -> [PatternPiece] {
        let template = Template(text, variables: variables, wildcards: wildcards, foldCase: foldCase)
        var out: [PatternPiece] = []
        for part in template.parts {
            switch part {
            case .variable(let key, _, let fallback):
                out.append(.variable(key: key, fallback: fallback))
            case .pattern(let bytes):
                var run: [UInt8] = []
                func flush() {
                    if !run.isEmpty { out.append(.literal(String(decoding: run, as: UTF8.self))); run = [] }
                }
                for b in bytes {
                    if b == Glob.star { flush(); out.append(.anyRun) }
                    else if b == Glob.question { flush(); out.append(.anyCharacter) }
                    else { run.append(b) }
                }
                flush()
            }
        }
        return out
    }

    /// How a `Resource` entry (or, with `allowAnything`, an `Arn…` value) is split for matching.
    public static func resourceShape(_ text: String, variables: Bool) -> ResourcePatternShape {
        if text == "*" { return .anything }
        let segments = ARNPattern.split(text, honorVariables: variables)
        guard segments.count == 6 else { return .whole(text) }
        return .arn(segments.map(String.init))
    }

    /// A number as the `Numeric…` operators parse it.
    public static func number(_ text: String) -> Double? { withUTF8(text) { ValueParsing.number($0) } }
    /// Seconds since 1970 as the `Date…` operators parse them.
    public static func date(_ text: String) -> Double? { withUTF8(text) { ValueParsing.date($0) } }
    /// A network or address as the `IpAddress` operators parse it.
    public static func network(_ text: String) -> ParsedNetwork? {
        withUTF8(text) { IPNetwork.parse($0) }.map { ParsedNetwork(isV6: $0.isV6, high: $0.high, low: $0.low, prefix: $0.prefix) }
    }
    /// `true`/`false` as the `Null` operator reads them (case-insensitive).
    public static func bool(_ text: String) -> Bool? { withUTF8(text) { ValueParsing.bool($0) } }
    /// The normalized (lowercased) form of a context key.
    public static func normalizedKey(_ key: String) -> String { RequestContext.normalize(key) }
}

extension ConditionOperator.Base {
    /// How this operator's values are parsed and compared.
    public var valueFamily: ConditionValueFamily {
        switch family {
        case .string: return .string
        case .numeric: return .numeric
        case .date: return .date
        case .bool: return .bool
        case .binary: return .binary
        case .ip: return .ip
        case .arn: return .arn
        case .null: return .null
        }
    }

    /// Whether `${…}` policy variables are substituted in this operator's values (under Version 2012-10-17).
    public var substitutesVariables: Bool { acceptsVariables }
}
