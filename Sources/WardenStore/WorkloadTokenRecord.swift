import Foundation

/// A workload token: a bearer secret a workload presents to `GET /workload/credentials` to receive rotating
/// credentials for the role of an instance profile. Only the token's SHA-256 is stored.
public struct WorkloadTokenRecord: Codable, Sendable {
    /// The public id (`wt-…`), used to list and revoke the token.
    public var id: String
    /// Hex SHA-256 of the token.
    public var tokenHash: String
    /// The instance profile whose role the token gets credentials for.
    public var instanceProfileName: String
    public var description: String?
    public var createDate: Date
    /// The ARN of the principal that created the token.
    public var createdBy: String
    public var lastUsedDate: Date?
    public init(id: String, tokenHash: String, instanceProfileName: String, description: String?, createDate: Date, createdBy: String) {
        self.id = id; self.tokenHash = tokenHash; self.instanceProfileName = instanceProfileName; self.description = description
        self.createDate = createDate; self.createdBy = createdBy
    }
}
