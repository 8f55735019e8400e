import Foundation
import Synchronization
import WardenCore
import WardenStore

/// The IAM access advisor: when each user and role last used each service (and each tracked action), read from
/// the call-event stream, and the service last accessed reports built from those facts.
///
/// `observe` runs off the request path (the dispatcher hands it each batch of finished calls) and only updates
/// dictionaries under a lock; `flush` writes the pending facts in one transaction per account, periodically and
/// at shutdown. Reports read the persisted facts together with the pending ones, so they never lag a flush.
public final class AccessAdvisor: Sendable {
    /// The services and tracked actions policies are expanded against.
    public let catalog: ServiceCatalog
    /// Generated report jobs.
    let jobs = AccessAdvisorJobs()

    /// Facts not yet in the store, by account and `LastAccessRecord.key`. `inFlight` holds the facts a flush is
    /// writing, so that a report taken during the write still sees them.
    private struct Buffer {
        var pending: [String: [String: LastAccessRecord]] = [:]
        var inFlight: [String: [String: LastAccessRecord]] = [:]
    }
    private let buffer = Mutex(Buffer())
    /// Serializes flushes.
    private let flushing = Mutex(())

    /// An advisor over the bundled service catalogue.
    public convenience init() throws { self.init(catalog: try ServiceCatalog.bundled()) }

    /// An advisor over a given catalogue.
    public init(catalog: ServiceCatalog) { self.catalog = catalog }

    /// Calls that count as one use: the same credentials calling the same operation.
    private struct Repeat: Hashable {
        var accessKeyID: String
        var service: APIService
        var operation: String
    }

    /// Notes the uses in a batch of finished calls. Like AWS, it counts authenticated calls, and here only those
    /// whether allowed or denied, as AWS counts every authenticated attempt; a role session's use counts toward its role.
    public func observe(_ events: [CallEvent]) {
        // Keys are built before taking the lock, which then guards only dictionary updates.
        var facts: [(account: String, key: String, fact: LastAccessRecord)] = []
        facts.reserveCapacity(events.count * 2)
        // A batch holds many calls of the same credentials to the same operation; only the latest of each
        // counts (an access key names one principal, so it stands for the entity here).
        var latest: [Repeat: Int] = [:]
        var counted: [Int] = []
        // Consecutive calls are mostly repeats of one another: compare with the previous call before hashing.
        var previous: (key: Repeat, index: Int)?
        for (i, event) in events.enumerated() where event.isServiceUse {
            guard !event.caller.accessKeyID.isEmpty else { counted.append(i); continue }
            let r = Repeat(accessKeyID: event.caller.accessKeyID, service: event.service, operation: event.operation)
            if let p = previous, p.key == r {
                if events[p.index].meta.time <= event.meta.time { previous = (r, i) }
                continue
            }
            if let p = previous, latest[p.key].map({ events[$0].meta.time <= events[p.index].meta.time }) ?? true {
                latest[p.key] = p.index
            }
            previous = (r, i)
        }
        if let p = previous, latest[p.key].map({ events[$0].meta.time <= events[p.index].meta.time }) ?? true {
            latest[p.key] = p.index
        }
        counted.append(contentsOf: latest.values)
        counted.sort()
        for i in counted {
            let event = events[i]
            let entity = event.entityARN
            // `aws:userid` is `AROA…:session` for role sessions: the role's id is the part before the colon.
            let entityID = event.caller.principal.userID.split(separator: ":", maxSplits: 1).first.map(String.init)
            let namespace = event.service.actionPrefix
            let serviceUse = LastAccessRecord(entityARN: entity, entityID: entityID, service: namespace, action: nil,
                                              time: event.meta.time, region: event.meta.region)
            facts.append((event.account, serviceUse.key, serviceUse))
            if let action = catalog.trackedAction(namespace: namespace, operation: event.operation) {
                let actionUse = LastAccessRecord(entityARN: entity, entityID: entityID, service: namespace, action: action,
                                                 time: event.meta.time, region: event.meta.region)
                facts.append((event.account, actionUse.key, actionUse))
            }
        }
        guard !facts.isEmpty else { return }
        buffer.withLock { b in
            for f in facts { Self.merge(f.fact, key: f.key, into: &b.pending[f.account, default: [:]]) }
        }
    }

    /// Writes the pending facts to the store, one transaction per account. Facts of an account that no longer
    /// exists are dropped; facts whose write fails stay pending for the next flush.
    public func flush(to store: StateStore) {
        flushing.withLock { _ in
            let batch = buffer.withLock { b -> [String: [String: LastAccessRecord]] in
                let taken = b.pending
                b.pending = [:]
                b.inFlight = taken
                return taken
            }
            for (account, facts) in batch {
                var failed = false
                do {
                    try store.write(account: account) { state in
                        for (key, fact) in facts {
                            if let stored = state.lastAccess[key], !fact.supersedes(stored) { continue }
                            state.lastAccess[key] = fact
                        }
                    }
                } catch StoreError.noSuchAccount {
                } catch {
                    failed = true
                }
                buffer.withLock { b in
                    if failed { for (key, fact) in facts { Self.merge(fact, key: key, into: &b.pending[account, default: [:]]) } }
                    b.inFlight[account] = nil
                }
            }
        }
    }

    /// An account as it is now, with every last-access fact known for it: persisted, being flushed, or pending.
    func snapshot(account: String, store: StateStore) -> (state: AccountState, facts: [String: LastAccessRecord])? {
        // The buffer is read before the store: a fact leaves the buffer only after its write is published, so
        // reading in this order it is seen in one or the other (or both).
        let (inFlight, pending) = buffer.withLock { ($0.inFlight[account] ?? [:], $0.pending[account] ?? [:]) }
        guard let state = store.account(account) else { return nil }
        var facts = state.lastAccess.rows
        for (key, fact) in inFlight { Self.merge(fact, key: key, into: &facts) }
        for (key, fact) in pending { Self.merge(fact, key: key, into: &facts) }
        return (state, facts)
    }

    /// The number of facts waiting for a flush (tests, metrics).
    public var pendingCount: Int { buffer.withLock { $0.pending.values.reduce(0) { $0 + $1.count } } }

    private static func merge(_ fact: LastAccessRecord, key: String, into facts: inout [String: LastAccessRecord]) {
        if let existing = facts[key], !fact.supersedes(existing) { return }
        facts[key] = fact
    }
}
