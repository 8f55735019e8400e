import Crypto
import Foundation
import Logging
import Synchronization
import WardenReasoning
import WardenStore

/// Runs the external-access analyzers: which roles can be assumed from outside the account, decided by reasoning
/// over each trust policy (`ExternalAccessAnalysis`, an SMT encoding of the policy), never by reading the
/// `Principal` element alone.
///
/// It works off the request path. The call-event stream tells it which accounts changed a trust policy (and
/// analyzer operations ask directly); a worker (`WardenServer`'s `AccessAnalysisWorker`) then scans those accounts:
/// it reasons over every trust policy whose digest changed since it was last analysed, without holding the
/// account's write lock, and commits the findings in one short transaction. A finding whose way in is gone turns
/// `RESOLVED`; a new way in opens an `ACTIVE` finding (or `ARCHIVED`, when an archive rule matches it).
public final class AccessAnalysis: Sendable {
    private struct Pending {
        /// Accounts to scan, each with the resources to re-analyse even if unchanged.
        var accounts: [String: Set<String>] = [:]
    }

    private let pending = Mutex(Pending())
    private let signal: AsyncStream<Void>.Continuation
    /// Wakes the worker when scans are requested (a buffer of one: a wake-up that is already due is enough).
    public let wakeups: AsyncStream<Void>
    let logger: Logger
    /// Access previews of proposed trust policies.
    let previews = AccessPreviews()
    /// Recommendations for unused-permission findings, by finding id.
    let recommendations = Mutex<[String: Recommendation]>([:])
    /// Policy generation jobs.
    let generations = PolicyGenerations()

    /// The IAM operations after which an account's trust policies may have changed.
    static let trustChanging: Set<String> = ["CreateRole", "UpdateAssumeRolePolicy", "DeleteRole", "CreateServiceLinkedRole",
                                             "DeleteServiceLinkedRole"]

