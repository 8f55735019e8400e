import WardenWire

/// A compiled Amazon EventBridge event pattern: alert rules use it to pick CloudTrail records.
///
/// The syntax is EventBridge's (and that of `aws/event-ruler`, the library behind it):
/// - A pattern is a non-empty object. Every field in it must match (AND); fields of the event that the pattern does
///   not name are ignored. A field's value is either a nested object, which descends into the event, or a non-empty
///   array of alternatives (OR). Any other value is an error.
/// - An alternative is a string, number, `true`, `false` or `null`, matched exactly and case-sensitively (strings
///   byte for byte, numbers numerically so that `5` matches `5.0`; a string that is an IP address matches the same
///   address however the event spells it), or an operator object: `prefix`, `suffix` (each also as
///   `{"equals-ignore-case": …}`), `equals-ignore-case`, `wildcard`, `anything-but` (a value, a list of strings or of
///   numbers, or `{"prefix" | "suffix" | "equals-ignore-case" | "wildcard": string or list}`), `numeric`, `exists`
///   and `cidr`.
/// - `"$or": [{…}, {…}, …]` at any object level matches when any branch does; like EventBridge, Warden multiplies
///   the branches out into separate conjunctions, so a path named both outside and inside a branch takes the value
///   written last, and a branch's fields and the fields next to the `$or` must hold in the same array element.
/// - When the event's value is an array, the field matches if any element does; nested objects inside arrays are
///   matched element by element, so two fields of one pattern object never match in two different elements.
/// - `null` matches JSON null and `""` the empty string; neither matches a missing field. Only
///   `{"exists": false}` matches a missing field, and it treats an object or an empty array as "no value here", as
///   EventBridge does (exists works on leaves only). Inside an array of objects, a pattern object that can only match
///   by absence matches when no element has the field.
///
/// Bounds, so that a user's pattern cannot make matching expensive (EventBridge has similar quotas):
/// - at most `maxDepth` (32) levels of JSON nesting in the pattern;
/// - at most `maxValues` (1,000) values across all its leaf arrays and operator operands;
/// - at most `maxCombinations` (1,000) `$or` combinations (EventBridge's documented limit), and at most
///   `maxConditions` (100,000) leaf conditions across them, which bounds the compiled size;
/// - wildcard matching is the two-pointer glob algorithm: O(pattern × value) at worst, never exponential.
///
/// The pattern is compiled once into a tree of matchers; `matches(_:)` parses nothing and allocates nothing for
/// native strings.
public struct EventPattern: Sendable {
    /// The deepest nesting of JSON objects and arrays a pattern may have (the pattern object itself is level 1).
    public static let maxDepth = 32
    /// The most values a pattern may list, counting every alternative and every operand value.
    public static let maxValues = 1_000
    /// The most conjunctions that `$or` may expand into: EventBridge's documented limit.
    public static let maxCombinations = 1_000
    /// The most leaf conditions across all `$or` combinations, which bounds the compiled pattern's size.
    public static let maxConditions = 100_000

    /// One conjunction per `$or` combination; the pattern matches an event when any of them does.
    let alternatives: [Node]

    /// Validates and compiles a pattern.
    public init(_ pattern: WireJSON) throws(EventPatternError) {
        var compiler = Compiler()
        let draft = try compiler.pattern(pattern)
        let (combinations, conditions) = Self.expansionSize(draft)
        guard combinations <= Self.maxCombinations else {
            throw EventPatternError(.limitExceeded,
                "The pattern's `$or` expands into more than \(Self.maxCombinations) combinations")
        }
        guard conditions <= Self.maxConditions else {
            throw EventPatternError(.limitExceeded,
                "The pattern's `$or` expands into more than \(Self.maxConditions) conditions")
        }
        alternatives = Self.expand(draft).map(Node.init)
    }

    /// Parses JSON text, then validates and compiles it as a pattern.
    ///
    /// The text must be strict JSON: Warden's parser rejects a key written twice in one object, where EventBridge
    /// would silently use the last one.
    public init(json: String) throws(EventPatternError) {
        let value: WireJSON
        do {
            value = try WireJSON(parsing: json)
        } catch {
            throw EventPatternError(.invalidJSON, "The event pattern is not valid JSON: \(error.description)")
        }
        try self.init(value)
    }

    /// Whether `event` (a CloudTrail record, or any JSON object) matches the pattern.
    public func matches(_ event: WireJSON) -> Bool {
        for node in alternatives where node.evaluate(event) != .noMatch { return true }
        return false
    }
}
