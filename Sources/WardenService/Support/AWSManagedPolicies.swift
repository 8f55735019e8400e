import Foundation
import WardenCore
import WardenPolicy

/// The AWS managed policies (`arn:aws:iam::aws:policy/…`) with their real documents, shipped as a resource
/// and attachable in every account.
public struct AWSManagedPolicies: Sendable {
    /// One AWS managed policy.
    public struct Policy: Sendable {
        public var name: String
        public var path: String
        public var arn: String
        public var description: String?
        public var defaultVersionId: String
        public var createDate: Date
        public var updateDate: Date
        /// The policy document as compact JSON text, members in AWS's order.
        public var document: String
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
        // The engine's JSON parser keeps members in document order, so documents read back as AWS shows them.
        let root = try WardenPolicy.JSONValue.parse(String(decoding: try Data(contentsOf: url), as: UTF8.self))
        guard case .array(let items) = root else { throw ServiceError(.serviceFailure, "aws-managed-policies.json is not an array") }
        let iso = ISO8601DateFormatter()
        let list: [Policy] = items.compactMap { item in
            guard let name = item["name"]?.stringValue, let arn = item["arn"]?.stringValue, let document = item["document"],
                  let created = item["createDate"]?.stringValue.flatMap(iso.date(from:)) else { return nil }
            return Policy(name: name, path: item["path"]?.stringValue ?? "/", arn: arn, description: item["description"]?.stringValue,
                          defaultVersionId: item["defaultVersionId"]?.stringValue ?? "v1", createDate: created,
                          updateDate: item["updateDate"]?.stringValue.flatMap(iso.date(from:)) ?? created,
                          document: document.jsonString)
        }
        return AWSManagedPolicies(byARN: Dictionary(list.map { ($0.arn, $0) }, uniquingKeysWith: { a, _ in a }),
                                  sorted: list.sorted { $0.name < $1.name })
    }

    /// The policy with an ARN, if it is an AWS managed policy Warden ships.
    public func policy(_ arn: String) -> Policy? { byARN[arn] }
}
