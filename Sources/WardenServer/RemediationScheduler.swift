import Dispatch
import Foundation
import Logging
import ServiceLifecycle
import WardenService

/// Runs the enabled remediations on every account every `intervalSeconds` (from the alerts configuration), the
/// first time one interval after start, on its own thread. Does nothing, and never wakes, when no remediation is enabled (the default).
struct RemediationScheduler: Service {
    let service: WardenService
    let logger: Logger

    func run() async throws {
        let configuration = service.alerts.configuration.remediation
        guard !configuration.enabled.isEmpty else { return }
        logger.notice("remediation enabled: \(configuration.enabled.keys.map(\.rawValue).sorted().joined(separator: ", ")) every \(Int(configuration.intervalSeconds)) s")
        // The first run comes one interval after start, as for a schedule ("every hour"), not at start.
        while !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(configuration.intervalSeconds)) }
            } catch {
                break
            }
            let service = self.service
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                Self.queue.async {
                    let now = service.clock.now()
                    for account in service.store.snapshot().accounts.keys.sorted() {
                        _ = service.remediate(account: account, dryRun: false, now: now)
                    }
                    done.resume()
                }
            }
        }
    }

    static let queue = DispatchQueue(label: "warden.remediation", qos: .utility)
}
