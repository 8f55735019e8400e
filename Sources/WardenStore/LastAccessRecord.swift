import Foundation

/// When an entity last used a service, or one tracked action of it: the access advisor's persisted facts
/// (`GenerateServiceLastAccessedDetails`). One row per (entity, service) and per (entity, service, tracked action).
public struct LastAccessRecord: Codable, Sendable, Equatable {
    /// The entity the use counts toward: a user's ARN (with its path), the root user's ARN, or, for role
    /// sessions, the role's ARN without its path (`arn:aws:iam::ACCOUNT:role/NAME`).
    public var entityARN: String
    /// The entity's unique id (`AIDA…`, `AROA…`, the account id for root) when known: a user or role deleted and
    /// created again under the same name has a new id and does not inherit the old one's history.
    public var entityID: String?
    /// The service namespace (`iam`, `s3`).
    public var service: String
    /// The action, for services whose actions are tracked (`ListUsers`); nil for the service-level fact.
    public var action: String?
    /// When the entity last used the service (or action).
    public var time: Date
    /// The region of that use.
    public var region: String

    public init(entityARN: String, entityID: String?, service: String, action: String?, time: Date, region: String) {
        self.entityARN = entityARN; self.entityID = entityID; self.service = service; self.action = action
        self.time = time; self.region = region
    }

    /// The row key: `ENTITY-ARN service` or `ENTITY-ARN service:Action` (IAM names and paths have no spaces).
    public var key: String { Self.key(entityARN: entityARN, service: service, action: action) }

    /// The row key of a fact.
    public static func key(entityARN: String, service: String, action: String?) -> String {
        action.map { "\(entityARN) \(service):\($0)" } ?? "\(entityARN) \(service)"
    }

    /// Whether this fact should replace `older` under the same key: it is later, or it belongs to another
    /// entity of the same name (recreated).
    public func supersedes(_ older: LastAccessRecord) -> Bool {
        time > older.time || (entityID != nil && older.entityID != nil && entityID != older.entityID)
    }
}
