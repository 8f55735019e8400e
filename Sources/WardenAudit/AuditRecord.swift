import Foundation

/// One CloudTrail event to deliver: where it belongs and its record, already serialized as a JSON object.
///
/// The audit layer never parses or rewrites `json`; it is embedded verbatim in a log file's `Records`
/// array, so what the caller serialized is byte for byte what a reader of the log file sees.
public struct AuditRecord: Sendable, Hashable {
    /// The 12-digit account whose trail receives the event.
    public var accountID: String
    /// The region the event happened in (`us-east-1` for IAM and other global services).
    public var region: String
    /// The event's `eventTime`; it decides the log file's and digest's oldest and newest event times.
    public var eventTime: Date
    /// The record as a JSON object (`{"eventVersion":...}`).
    public var json: String

    /// Creates a record.
    public init(accountID: String, region: String, eventTime: Date, json: String) {
        self.accountID = accountID
        self.region = region
        self.eventTime = eventTime
        self.json = json
    }
}
