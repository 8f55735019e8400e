/// The constraints of a string (or blob) shape in the model: length bounds and a pattern.
/// (Rules are classes so that passing one per member is a single retain.)
final class StringRule: Sendable {
    let min: Int?
    let max: Int?
    let pattern: Pattern?

    /// `pattern` is compiled once; the generator only emits patterns this module's tests compile.
    init(min: Int? = nil, max: Int? = nil, pattern: String? = nil) {
        self.min = min
        self.max = max
        if let pattern {
            guard let compiled = Pattern(pattern) else { preconditionFailure("unsupported model pattern \(pattern)") }
            self.pattern = compiled
        } else {
            self.pattern = nil
        }
    }

    /// The violated constraints, in AWS's order (max length, min length, pattern). Lengths count Unicode
    /// scalars (code points), as Smithy defines string length.
    func violations(_ value: String) -> [String] {
        var out: [String] = []
        var tooLong = false
        if min != nil || max != nil {
            let n = StringRule.scalarCount(value)
            if let max, n > max { out.append(Constraint.maxLength(max)); tooLong = true }
            if let min, n < min { out.append(Constraint.minLength(min)) }
        }
        // The backtracking matcher recurses per repetition of a group; on a value that already breaks the
        // length limit a group pattern is not evaluated, so a huge input cannot exhaust the stack.
        if let pattern, !(tooLong && !pattern.isLinear), !pattern.matches(value) {
            out.append(Constraint.pattern(pattern.source))
        }
        return out
    }

    /// The number of Unicode scalars: UTF-8 bytes that do not continue a sequence.
    static func scalarCount(_ value: String) -> Int {
        let fast = value.utf8.withContiguousStorageIfAvailable { buf in
            var n = 0
            for b in buf where b & 0xC0 != 0x80 { n += 1 }
            return n
        }
        return fast ?? value.unicodeScalars.count
    }

    /// The violated length constraints of a blob (its byte count).
    func violations(byteCount n: Int) -> [String] {
        var out: [String] = []
        if let max, n > max { out.append(Constraint.maxLength(max)) }
        if let min, n < min { out.append(Constraint.minLength(min)) }
        return out
    }

    /// Every constraint, as AWS lists them for a member of a list (`Member must satisfy constraint: […]`).
    var all: [String] {
        var out: [String] = []
        if let max { out.append(Constraint.maxLength(max)) }
        if let min { out.append(Constraint.minLength(min)) }
        if let pattern { out.append(Constraint.pattern(pattern.source)) }
        return out
    }
}

/// The value bounds of an integer shape.
final class IntRule: Sendable {
    let min: Int?
    let max: Int?

    init(min: Int? = nil, max: Int? = nil) {
        self.min = min
        self.max = max
    }

    func violations(_ v: Int) -> [String] {
        var out: [String] = []
        if let max, v > max { out.append(Constraint.maxValue(max)) }
        if let min, v < min { out.append(Constraint.minValue(min)) }
        return out
    }

    var all: [String] {
        var out: [String] = []
        if let max { out.append(Constraint.maxValue(max)) }
        if let min { out.append(Constraint.minValue(min)) }
        return out
    }
}

/// The length bounds of a list or map shape.
final class CountRule: Sendable {
    let min: Int?
    let max: Int?

    init(min: Int? = nil, max: Int? = nil) {
        self.min = min
        self.max = max
    }

    func violations(_ n: Int) -> [String] {
        var out: [String] = []
        if let max, n > max { out.append(Constraint.maxLength(max)) }
        if let min, n < min { out.append(Constraint.minLength(min)) }
        return out
    }
}

/// The constraint sentences of AWS validation messages.
enum Constraint {
    static let notNull = "Member must not be null"
    static func maxLength(_ n: Int) -> String { "Member must have length less than or equal to \(n)" }
    static func minLength(_ n: Int) -> String { "Member must have length greater than or equal to \(n)" }
    static func maxValue(_ n: Int) -> String { "Member must have value less than or equal to \(n)" }
    static func minValue(_ n: Int) -> String { "Member must have value greater than or equal to \(n)" }
    static func pattern(_ p: String) -> String { "Member must satisfy regular expression pattern: \(p)" }
    static func enumeration(_ values: [String]) -> String { "Member must satisfy enum value set: [\(values.joined(separator: ", "))]" }
    static func members(_ constraints: [String]) -> String { "Member must satisfy constraint: [\(constraints.joined(separator: ", "))]" }
    // Type errors have no AWS sentence of the constraint kind; these follow the same shape.
    static let integer = "Member must be an integer"
    static let boolean = "Member must be a boolean (true or false)"
    static let timestamp = "Member must be an ISO 8601 timestamp"
    static let base64 = "Member must be base64-encoded binary data"
    // JSON bodies carry types of their own; a value of the wrong JSON type is reported like a constraint.
    static let string = "Member must be a string"
    static let number = "Member must be a number"
    static let structure = "Member must be a structure (a JSON object)"
    static let list = "Member must be a list (a JSON array)"
    static let map = "Member must be a map (a JSON object)"
    static let epochTimestamp = "Member must be a timestamp (epoch seconds or ISO 8601)"
    static func mapKeys(_ constraints: [String]) -> String { "Map keys must satisfy constraint: [\(constraints.joined(separator: ", "))]" }
    static func mapValues(_ constraints: [String]) -> String { "Map value must satisfy constraint: [\(constraints.joined(separator: ", "))]" }
}
