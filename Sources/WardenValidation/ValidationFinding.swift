import WardenPolicy

/// The policy types of ValidatePolicy (`policyType`).
public enum ValidatePolicyType: String, Sendable, CaseIterable {
    /// Inline and managed policies of users, groups and roles.
    case identity = "IDENTITY_POLICY"
    /// Resource-based policies; `validatePolicyResourceType` narrows them (bucket policy, role trust policy …).
    case resource = "RESOURCE_POLICY"
    /// AWS Organizations service control policies.
    case serviceControl = "SERVICE_CONTROL_POLICY"
    /// AWS Organizations resource control policies.
    case resourceControl = "RESOURCE_CONTROL_POLICY"
}

/// The resource types of ValidatePolicy (`validatePolicyResourceType`), for resource policies.
public enum ValidatePolicyResourceType: String, Sendable, CaseIterable {
    case s3Bucket = "AWS::S3::Bucket"
    case s3AccessPoint = "AWS::S3::AccessPoint"
    case s3MultiRegionAccessPoint = "AWS::S3::MultiRegionAccessPoint"
    case s3ObjectLambdaAccessPoint = "AWS::S3ObjectLambda::AccessPoint"
    case roleTrustPolicy = "AWS::IAM::AssumeRolePolicyDocument"
    case dynamoDBTable = "AWS::DynamoDB::Table"
}

/// The impact of a finding (`ValidatePolicyFindingType`).
public enum FindingType: String, Sendable, CaseIterable, Comparable {
    /// A part of the policy is not functional.
    case error = "ERROR"
    /// The policy allows access AWS considers overly permissive.
    case securityWarning = "SECURITY_WARNING"
    /// The policy does not follow a best practice.
    case warning = "WARNING"
    /// A stylistic improvement that does not change access.
    case suggestion = "SUGGESTION"

    var rank: Int {
        switch self {
        case .error: return 0
        case .securityWarning: return 1
        case .warning: return 2
        case .suggestion: return 3
        }
    }

    /// Errors first, suggestions last.
    public static func < (a: FindingType, b: FindingType) -> Bool { a.rank < b.rank }

    /// The section prefix of the check's anchor in the policy check reference.
    var anchorPrefix: String {
        switch self {
        case .error: return "error"
        case .securityWarning: return "security-warning"
        case .warning: return "general-warning"
        case .suggestion: return "suggestion"
        }
    }
}

/// One step of a path through the policy's JSON (`PathElement`, a union: exactly one member is set).
public enum PathElement: Sendable, Equatable, Hashable {
    /// An index into a JSON array.
    case index(Int)
    /// A key of a JSON object (the key itself, e.g. an unknown element name).
    case key(String)
    /// The value of the member with this key.
    case value(String)
    /// A part of a string literal: start index (0-based) and length.
    case substring(start: Int, length: Int)
}

/// A position in the policy text: 1-based line, 0-based column, 0-based offset; columns and offsets count UTF-16
/// code units, as AWS's service does.
public struct Position: Sendable, Equatable, Hashable, Comparable {
    public var line: Int
    public var column: Int
    public var offset: Int
    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }
    public static func < (a: Position, b: Position) -> Bool { a.offset < b.offset }
}

/// A span of the policy text: start inclusive, end exclusive.
public struct Span: Sendable, Equatable, Hashable {
    public var start: Position
    public var end: Position
    public init(start: Position, end: Position) {
        self.start = start
        self.end = end
    }
}

/// Where in the policy a finding applies: a path through the JSON and the span of text it denotes.
public struct ValidationLocation: Sendable, Equatable, Hashable {
    public var path: [PathElement]
    public var span: Span
    public init(path: [PathElement], span: Span) {
        self.path = path
        self.span = span
    }
}

/// One finding of ValidatePolicy (`ValidatePolicyFinding`).
public struct ValidationFinding: Sendable, Equatable {
    public var findingType: FindingType
    /// AWS's issue code, e.g. `PASS_ROLE_WITH_STAR_IN_RESOURCE`.
    public var issueCode: String
    /// AWS's message for the check, with its placeholders filled in.
    public var findingDetails: String
    /// The check's section of AWS's policy check reference.
    public var learnMoreLink: String
    public var locations: [ValidationLocation]

    public init(findingType: FindingType, issueCode: String, findingDetails: String, learnMoreLink: String? = nil,
                locations: [ValidationLocation]) {
        self.findingType = findingType
        self.issueCode = issueCode
        self.findingDetails = findingDetails
        self.learnMoreLink = learnMoreLink ?? ValidationFinding.link(findingType, issueCode)
        self.locations = locations
    }

    /// The reference's base URL.
    public static let referenceURL = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html"

    /// `…#access-analyzer-reference-policy-checks-<type>-<code-in-kebab-case>`.
    public static func link(_ type: FindingType, _ code: String) -> String {
        referenceURL + "#access-analyzer-reference-policy-checks-" + type.anchorPrefix + "-"
            + String(code.lowercased().map { $0 == "_" ? "-" : $0 })
    }
}

extension ValidationFinding {
    /// The finding as a JSON object of the ValidatePolicy response (`findingDetails`, `findingType`, `issueCode`,
    /// `learnMoreLink`, `locations`), members in that order.
    public var json: JSONValue {
        .object([
            .init("findingDetails", .string(findingDetails)),
            .init("findingType", .string(findingType.rawValue)),
            .init("issueCode", .string(issueCode)),
            .init("learnMoreLink", .string(learnMoreLink)),
            .init("locations", .array(locations.map(\.json))),
        ])
    }

    /// A ValidatePolicy response body, `{"findings": [...]}`.
    public static func responseJSON(_ findings: [ValidationFinding]) -> JSONValue {
        .object([.init("findings", .array(findings.map(\.json)))])
    }
}

extension ValidationLocation {
    /// The location as AWS's JSON (`path`, `span`).
    public var json: JSONValue {
        .object([.init("path", .array(path.map(\.json))), .init("span", span.json)])
    }
}

extension PathElement {
    /// The element as AWS's union JSON, e.g. `{"value": "Statement"}`.
    public var json: JSONValue {
        switch self {
        case .index(let i): return .object([.init("index", .number(String(i)))])
        case .key(let k): return .object([.init("key", .string(k))])
        case .value(let v): return .object([.init("value", .string(v))])
        case .substring(let start, let length):
            return .object([.init("substring", .object([.init("start", .number(String(start))),
                                                        .init("length", .number(String(length)))]))])
        }
    }
}

extension Span {
    public var json: JSONValue { .object([.init("start", start.json), .init("end", end.json)]) }
}

extension Position {
    public var json: JSONValue {
        .object([.init("line", .number(String(line))), .init("column", .number(String(column))),
                 .init("offset", .number(String(offset)))])
    }
}
