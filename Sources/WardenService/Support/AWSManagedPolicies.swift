import Foundation

/// The AWS managed policies (`arn:aws:iam::aws:policy/…`) with their real documents, shipped as a resource
/// and attachable in every account.
public struct AWSManagedPolicies: Sendable {
    /// One AWS managed policy.
    public struct Policy: Sendable, Decodable {
        public var name: String
        public var path: String
        public var arn: String
        public var description: String?
        public var defaultVersionId: String
        public var createDate: Date
        public var updateDate: Date
        /// The policy document as compact JSON text.
        public var document: String

        enum CodingKeys: String, CodingKey { case name, path, arn, description, defaultVersionId, createDate, updateDate, document }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            path = try c.decodeIfPresent(String.self, forKey: .path) ?? "/"
            arn = try c.decode(String.self, forKey: .arn)
            description = try c.decodeIfPresent(String.self, forKey: .description)
            defaultVersionId = try c.decodeIfPresent(String.self, forKey: .defaultVersionId) ?? "v1"
            createDate = try c.decode(Date.self, forKey: .createDate)
            updateDate = try c.decodeIfPresent(Date.self, forKey: .updateDate) ?? createDate
            let doc = try c.decode(JSONValue.self, forKey: .document)
            document = doc.jsonText
        }
    }

    /// Policies by ARN.
    public let byARN: [String: Policy]
    /// Policies sorted by name.
    public let sorted: [Policy]

    /// Loads the bundled dataset.
    public static func load() throws -> AWSManagedPolicies {
        guard let url = Bundle.module.url(forResource: "aws-managed-policies", withExtension: "json") else {
            return AWSManagedPolicies(byARN: [:], sorted: [])
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let list = try decoder.decode([Policy].self, from: Data(contentsOf: url))
        return AWSManagedPolicies(byARN: Dictionary(list.map { ($0.arn, $0) }, uniquingKeysWith: { a, _ in a }),
                                  sorted: list.sorted { $0.name < $1.name })
    }

    /// The policy with an ARN, if it is an AWS managed policy Warden ships.
    public func policy(_ arn: String) -> Policy? { byARN[arn] }
}

/// Any JSON value, kept in document order, so documents round-trip as written.
indirect enum JSONValue: Decodable, Sendable {
    case string(String), number(String), bool(Bool), null, array([JSONValue]), object([(String, JSONValue)])

    init(from decoder: any Decoder) throws {
        if var a = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !a.isAtEnd { items.append(try a.decode(JSONValue.self)) }
            self = .array(items)
        } else if let o = try? decoder.container(keyedBy: AnyKey.self) {
            self = .object(try o.allKeys.map { ($0.stringValue, try o.decode(JSONValue.self, forKey: $0)) })
        } else {
            let s = try decoder.singleValueContainer()
            if s.decodeNil() { self = .null }
            else if let b = try? s.decode(Bool.self) { self = .bool(b) }
            else if let i = try? s.decode(Int.self) { self = .number(String(i)) }
            else if let d = try? s.decode(Double.self) { self = .number(String(d)) }
            else { self = .string(try s.decode(String.self)) }
        }
    }

    var jsonText: String {
        switch self {
        case .string(let s): return JSONValue.quote(s)
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array(let a): return "[" + a.map(\.jsonText).joined(separator: ",") + "]"
        case .object(let o): return "{" + o.map { JSONValue.quote($0.0) + ":" + $0.1.jsonText }.joined(separator: ",") + "}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
