import Foundation

/// A log file the writer delivered.
public struct DeliveredLogFile: Sendable, Hashable {
    /// The account and region of its records.
    public var chain: AuditChainID
    /// The bucket it was delivered to.
    public var bucket: String
    /// Its S3 key (and path below the audit root).
    public var key: String
    /// Lowercase hex SHA-256 of its uncompressed contents, as its digest will list it.
    public var sha256: String
    /// How many records it holds.
    public var recordCount: Int
    /// The oldest event time among its records, to the second.
    public var oldestEventTime: Date
    /// The newest event time among its records, to the second.
    public var newestEventTime: Date
}

/// A digest file the writer delivered.
public struct DeliveredDigest: Sendable, Hashable {
    /// The account and region it covers.
    public var chain: AuditChainID
    /// The bucket it was delivered to.
    public var bucket: String
    /// Its S3 key.
    public var key: String
    /// `digestStartTime`: the previous digest's end, or when the chain began.
    public var startTime: Date
    /// `digestEndTime`, also the timestamp in its key.
    public var endTime: Date
    /// How many log files it lists (zero for a digest of a quiet interval).
    public var logFileCount: Int
    /// Its signature, lowercase hex (the `x-amz-meta-signature` value).
    public var signature: String
    /// The key of the digest it links to; nil for the first digest of a chain.
    public var previousKey: String?
}

/// What `prune(olderThan:)` removed.
public struct AuditPruneSummary: Sendable, Hashable {
    /// Digest files removed.
    public var digests: Int
    /// Log files removed.
    public var logFiles: Int
}
