import Foundation

/// One recorded API call: the CloudTrail record as JSON text plus the columns LookupEvents filters on.
public struct AuditEntry: Sendable, Equatable {
    /// The store's sequence number, ascending in insertion order (0 until stored).
    public var sequence: Int64
    /// CloudTrail's `eventID`.
    public var eventID: String
    /// The account the call was made in (`recipientAccountId`).
    public var account: String
    /// `eventTime`.
    public var time: Date
    /// `eventName`, e.g. `CreateUser`.
    public var eventName: String
    /// `eventSource`, e.g. `iam.amazonaws.com`.
    public var eventSource: String
    /// `awsRegion`.
    public var region: String
    /// The user name LookupEvents matches `Username` against (the IAM user, role session or `root`).
    public var username: String?
    /// `userIdentity.accessKeyId`.
    public var accessKeyID: String?
    /// `readOnly`.
    public var readOnly: Bool
    /// The resources the call touched, for `ResourceType` / `ResourceName` lookups.
    public var resources: [AuditResource]
    /// The whole CloudTrail record, as JSON text. INVARIANT: contains no secret (built by the redacting recorder).
    public var record: String

    /// Creates an entry.
    public init(sequence: Int64 = 0, eventID: String, account: String, time: Date, eventName: String, eventSource: String,
                region: String, username: String?, accessKeyID: String?, readOnly: Bool, resources: [AuditResource],
                record: String) {
        self.sequence = sequence; self.eventID = eventID; self.account = account; self.time = time
        self.eventName = eventName; self.eventSource = eventSource; self.region = region; self.username = username
        self.accessKeyID = accessKeyID; self.readOnly = readOnly; self.resources = resources; self.record = record
    }
}

/// A resource named by an audit entry (`AWS::IAM::User`, `arn:aws:iam::…:user/alice`).
public struct AuditResource: Sendable, Equatable {
    /// The CloudFormation-style type, e.g. `AWS::IAM::Role`.
    public var type: String
    /// The resource's ARN (or name, where it has no ARN).
    public var name: String
    /// Creates a resource.
    public init(type: String, name: String) { self.type = type; self.name = name }
}

/// What LookupEvents asks for: one account's entries in a time range, optionally matching one attribute,
/// newest first, after a page cursor.
public struct AuditQuery: Sendable, Equatable {
    /// The attributes LookupEvents can filter on.
    public enum Attribute: Sendable, Equatable {
        case eventID(String), eventName(String), readOnly(Bool), username(String), resourceType(String)
        case resourceName(String), eventSource(String), accessKeyID(String)
    }
    public var account: String
    public var attribute: Attribute?
    public var start: Date?
    public var end: Date?
    /// The page cursor: only entries strictly older than this (time, sequence) pair.
    public var before: (time: Date, sequence: Int64)?
    public var limit: Int

    /// Creates a query.
    public init(account: String, attribute: Attribute? = nil, start: Date? = nil, end: Date? = nil,
                before: (time: Date, sequence: Int64)? = nil, limit: Int) {
        self.account = account; self.attribute = attribute; self.start = start; self.end = end
        self.before = before; self.limit = limit
    }

    public static func == (a: AuditQuery, b: AuditQuery) -> Bool {
        a.account == b.account && a.attribute == b.attribute && a.start == b.start && a.end == b.end
            && a.before?.time == b.before?.time && a.before?.sequence == b.before?.sequence && a.limit == b.limit
    }

    /// Whether an entry satisfies the query (the reference semantics every backend implements).
    public func matches(_ e: AuditEntry) -> Bool {
        guard e.account == account else { return false }
        if let start, e.time < start { return false }
        if let end, e.time > end { return false }
        if let before, !(e.time < before.time || (e.time == before.time && e.sequence < before.sequence)) { return false }
        switch attribute {
        case nil: return true
        case .eventID(let v): return e.eventID == v
        case .eventName(let v): return e.eventName == v
        case .readOnly(let v): return e.readOnly == v
        case .username(let v): return e.username == v
        case .resourceType(let v): return e.resources.contains { $0.type == v }
        case .resourceName(let v): return e.resources.contains { $0.name == v }
        case .eventSource(let v): return e.eventSource == v
        case .accessKeyID(let v): return e.accessKeyID == v
        }
    }
}

/// The audit trail's storage: appended entries, queried newest first, read in sequence for log file delivery.
public protocol AuditLog: Sendable {
    /// Appends entries in one transaction (durable when it returns).
    func append(_ entries: [AuditEntry]) throws
    /// Entries matching a query, newest first (time, then sequence), at most `query.limit`.
    func lookup(_ query: AuditQuery) throws -> [AuditEntry]
    /// Entries with a sequence greater than `sequence`, ascending, at most `limit`.
    func entries(after sequence: Int64, limit: Int) throws -> [AuditEntry]
    /// Visits the records with a sequence greater than `sequence`, ascending, at most `limit`, without making
    /// entries of them: `body` gets the account, region, time and the record's JSON bytes (valid only during the
    /// call). Returns the sequence of the last one visited, nil if none. Delivery to log files reads this way.
    func forEachRecord(after sequence: Int64, limit: Int,
                       _ body: (_ account: String, _ region: String, _ time: Date, _ record: UnsafeRawBufferPointer) throws -> Void) throws -> Int64?
    /// Removes entries older than `date`; returns how many.
    @discardableResult func prune(before date: Date) throws -> Int
}
