import Foundation

/// An alert raised for an account: the rule that matched, the call that matched it, and what became of its
/// delivery to each sink. Kept per account (the newest `AlertRecord.kept`), so `ListAlerts` can say what was
/// delivered where.
public struct AlertRecord: Codable, Sendable, Equatable {
    /// How many alerts an account keeps; older ones are dropped as new ones come.
    public static let kept = 1_000

    /// A time-ordered id (`alert-` and the triggering event's id), unique per account.
    public var id: String
    public var rule: String
    /// `LOW`, `MEDIUM`, `HIGH` or `CRITICAL`.
    public var severity: String
    public var time: Date
    /// The triggering call's CloudTrail `eventID` and `eventName`.
    public var eventID: String?
    public var eventName: String?
    /// One line for a person (also the webhook's Slack-compatible `text`).
    public var text: String
    /// The triggering CloudTrail record (which never holds a secret).
    public var record: String?
    public var deliveries: [Delivery]

    /// One sink's delivery of the alert.
    public struct Delivery: Codable, Sendable, Equatable {
        public var sink: String
        /// `PENDING`, `DELIVERED` or `FAILED` (gave up after the last attempt).
        public var status: String
        public var attempts: Int
        public var lastError: String?
        public var deliveredAt: Date?

        public init(sink: String, status: String, attempts: Int = 0, lastError: String? = nil, deliveredAt: Date? = nil) {
            self.sink = sink; self.status = status; self.attempts = attempts; self.lastError = lastError; self.deliveredAt = deliveredAt
        }
    }

    public init(id: String, rule: String, severity: String, time: Date, eventID: String?, eventName: String?, text: String,
                record: String?, deliveries: [Delivery]) {
        self.id = id; self.rule = rule; self.severity = severity; self.time = time; self.eventID = eventID
        self.eventName = eventName; self.text = text; self.record = record; self.deliveries = deliveries
    }
}
