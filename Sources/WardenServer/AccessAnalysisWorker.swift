import Dispatch
import ServiceLifecycle
import WardenService

/// Runs Access Analyzer's scans off the request path: it wakes when the call-event stream or an analyzer
/// operation schedules an account (a trust policy changed, an analyzer was created) and reasons on a dispatch
/// thread, so SMT solving never holds a thread of Swift's cooperative pool. At start it schedules every account
/// that has an analyzer, so changes made while the server was down are analysed too, and every five minutes
/// those with an unused-access analyzer, since time passing alone makes access unused.
struct AccessAnalysisWorker: Service {
    let service: WardenService
    static let queue = DispatchQueue(label: "warden.access-analysis", qos: .utility)

    /// How often unused-access analyzers are brought up to date while nothing else asks for a scan.
    static let unusedAccessInterval: Duration = .seconds(300)

    func run() async throws {
        let analysis = service.accessAnalysis
        let service = self.service
        analysis.scheduleAll(service)
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: Self.unusedAccessInterval)
                        analysis.scheduleUnusedAccess(service)
                    }
                }
                for await _ in analysis.wakeups {
                    if Task.isCancelled { break }
                    await scanOffPool()
                }
                group.cancelAll()
            }
        }
    }

    func scanOffPool() async {
        let service = self.service
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Self.queue.async {
                service.accessAnalysis.scanPending(service)
                done.resume()
            }
        }
    }
}
