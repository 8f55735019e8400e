import Foundation
import Synchronization
import WardenStore

/// Collects "last used" facts of access keys off the hot path; `flush` writes them in one transaction per
/// account. The server flushes periodically and at shutdown.
public final class UsageRecorder: Sendable {
    struct Use: Sendable { var account: String; var service: String; var region: String; var time: Date }
    private let pending = Mutex<[String: Use]>([:])

    public init() {}

    /// Notes that a key was used (cheap: one dictionary write under a lock).
    public func record(accessKeyID: String, account: String, service: String, region: String, time: Date) {
        guard accessKeyID.hasPrefix("AKIA") else { return }
        pending.withLock { $0[accessKeyID] = Use(account: account, service: service, region: region, time: time) }
    }

    /// Writes the pending facts to the store.
    public func flush(to store: StateStore) {
        let uses = pending.withLock { p -> [String: Use] in let u = p; p.removeAll(); return u }
        let byAccount = Dictionary(grouping: uses, by: { $0.value.account })
        for (account, entries) in byAccount {
            try? store.write(account: account) { state in
                for (keyID, use) in entries {
                    guard var key = state.accessKeys[keyID] else { continue }
                    key.lastUsedDate = use.time
                    key.lastUsedService = use.service
                    key.lastUsedRegion = use.region
                    state.accessKeys[keyID] = key
                }
            }
        }
    }
}
