/// A parsed condition operator: base operator, optional set qualifier (`ForAllValues:`/`ForAnyValue:`) and
/// optional `IfExists` suffix.
public struct ConditionOperator: Sendable, Equatable, Hashable {
    /// The operators of the IAM policy language (User Guide, "Condition operators").
    public enum Base: String, Sendable, CaseIterable {
        /// Exact, case-sensitive string match and its negation.
        case stringEquals = "StringEquals", stringNotEquals = "StringNotEquals"
        /// Exact match ignoring case, and its negation.
        case stringEqualsIgnoreCase = "StringEqualsIgnoreCase", stringNotEqualsIgnoreCase = "StringNotEqualsIgnoreCase"
        /// Case-sensitive match with `*` and `?` wildcards, and its negation.
        case stringLike = "StringLike", stringNotLike = "StringNotLike"
        /// Numeric equality and inequality.
        case numericEquals = "NumericEquals", numericNotEquals = "NumericNotEquals"
        /// Numeric less-than comparisons.
        case numericLessThan = "NumericLessThan", numericLessThanEquals = "NumericLessThanEquals"
        /// Numeric greater-than comparisons.
        case numericGreaterThan = "NumericGreaterThan", numericGreaterThanEquals = "NumericGreaterThanEquals"
        /// Date equality and inequality (ISO 8601 or epoch seconds).
        case dateEquals = "DateEquals", dateNotEquals = "DateNotEquals"
        /// Date before comparisons.
        case dateLessThan = "DateLessThan", dateLessThanEquals = "DateLessThanEquals"
        /// Date after comparisons.
        case dateGreaterThan = "DateGreaterThan", dateGreaterThanEquals = "DateGreaterThanEquals"
        /// `true`/`false` comparison.
        case bool = "Bool"
        /// Byte comparison of base64-encoded values.
        case binaryEquals = "BinaryEquals"
        /// IPv4/IPv6 CIDR containment and its negation.
        case ipAddress = "IpAddress", notIpAddress = "NotIpAddress"
        /// Segment-wise ARN matching (Equals and Like behave the same) and the negations.
        case arnEquals = "ArnEquals", arnLike = "ArnLike", arnNotEquals = "ArnNotEquals", arnNotLike = "ArnNotLike"
        /// Key presence: `true` = absent, `false` = present.
        case null = "Null"

        /// Negated operators match a missing key, and several policy values combine as NOR.
        public var isNegated: Bool {
            switch self {
            case .stringNotEquals, .stringNotEqualsIgnoreCase, .stringNotLike, .numericNotEquals, .dateNotEquals,
                 .notIpAddress, .arnNotEquals, .arnNotLike:
                return true
            default:
                return false
            }
        }

        /// The family decides how values are parsed and compared.
        public var family: Family {
            switch self {
            case .stringEquals, .stringNotEquals, .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase, .stringLike, .stringNotLike:
                return .string
            case .numericEquals, .numericNotEquals, .numericLessThan, .numericLessThanEquals, .numericGreaterThan,
                 .numericGreaterThanEquals:
                return .numeric
            case .dateEquals, .dateNotEquals, .dateLessThan, .dateLessThanEquals, .dateGreaterThan, .dateGreaterThanEquals:
                return .date
            case .bool: return .bool
            case .binaryEquals: return .binary
            case .ipAddress, .notIpAddress: return .ip
            case .arnEquals, .arnLike, .arnNotEquals, .arnNotLike: return .arn
            case .null: return .null
            }
        }

        /// Whether `${…}` policy variables are substituted in this operator's values.
        public var acceptsVariables: Bool {
            switch family {
            case .string, .arn, .bool: return true
            default: return false
            }
        }
    }

    /// `ForAllValues:` / `ForAnyValue:` set qualifiers for multivalued keys.
    public enum Qualifier: String, Sendable {
        /// No qualifier: the key is expected to be single-valued.
        case none = ""
        /// Every request value must match (true when the key is missing or empty).
        case forAllValues = "ForAllValues:"
        /// At least one request value must match (false when the key is missing or empty).
        case forAnyValue = "ForAnyValue:"
    }

    /// How an operator's values are parsed and compared.
    public enum Family: Sendable { case string, numeric, date, bool, binary, ip, arn, null }

    /// The base operator.
    public var base: Base
    /// The set qualifier.
    public var qualifier: Qualifier
    /// Whether the `IfExists` suffix is present (a missing key then matches).
    public var ifExists: Bool

    /// Parses an operator name such as `ForAnyValue:StringNotLikeIfExists`; nil if unknown. Names are case-sensitive.
    public init?(_ name: String) {
        var rest = Substring(name)
        if rest.hasPrefix(Qualifier.forAllValues.rawValue) {
            qualifier = .forAllValues
            rest = rest.dropFirst(Qualifier.forAllValues.rawValue.count)
        } else if rest.hasPrefix(Qualifier.forAnyValue.rawValue) {
            qualifier = .forAnyValue
            rest = rest.dropFirst(Qualifier.forAnyValue.rawValue.count)
        } else {
            qualifier = .none
        }
        ifExists = false
        if rest.hasSuffix("IfExists") {
            ifExists = true
            rest = rest.dropLast("IfExists".count)
        }
        guard let base = Base(rawValue: String(rest)) else { return nil }
        self.base = base
    }

    /// The operator's name as AWS writes it.
    public var name: String { qualifier.rawValue + base.rawValue + (ifExists ? "IfExists" : "") }
}
