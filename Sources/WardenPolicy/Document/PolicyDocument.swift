/// A parsed IAM policy document (the AST). Parse with `PolicyDocument.parse(_:kind:)`, print with
/// `jsonString()`; `parse(doc.jsonString(), kind:) == doc` for every valid document.
public struct PolicyDocument: Sendable, Equatable {
    /// The two policy language versions AWS accepts.
    public static let currentVersion = "2012-10-17"
    /// The legacy version: policy variables are literal text.
    public static let legacyVersion = "2008-10-17"

    /// `Version`, nil when absent (AWS then applies the legacy rules).
    public var version: String?
    /// `Id`, if present.
    public var id: String?
    /// The statements in document order.
    public var statements: [PolicyStatement]
    /// Whether `Statement` was written as an array (kept for round trips).
    public var statementIsArray: Bool
    /// The kind the document was validated as.
    public var kind: PolicyKind

    /// Whether `${…}` policy variables are substituted (only under Version 2012-10-17).
    public var substitutesVariables: Bool { version == PolicyDocument.currentVersion }

    /// Creates a document from parts (no validation; `parse` validates).
    public init(version: String? = PolicyDocument.currentVersion, id: String? = nil, statements: [PolicyStatement],
                statementIsArray: Bool = true, kind: PolicyKind = .identity) {
        self.version = version
        self.id = id
        self.statements = statements
        self.statementIsArray = statementIsArray
        self.kind = kind
    }
}

/// One statement of a policy.
public struct PolicyStatement: Sendable, Equatable {
    /// `Allow` or `Deny` (case-sensitive in the grammar).
    public enum Effect: String, Sendable, Equatable, Codable {
        /// Grants the matching requests.
        case allow = "Allow"
        /// Denies the matching requests explicitly (wins over any allow).
        case deny = "Deny"
    }

    /// `Sid`, if present.
    public var sid: String?
    /// `Effect`.
    public var effect: PolicyStatement.Effect
    /// `Principal` or `NotPrincipal`, if present.
    public var principal: Negatable<PrincipalSpec>?
    /// `Action` or `NotAction`, if present.
    public var action: Negatable<ValueList>?
    /// `Resource` or `NotResource`, if present.
    public var resource: Negatable<ValueList>?
    /// `Condition` operator blocks in document order.
    public var conditions: [ConditionBlock]
    /// Whether a `Condition` element was present (possibly empty), for round trips.
    public var hasConditionElement: Bool

    /// Creates a statement.
    public init(sid: String? = nil, effect: PolicyStatement.Effect, principal: Negatable<PrincipalSpec>? = nil,
                action: Negatable<ValueList>? = nil, resource: Negatable<ValueList>? = nil,
                conditions: [ConditionBlock] = [], hasConditionElement: Bool? = nil) {
        self.sid = sid
        self.effect = effect
        self.principal = principal
        self.action = action
        self.resource = resource
        self.conditions = conditions
        self.hasConditionElement = hasConditionElement ?? !conditions.isEmpty
    }
}

/// An element that has a positive and a `Not…` form (`Action`/`NotAction`, …).
public struct Negatable<Value: Sendable & Equatable>: Sendable, Equatable {
    /// The listed values.
    public var value: Value
    /// True for `NotAction`, `NotResource`, `NotPrincipal`.
    public var negated: Bool
    /// Creates an element.
    public init(_ value: Value, negated: Bool = false) { self.value = value; self.negated = negated }
}

/// A string or an array of strings (AWS accepts both wherever a list is expected).
public struct ValueList: Sendable, Equatable, ExpressibleByArrayLiteral, ExpressibleByStringLiteral {
    /// The strings, in order.
    public var values: [String]
    /// Whether the JSON used an array (kept for round trips).
    public var isArray: Bool
    /// Creates a list.
    public init(_ values: [String], isArray: Bool = true) { self.values = values; self.isArray = isArray }
    /// A list written as an array.
    public init(arrayLiteral elements: String...) { self.init(elements) }
    /// A single value written as a scalar string.
    public init(stringLiteral value: String) { self.init([value], isArray: false) }
}

/// The `Principal`/`NotPrincipal` element: `"*"` or a map of principal types to values.
public enum PrincipalSpec: Sendable, Equatable {
    /// `"Principal": "*"`: everyone, including anonymous callers.
    case wildcard
    /// `{"AWS": …, "Service": …, "Federated": …, "CanonicalUser": …}` in document order.
    case map([PrincipalEntry])
}

/// One `type: values` pair of a principal map.
public struct PrincipalEntry: Sendable, Equatable {
    /// `AWS`, `Service`, `Federated` or `CanonicalUser`.
    public var type: String
    /// The principals named.
    public var values: ValueList
    /// Creates an entry.
    public init(type: String, values: ValueList) { self.type = type; self.values = values }
}

/// One `"Operator": {key: values, …}` block of a `Condition` element.
public struct ConditionBlock: Sendable, Equatable {
    /// The operator as written, e.g. `ForAnyValue:StringLikeIfExists`.
    public var operatorName: String
    /// The keys in document order.
    public var entries: [ConditionEntry]
    /// Creates a block.
    public init(operatorName: String, entries: [ConditionEntry]) { self.operatorName = operatorName; self.entries = entries }
}

/// One `"key": values` pair of a condition block.
public struct ConditionEntry: Sendable, Equatable {
    /// The context key as written (matched case-insensitively).
    public var key: String
    /// The policy values (JSON strings, numbers or booleans; compared as their text).
    public var values: [ConditionLiteral]
    /// Whether the JSON used an array.
    public var isArray: Bool
    /// Creates an entry.
    public init(key: String, values: [ConditionLiteral], isArray: Bool = true) {
        self.key = key
        self.values = values
        self.isArray = isArray
    }
}

/// A condition value as written: AWS accepts JSON strings, numbers and booleans and compares their text.
public struct ConditionLiteral: Sendable, Equatable, ExpressibleByStringLiteral {
    /// How the value was written in JSON.
    public enum Form: Sendable, Equatable {
        /// A JSON string.
        case string
        /// A JSON number.
        case number
        /// A JSON boolean.
        case bool
    }
    /// The text of the value (`"true"` for the JSON literal `true`).
    public var text: String
    /// The JSON form, for round trips.
    public var form: Form
    /// Creates a literal.
    public init(_ text: String, form: Form = .string) { self.text = text; self.form = form }
    /// A JSON string literal.
    public init(stringLiteral value: String) { self.init(value) }
}
