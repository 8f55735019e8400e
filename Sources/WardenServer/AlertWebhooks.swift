import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import WardenService
import WardenStore

/// Posts alerts to their webhooks: each delivery is its own task, so a slow or unreachable sink delays nothing
/// else, and API calls never wait for any of it (the engine only queues). An attempt that times out or gets no
/// 2xx is retried after 1, 2, 4 … seconds (at most 60) until the sink's `maxAttempts`; every attempt's outcome is
/// written to the alert's deliveries, which `ListAlerts` shows.
struct AlertWebhooks: Service {
    let service: WardenService
    let logger: Logger

    func run() async throws {
        let outbox = service.alerts.outbox
        let client = HTTPClient(eventLoopGroupProvider: .singleton,
                                configuration: .init(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5))))
        // A graceful shutdown ends the wake-ups, so the loop ends; deliveries under way are cancelled with the group.
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await _ in outbox.wakeups {
                    for item in outbox.take() {
                        group.addTask { await deliver(item, client: client) }
                    }
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            outbox.finish()
        }
        try? await client.shutdown()
    }

    /// Delivers one alert to one webhook, with retries.
    func deliver(_ item: AlertOutbox.Item, client: HTTPClient) async {
        var attempt = 0
        while true {
            attempt += 1
            var request = HTTPClientRequest(url: item.sink.url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "User-Agent", value: "Warden-Alerts/1.0")
            request.body = .bytes(ByteBuffer(bytes: item.payload))
            var failure: String?
            do {
                let response = try await client.execute(request, timeout: .milliseconds(Int64(item.sink.timeoutSeconds * 1000)))
                _ = try? await response.body.collect(upTo: 64 * 1024)
                if !(200..<300).contains(Int(response.status.code)) { failure = "HTTP \(response.status.code)" }
            } catch {
                failure = Self.describe(error)
            }
            let done = failure == nil || attempt >= item.sink.maxAttempts
            note(item, attempt: attempt, failure: failure, final: done)
            if done {
                if let failure {
                    logger.error("alerts: gave up delivering \(item.alertID) to `\(item.sink.name)` after \(attempt) attempts: \(failure)")
                }
                return
            }
            let wait = min(60.0, pow(2.0, Double(attempt - 1)))
            do { try await Task.sleep(for: .milliseconds(Int(wait * 1000))) } catch { return }
        }
    }

    /// Writes an attempt's outcome to the alert.
    private func note(_ item: AlertOutbox.Item, attempt: Int, failure: String?, final: Bool) {
        let now = service.clock.now()
        do {
            try service.store.write(account: item.account) { state in
                guard var alert = state.alerts[item.alertID], let i = alert.deliveries.firstIndex(where: { $0.sink == item.sink.name }) else { return }
                alert.deliveries[i].attempts = attempt
                alert.deliveries[i].lastError = failure
                if failure == nil {
                    alert.deliveries[i].status = "DELIVERED"
                    alert.deliveries[i].deliveredAt = now
                } else if final {
                    alert.deliveries[i].status = "FAILED"
                }
                state.alerts[item.alertID] = alert
            }
        } catch {
            logger.error("alerts: could not note a delivery of \(item.alertID)", metadata: ["error": "\(error)"])
        }
    }

    /// A short reason for a failed attempt (never the payload).
    static func describe(_ error: any Error) -> String {
        if let e = error as? HTTPClientError {
            if e == .deadlineExceeded || e == .readTimeout { return "timed out" }
            if e == .connectTimeout { return "connection timed out" }
        }
        let text = "\(error)"
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        return String(text.prefix(200))
    }
}
