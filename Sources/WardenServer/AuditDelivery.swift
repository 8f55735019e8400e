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
            deliverAll(now: tick)
            if tick >= nextDigest {
                writeDigests(now: tick)
                nextDigest = tick.addingTimeInterval(digestInterval)
            }
            if tick >= nextPrune {
                prune(now: tick)
                nextPrune = tick.addingTimeInterval(86_400)
            }
        }
    }

    /// Delivers every stored record not yet in a log file.
    func deliverAll(now: Date) {
        service.events.drain(service.store)
        do {
            var cursor = Int64(try service.store.setting(Self.cursorSetting) ?? "") ?? 0
            while true {
                let entries = try service.store.auditLog.entries(after: cursor, limit: Self.batch)
                guard let last = entries.last else { break }
                // A record the files cannot hold (no valid account or region) must not stall delivery for everyone.
                let records = entries.filter { AuditChainID.isValid(account: $0.account, region: $0.region) }
                    .map { AuditRecord(accountID: $0.account, region: $0.region, eventTime: $0.time, json: $0.record) }
                let delivered = try files.writer.deliver(records, now: now)
                files.noteDelivered(logs: delivered, digests: [], at: now)
                cursor = last.sequence
                try service.store.setSetting(Self.cursorSetting, String(cursor))
                if entries.count < Self.batch { break }
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
