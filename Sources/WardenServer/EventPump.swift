import Dispatch
import ServiceLifecycle
import WardenService

/// Drains the call-event stream every 100 ms, off the request path: stores the records of calls that no write
/// stored (reads and refusals) and hands every event to the stream's readers. At shutdown it drains once more,
/// so a graceful stop loses nothing; a crash loses at most the last 100 ms of such records.
struct EventPump: Service {
    let service: WardenService
    static let interval: Duration = .milliseconds(100)

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.interval) }
            } catch {
                break
            }
            await drainOffPool()
        }
        service.events.drain(service.store)
    }

    /// Drains on a dispatch thread: building records and the SQLite commit (an fsync) must not hold one of the
    /// few threads of Swift's cooperative pool, which serves requests.
    func drainOffPool() async {
        let service = self.service
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Self.queue.async {
                service.events.drain(service.store)
                done.resume()
            }
        }
    }

    static let queue = DispatchQueue(label: "warden.events.drain", qos: .utility)
}
