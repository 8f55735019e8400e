import Foundation

/// The source of the current time, injectable so tests can move time.
public protocol WallClock: Sendable {
    /// The current instant.
    func now() -> Date
}

/// The system's clock.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// The system's clock moved by a fixed offset: for tests that need days to pass (unused keys, key age, password
/// expiry). Off unless `WARDEN_TESTING_CLOCK_OFFSET_SECONDS` is set, and the server says so loudly when it is.
/// Clients must sign requests with the same shifted time, or SigV4 refuses them as too far from the server's.
public struct OffsetClock: WallClock {
    public let offset: TimeInterval
    public init(offset: TimeInterval) { self.offset = offset }
    public func now() -> Date { Date().addingTimeInterval(offset) }
}
