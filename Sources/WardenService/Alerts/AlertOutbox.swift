import Foundation
import Synchronization

/// Alerts waiting for delivery to webhooks. The engine puts them here from the event stream's thread (a lock and
/// an append, so an unreachable sink never slows a call); the server's delivery service takes them and posts
/// them with retries. Bounded: beyond `limit` waiting deliveries the oldest are dropped, and that is logged.
public final class AlertOutbox: Sendable {
    /// One alert for one webhook.
    public struct Item: Sendable {
        public let account: String
        public let alertID: String
        public let sink: AlertsConfiguration.Webhook
        /// The JSON body to post.
        public let payload: [UInt8]
    }

    static let limit = 10_000
    private let queue = Mutex<[Item]>([])
    private let signal: AsyncStream<Void>.Continuation
    /// Yields whenever items arrive (coalesced).
    public let wakeups: AsyncStream<Void>

    init() {
        (wakeups, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues items; returns how many older items had to be dropped.
    @discardableResult
    func enqueue(_ items: [Item]) -> Int {
        guard !items.isEmpty else { return 0 }
        let dropped = queue.withLock { q -> Int in
            q.append(contentsOf: items)
            let over = max(0, q.count - Self.limit)
            if over > 0 { q.removeFirst(over) }
            return over
        }
        signal.yield()
        return dropped
    }

    /// Takes every waiting item.
    public func take() -> [Item] { queue.withLock { q in let all = q; q.removeAll(); return all } }

    /// Ends `wakeups` (at shutdown).
    public func finish() { signal.finish() }
}