    init(logger: Logger) {
        self.logger = logger
        (wakeups, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Reads the call-event stream: a successful call that can change a trust policy schedules its account.
    func observe(_ events: [CallEvent]) {
        var accounts = Set<String>()
        for e in events where e.service == .iam && e.errorCode == nil && Self.trustChanging.contains(e.operation) {
            accounts.insert(e.account)
        }
        for account in accounts { requestScan(account: account) }
    }

    /// Schedules a scan of an account; `forcing` re-analyses that resource even if its policy did not change.
    public func requestScan(account: String, forcing resource: String? = nil) {
        pending.withLock { p in
            var forced = p.accounts[account] ?? []
            if let resource { forced.insert(resource) }
            p.accounts[account] = forced
        }
        signal.yield()
    }

    /// Whether an analyzer analyses the resource an ARN names (StartResourceScan).
    func isAnalyzable(_ arn: String, analyzer: AnalyzerRecord, in state: AccountState) -> Bool {
        if state.roles.values.contains(where: { state.roleARN($0) == arn }) { return true }
        return analyzer.unusedAccessAge != nil && state.users.values.contains { state.userARN($0) == arn }
    }

    /// Scans every account waiting for one; returns how many it scanned.
    @discardableResult
    public func scanPending(_ service: WardenService) -> Int {
        let batch = pending.withLock { p -> [String: Set<String>] in
            let b = p.accounts
            p.accounts.removeAll()
            return b
        }
        for (account, forced) in batch { scan(account: account, forcing: forced, service) }
        return batch.count
    }

    /// Schedules every account that has an analyzer (at start).
    public func scheduleAll(_ service: WardenService) {
        for (id, state) in service.store.snapshot().accounts where state.analyzers.count > 0 { requestScan(account: id) }
    }

    /// One role's analysis: the ways in, or the error that stopped it.
    struct RoleResult {
        var arn: String
        var digest: String
        var ways: [ExternalAccess]
        var error: String?
    }

    func scan(account: String, forcing forced: Set<String>, _ service: WardenService) {
        guard let state = service.store.account(account) else { return }
        let analyzers = state.analyzers.values.filter { $0.type == "ACCOUNT" }
        let unusedAnalyzers = state.analyzers.values.filter { $0.type == "ACCOUNT_UNUSED_ACCESS" }
        guard !analyzers.isEmpty || !unusedAnalyzers.isEmpty else { return }
        // Reason without the write lock: from a snapshot, then commit only where the policy is still the same.
        // First the digests of every role (cheap), so that deleted roles are known; then the reasoning, committed
        // in chunks so that a large account's first findings appear while the rest is still being analysed.
        var current: [String: String] = [:]
        var changed: [(arn: String, digest: String, policy: String)] = []
        for role in state.roles.values where !analyzers.isEmpty {
            let arn = state.roleARN(role)
            let digest = Self.digest(role.assumeRolePolicy)
            current[arn] = digest
            let unchanged = analyzers.allSatisfy {
                state.analyzedResources[AnalyzedResourceRecord.key(analyzer: $0.key, resource: arn)]?.policyDigest == digest
            }
            if !unchanged || forced.contains(arn) { changed.append((arn, digest, role.assumeRolePolicy)) }
        }
        var gone = state.analyzedResources.values.contains { r in current[r.resourceArn] == nil && analyzers.contains { $0.key == r.analyzer } }
        var results: [String: RoleResult] = [:]
        var byDigest: [String: RoleResult] = [:]
        var lastCommit = ContinuousClock.now
        func commit(unused: [String: [UnusedFinding]] = [:], now: Date) {
            guard !results.isEmpty || gone || !unused.isEmpty else { return }
            do {
                try service.store.write(account: account) { state in
                    for analyzer in analyzers where state.analyzers[analyzer.key] != nil {
                        Self.apply(results, current: current, analyzer: state.analyzers[analyzer.key]!, to: &state, now: now)
                    }
                    for (key, wanted) in unused {
                        if let a = state.analyzers[key] { Self.applyUnused(wanted, analyzer: a, to: &state, now: now) }
                    }
                }
            } catch {
                logger.error("storing Access Analyzer findings failed", metadata: ["warden.account": "\(account)", "error": "\(error)"])
            }
            results.removeAll()
            gone = false
            lastCommit = ContinuousClock.now
        }
        for role in changed {
            // Roles often share a trust policy: reason once per distinct policy.
            if let known = byDigest[role.digest] {
                results[role.arn] = RoleResult(arn: role.arn, digest: role.digest, ways: known.ways, error: known.error)
            } else {
                do {
                    let ways = try ExternalAccessAnalysis.analyze(policy: role.policy, account: account, organizationID: nil)
                    results[role.arn] = RoleResult(arn: role.arn, digest: role.digest, ways: ways)
                } catch {
                    results[role.arn] = RoleResult(arn: role.arn, digest: role.digest, ways: [], error: "\(error)")
                    logger.warning("external-access analysis failed", metadata: ["warden.resource": "\(role.arn)", "error": "\(error)"])
                }
                byDigest[role.digest] = results[role.arn]
            }
            if results.count >= Self.commitEvery || ContinuousClock.now - lastCommit > .seconds(2) { commit(now: service.clock.now()) }
        }
        // Unused access: from the latest last-used data (access keys' is flushed first; the access advisor's facts
        // include those not yet written).
        var unused: [String: [UnusedFinding]] = [:]
        let now = service.clock.now()
        if !unusedAnalyzers.isEmpty {
            service.usage.flush(to: service.store)
            if let (fresh, facts) = service.accessAdvisor.snapshot(account: account, store: service.store) {
                for a in unusedAnalyzers { unused[a.key] = Self.unusedFindings(a, state: fresh, facts: facts, service: service, now: now) }
            }
        }
        commit(unused: unused, now: now)
    }

    /// How many roles' results are committed together at most.
    static let commitEvery = 200

    /// Schedules every account with an unused-access analyzer: time passing makes access unused.
    public func scheduleUnusedAccess(_ service: WardenService) {
        for (id, state) in service.store.snapshot().accounts where state.analyzers.values.contains(where: { $0.unusedAccessAge != nil }) {
            requestScan(account: id)
        }
    }

    /// Brings one analyzer's findings in line with the results (inside the write transaction).
    static func apply(_ results: [String: RoleResult], current: [String: String], analyzer: AnalyzerRecord,
                      to state: inout AccountState, now: Date) {
        var analyzer = analyzer
        let byResource = Dictionary(grouping: state.analyzerFindings.values.filter { $0.analyzer == analyzer.key }, by: \.resource)
        // Roles deleted since: their findings are resolved and they are no longer analysed resources.
        for r in state.analyzedResources.values where r.analyzer == analyzer.key && current[r.resourceArn] == nil {
            state.analyzedResources[r.key] = nil
            for f in byResource[r.resourceArn] ?? [] where f.status != "RESOLVED" { resolve(f, &state, now) }
        }
        var digests: [String: String] = [:]
        for role in state.roles.values { digests[state.roleARN(role)] = digest(role.assumeRolePolicy) }
        for result in results.values.sorted(by: { $0.arn < $1.arn }) {
            // The role changed again since the snapshot: the event that changed it has scheduled another scan.
            guard let digest = digests[result.arn], digest == result.digest else { continue }
            let existing = byResource[result.arn] ?? []
            var open: [String: AnalyzerFindingRecord] = [:]
            for f in existing where f.status != "RESOLVED" { open[f.fingerprint] = f }
            var seen = Set<String>()
            for way in result.ways {
                let fingerprint = Self.fingerprint(way)
                seen.insert(fingerprint)
                if var f = open[fingerprint] {
                    f.analyzedAt = now
                    state.analyzerFindings[f.id] = f
                    continue
                }
                var f = AnalyzerFindingRecord(
                    id: UUID().uuidString.lowercased(), analyzer: analyzer.key, findingType: "ExternalAccess", resource: result.arn,
                    resourceType: "AWS::IAM::Role", resourceOwnerAccount: state.account.id, status: "ACTIVE", createdAt: now,
                    updatedAt: now, analyzedAt: now, principal: way.principal, actions: way.actions, condition: way.condition,
                    isPublic: way.isPublic, fingerprint: fingerprint)
                if analyzer.archiveRules.contains(where: { FindingFilter.matches(f, $0.filter) }) { f.status = "ARCHIVED" }
                state.analyzerFindings[f.id] = f
            }
            for f in open.values where !seen.contains(f.fingerprint) { resolve(f, &state, now) }
            let key = AnalyzedResourceRecord.key(analyzer: analyzer.key, resource: result.arn)
            let previous = state.analyzedResources[key]
            state.analyzedResources[key] = AnalyzedResourceRecord(
                analyzer: analyzer.key, resourceArn: result.arn, resourceType: "AWS::IAM::Role", createdAt: previous?.createdAt ?? now,
                analyzedAt: now, updatedAt: previous?.policyDigest == result.digest ? (previous?.updatedAt ?? now) : now,
                policyDigest: result.digest, isPublic: result.ways.contains { $0.isPublic },
                actions: Array(Set(result.ways.flatMap(\.actions))).sorted(), error: result.error)
            analyzer.lastResourceAnalyzed = result.arn
            analyzer.lastResourceAnalyzedAt = now
        }
        state.analyzers[analyzer.key] = analyzer
    }

    static func resolve(_ f: AnalyzerFindingRecord, _ state: inout AccountState, _ now: Date) {
        var f = f
        f.status = "RESOLVED"
        f.updatedAt = now
        state.analyzerFindings[f.id] = f
    }

    static func digest(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// What makes a way in the same as another: principal, actions and conditions.
    static func fingerprint(_ w: ExternalAccess) -> String {
        let principal = w.principal.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let condition = w.condition.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        return "\(principal)|\(w.actions.sorted().joined(separator: ","))|\(condition)|\(w.isPublic)"
    }
}
