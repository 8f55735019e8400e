import Foundation

/// A parsed audit key.
public enum AuditObjectKey: Sendable, Hashable {
    /// A log file of CloudTrail records.
    case logFile(LogFileKey)
    /// A digest file.
    case digest(DigestKey)

    /// A parsed log file key.
    public struct LogFileKey: Sendable, Hashable {
        /// The key.
        public var key: String
        /// The account and region of its records.
        public var chain: AuditChainID
        /// The delivery time in the name, at minute resolution.
        public var deliveredAt: Date
        /// The random suffix that makes the name unique.
        public var unique: String
    }

    /// A parsed digest key.
    public struct DigestKey: Sendable, Hashable {
        /// The key.
        public var key: String
        /// The account and region the digest covers.
        public var chain: AuditChainID
        /// The trail's name.
        public var trailName: String
        /// The trail's home region.
        public var homeRegion: String
        /// The digest's end time, from the name.
        public var endTime: Date
    }
}
