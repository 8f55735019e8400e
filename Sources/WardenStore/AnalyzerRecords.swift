import Foundation

/// An IAM Access Analyzer analyzer of an account, in one region (`AccountState.analyzers`, keyed by
/// `AnalyzerRecord.key`).
public struct AnalyzerRecord: Codable, Sendable, Equatable {
    public var name: String
    public var region: String
    /// `ACCOUNT`, `ORGANIZATION`, `ACCOUNT_UNUSED_ACCESS`, …
    public var type: String
    public var createdAt: Date
    public var tags: [String: String]
    /// Days without use after which access is unused (`ACCOUNT_UNUSED_ACCESS` analyzers).
    public var unusedAccessAge: Int?
    /// Unused-access exclusions: account ids, and tag sets (a resource with every tag of one set is excluded).
    public var excludedAccounts: [String]
    public var excludedTags: [[String: String]]
    /// The archive rules by name, in creation order.
    public var archiveRules: [ArchiveRuleRecord]
    public var lastResourceAnalyzed: String?
    public var lastResourceAnalyzedAt: Date?

    public init(name: String, region: String, type: String, createdAt: Date, tags: [String: String] = [:], unusedAccessAge: Int? = nil,
                excludedAccounts: [String] = [], excludedTags: [[String: String]] = [], archiveRules: [ArchiveRuleRecord] = []) {
        self.name = name; self.region = region; self.type = type; self.createdAt = createdAt; self.tags = tags
        self.unusedAccessAge = unusedAccessAge; self.excludedAccounts = excludedAccounts; self.excludedTags = excludedTags
        self.archiveRules = archiveRules
    }

    /// The table key: region and name (names are unique per account and region).
    public static func key(region: String, name: String) -> String { "\(region)/\(name)" }
    public var key: String { Self.key(region: region, name: name) }
}

/// An archive rule: findings that match every criterion of `filter` are archived when they are raised (and, with
/// ApplyArchiveRule, retroactively).
public struct ArchiveRuleRecord: Codable, Sendable, Equatable {
    public var name: String
    public var filter: [String: FindingCriterion]
    public var createdAt: Date
    public var updatedAt: Date
    public init(name: String, filter: [String: FindingCriterion], createdAt: Date, updatedAt: Date) {
        self.name = name; self.filter = filter; self.createdAt = createdAt; self.updatedAt = updatedAt
    }
}

/// One criterion of a findings filter (Access Analyzer's `Criterion`).
public struct FindingCriterion: Codable, Sendable, Equatable {
    public var eq: [String]?
    public var neq: [String]?
    public var contains: [String]?
    public var exists: Bool?
    public init(eq: [String]? = nil, neq: [String]? = nil, contains: [String]? = nil, exists: Bool? = nil) {
        self.eq = eq; self.neq = neq; self.contains = contains; self.exists = exists
    }
}

/// A finding of an analyzer (`AccountState.analyzerFindings`, keyed by id).
public struct AnalyzerFindingRecord: Codable, Sendable, Equatable {
    public var id: String
    /// The analyzer's `AnalyzerRecord.key`.
    public var analyzer: String
    /// `ExternalAccess`, `UnusedIAMRole`, `UnusedIAMUserAccessKey`, `UnusedIAMUserPassword`, `UnusedPermission`.
    public var findingType: String
    public var resource: String
    /// `AWS::IAM::Role`, `AWS::IAM::User`, …
    public var resourceType: String
    public var resourceOwnerAccount: String
    /// `ACTIVE`, `ARCHIVED` or `RESOLVED`.
    public var status: String
    public var createdAt: Date
    public var updatedAt: Date
    public var analyzedAt: Date
    /// External access: who, what and under which conditions.
    public var principal: [String: String]?
    public var actions: [String]?
    public var condition: [String: String]?
    public var isPublic: Bool?
    /// Unused access: the details of the finding (one per unused service for `UnusedPermission`).
    public var details: [UnusedAccessDetails]?
    /// What distinguishes this finding from others on the same resource (the way in, or the unused credential).
    public var fingerprint: String

    public init(id: String, analyzer: String, findingType: String, resource: String, resourceType: String, resourceOwnerAccount: String,
                status: String, createdAt: Date, updatedAt: Date, analyzedAt: Date, principal: [String: String]? = nil,
                actions: [String]? = nil, condition: [String: String]? = nil, isPublic: Bool? = nil,
                details: [UnusedAccessDetails]? = nil, fingerprint: String) {
        self.id = id; self.analyzer = analyzer; self.findingType = findingType; self.resource = resource
        self.resourceType = resourceType; self.resourceOwnerAccount = resourceOwnerAccount; self.status = status
        self.createdAt = createdAt; self.updatedAt = updatedAt; self.analyzedAt = analyzedAt; self.principal = principal
        self.actions = actions; self.condition = condition; self.isPublic = isPublic; self.details = details
        self.fingerprint = fingerprint
    }
}

/// The details of an unused-access finding.
public struct UnusedAccessDetails: Codable, Sendable, Equatable {
    /// When the role, key or password was last used (nil: never).
    public var lastAccessed: Date?
    /// The access key id (UnusedIAMUserAccessKey).
    public var accessKeyID: String?
    /// UnusedPermission: the unused service namespace, and its unused actions with their last use.
    public var serviceNamespace: String?
    public var actions: [UnusedActionRecord]?
    public init(lastAccessed: Date? = nil, accessKeyID: String? = nil, serviceNamespace: String? = nil, actions: [UnusedActionRecord]? = nil) {
        self.lastAccessed = lastAccessed; self.accessKeyID = accessKeyID; self.serviceNamespace = serviceNamespace; self.actions = actions
    }
}

public struct UnusedActionRecord: Codable, Sendable, Equatable {
    public var action: String
    public var lastAccessed: Date?
    public init(action: String, lastAccessed: Date?) { self.action = action; self.lastAccessed = lastAccessed }
}

/// A resource an analyzer analysed, and when (`AccountState.analyzedResources`, keyed by analyzer key, a newline
/// and the resource ARN).
public struct AnalyzedResourceRecord: Codable, Sendable, Equatable {
    public var analyzer: String
    public var resourceArn: String
    public var resourceType: String
    public var createdAt: Date
    public var analyzedAt: Date
    public var updatedAt: Date
    /// A digest of the policy analysed: the resource is re-analysed only when it changes.
    public var policyDigest: String
    public var isPublic: Bool
    public var actions: [String]
    public var error: String?

    public init(analyzer: String, resourceArn: String, resourceType: String, createdAt: Date, analyzedAt: Date, updatedAt: Date,
                policyDigest: String, isPublic: Bool, actions: [String], error: String? = nil) {
        self.analyzer = analyzer; self.resourceArn = resourceArn; self.resourceType = resourceType; self.createdAt = createdAt
        self.analyzedAt = analyzedAt; self.updatedAt = updatedAt; self.policyDigest = policyDigest; self.isPublic = isPublic
        self.actions = actions; self.error = error
    }

    public static func key(analyzer: String, resource: String) -> String { "\(analyzer)\n\(resource)" }
    public var key: String { Self.key(analyzer: analyzer, resource: resourceArn) }
}
