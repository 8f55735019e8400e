import Foundation
import WardenWire

/// The delivery of one alert to one sink (`AlertDelivery`).
public struct AlertDelivery: WireJSONDecodable, Equatable {
    /// The sink's name.
    public var sink: String
    /// `PENDING`, `DELIVERED` or `FAILED`.
    public var status: String
    /// How many times delivery was tried.
    public var attempts: Int
    /// The last failure, if any.
    public var lastError: String?
    /// When the sink accepted the alert.
    public var deliveredAt: Date?

    /// Creates a delivery.
    public init(sink: String, status: String, attempts: Int, lastError: String? = nil, deliveredAt: Date? = nil) {
        self.sink = sink
        self.status = status
        self.attempts = attempts
        self.lastError = lastError
        self.deliveredAt = deliveredAt
    }

    /// Decodes `AlertDelivery`.
    public init(wireJSON json: WireJSON) throws(WardenClientError) {
        let r = try ShapeReader(json, shape: "AlertDelivery")
        self.init(sink: try r.string("Sink"), status: try r.string("Status"), attempts: try r.int("Attempts"),
                  lastError: try r.optionalString("LastError"), deliveredAt: try r.optionalTimestamp("DeliveredAt"))
    }
}
