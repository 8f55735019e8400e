import Foundation
import WardenWire

/// An alert raised for the account (`Alert`), with its deliveries.
public struct SecurityAlert: WireJSONDecodable, Equatable {
    /// The alert's id.
    public var alertID: String
    /// The rule that raised it.
    public var rule: String
    /// `LOW`, `MEDIUM`, `HIGH` or `CRITICAL`.
    public var severity: String
    /// The account it concerns.
    public var accountID: String
    /// When it was raised.
    public var time: Date
    /// The audit event that raised it, if one did.
    public var eventID: String?
    /// That event's name.
    public var eventName: String?
    /// The alert's text.
    public var text: String
    /// Its delivery to each sink.
    public var deliveries: [AlertDelivery]

    /// Creates an alert.
    public init(alertID: String, rule: String, severity: String, accountID: String, time: Date, eventID: String? = nil,
                eventName: String? = nil, text: String, deliveries: [AlertDelivery] = []) {
        self.alertID = alertID
        self.rule = rule
        self.severity = severity
        self.accountID = accountID
        self.time = time
        self.eventID = eventID
        self.eventName = eventName
        self.text = text
        self.deliveries = deliveries
    }

    /// Decodes `Alert`.
    public init(wireJSON json: WireJSON) throws(WardenClientError) {
        let r = try ShapeReader(json, shape: "Alert")
        self.init(
            alertID: try r.string("AlertId"), rule: try r.string("Rule"), severity: try r.string("Severity"),
            accountID: try r.string("AccountId"), time: try r.timestamp("Time"), eventID: try r.optionalString("EventId"),
            eventName: try r.optionalString("EventName"), text: try r.string("Text"),
            deliveries: try r.list("Deliveries", of: AlertDelivery.self, required: true))
    }
}
