import Dispatch
import Foundation
import Logging
import ServiceLifecycle
import WardenAudit
import WardenService
import WardenStore

/// Delivers the audit trail to files, as CloudTrail delivers to a bucket: every `deliveryInterval` the records
/// stored since the last delivery become gzip log files (one per account and region), every `digestInterval` a
/// signed digest per account and region covers the files delivered since the previous digest, and once a day
/// records and files older than the retention are removed. The delivery cursor (the last record's sequence) is
/// a store setting, so a restart neither loses nor repeats a delivery.
struct AuditDelivery: Service {
    let service: WardenService
    let files: AuditFiles
    let deliveryInterval: Double
    let digestInterval: Double
    let retentionDays: Int
    let logger: Logger
    static let cursorSetting = "audit-delivered-sequence"
    static let batch = 5_000

    func run() async throws {
        var nextDigest = service.clock.now().addingTimeInterval(digestInterval)
        var nextPrune = service.clock.now()
        while !Task.isShuttingDownGracefully {
            let now = service.clock.now()
            let wake = min(deliveryInterval, max(0.05, nextDigest.timeIntervalSince(now)))
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(Int(wake * 1000))) }
            } catch {
                break
            }
            let tick = service.clock.now()
            let digest = tick >= nextDigest, pruning = tick >= nextPrune
            await offPool {
                deliverAll(now: tick)
                if digest { writeDigests(now: tick) }
                if pruning { prune(now: tick) }
            }
            if digest { nextDigest = tick.addingTimeInterval(digestInterval) }
            if pruning { nextPrune = tick.addingTimeInterval(86_400) }
        }
    }

    /// Runs `work` on the delivery's own thread. Reading a delivery interval's records back, gzip and the file
    /// writes take long (seconds for minutes of heavy traffic) and must not hold one of the few threads of Swift's
    /// cooperative pool, which serves requests: there they were the audit trail's p99 latency.
    func offPool(_ work: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Self.queue.async {
                work()
                done.resume()
            }
        }
    }

    static let queue = DispatchQueue(label: "warden.audit.delivery", qos: .utility)

    /// Delivers every stored record not yet in a log file.
    func deliverAll(now: Date) {
        service.events.drain(service.store)
        do {
            var cursor = Int64(try service.store.setting(Self.cursorSetting) ?? "") ?? 0
            while true {
                var batch = AuditLogBatch()
                var count = 0
                // A record the files cannot hold (no valid account or region) must not stall delivery for everyone:
                // the batch leaves it out.
                let last = try service.store.auditLog.forEachRecord(after: cursor, limit: Self.batch) { account, region, time, record in
                    batch.append(accountID: account, region: region, eventTime: time, json: record)
                    count += 1
                }
                guard let last else { break }
                let delivered = try files.writer.deliver(batch, now: now)
                files.noteDelivered(logs: delivered, digests: [], at: now)
                cursor = last
                try service.store.setSetting(Self.cursorSetting, String(cursor))
                if count < Self.batch { break }
            }
        } catch {
            logger.error("audit: log file delivery failed", metadata: ["error": "\(error)"])
        }
    }

    /// Writes the digests of every chain (accounts with no records yet start one, so their chain has no gap).
    func writeDigests(now: Date) {
        do {
            let accounts = service.store.snapshot().accounts.keys
            try files.writer.startChains(accounts.map { AuditChainID(accountID: $0, region: "us-east-1") }, now: now)
            let digests = try files.writer.writeDigests(now: now)
            files.noteDelivered(logs: [], digests: digests, at: now)
        } catch {
            logger.error("audit: digest delivery failed", metadata: ["error": "\(error)"])
        }
    }

    /// Removes records and files older than the retention.
    func prune(now: Date) {
        let cutoff = now.addingTimeInterval(-Double(retentionDays) * 86_400)
        do {
            let n = try service.store.auditLog.prune(before: cutoff)
            let summary = try files.writer.prune(olderThan: cutoff)
            if n > 0 || summary.logFiles > 0 || summary.digests > 0 {
                logger.info("audit: pruned \(n) records, \(summary.logFiles) log files and \(summary.digests) digests older than \(retentionDays) days")
            }
        } catch {
            logger.error("audit: pruning failed", metadata: ["error": "\(error)"])
        }
    }
}
