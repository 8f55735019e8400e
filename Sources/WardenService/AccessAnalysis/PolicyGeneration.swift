import Foundation
import Synchronization
import WardenCore
import WardenStore
import WardenValidation

/// Policy generation from the audit trail (StartPolicyGeneration and friends): the least-privilege policy for a
/// user or role, built from the calls its own entries in Warden's trail show it made.
///
/// A job reads the account's trail entries in the requested window (at most `maxEntries`, AWS's quota of log
/// files processed, after which the result is marked incomplete), keeps the calls the principal made that were not
/// refused (a role's through any of its sessions), and turns each into the IAM action that authorized it. Every
/// service Warden serves records the exact operation, so every action is known at action level: the
/// service-level template AWS adds for services without action-level data is never needed. With resource
/// placeholders, each action's resource types come from the IAM catalogue (`IAMCatalog`), with the partition,
/// Region and account filled in and the rest left as `${…}` placeholders, as AWS's generator writes them.
final class PolicyGenerations: Sendable {
    struct Job: Sendable {
        var id: String
        var account: String
        var principalArn: String
        var status: String  // IN_PROGRESS, SUCCEEDED, FAILED, CANCELED
        var startedOn: Date
        var completedOn: Date?
        var error: (code: String, message: String)?
        var trailArn: String
        var start: Date
        var end: Date
        /// The actions used, with the Regions they were used in.
        var actions: [String: Set<String>] = [:]
        var isComplete = true
    }

    static let maxEntries = 100_000
    static let perDay = 50
    static let keptFor: TimeInterval = 7 * 86_400
    static let queue = DispatchQueue(label: "warden.policy-generation", qos: .utility)

    private let jobs = Mutex<[String: Job]>([:])

    func job(_ id: String, account: String) -> Job? { jobs.withLock { $0[id].flatMap { $0.account == account ? $0 : nil } } }

    func list(account: String, principal: String?, now: Date) -> [Job] {
        jobs.withLock { all in
            all.values.filter { $0.account == account && (principal == nil || $0.principalArn == principal)
                && now.timeIntervalSince($0.startedOn) < Self.keptFor }
        }
    }

    /// Starts a job: refused when one of the account's jobs is running (AWS allows one at a time) or the day's
    /// quota is used.
    func start(_ job: Job, now: Date, run: @escaping @Sendable () -> Void) throws {
        try jobs.withLock { all in
            let mine = all.values.filter { $0.account == job.account }
            if mine.contains(where: { $0.status == "IN_PROGRESS" }) {
                throw ServiceError(.serviceQuotaExceeded, "A policy generation is already in progress for this account; at most 1 runs at a time.")
            }
            if mine.filter({ now.timeIntervalSince($0.startedOn) < 86_400 }).count >= Self.perDay {
                throw ServiceError(.serviceQuotaExceeded, "You have reached the quota of \(Self.perDay) policy generations per day.")
            }
            for (id, j) in all where now.timeIntervalSince(j.startedOn) >= Self.keptFor { all[id] = nil }
            all[job.id] = job
        }
        Self.queue.async(execute: run)
    }

    func update(_ id: String, _ body: (inout Job) -> Void) { jobs.withLock { if var j = $0[id] { body(&j); $0[id] = j } } }

    /// Runs a job to its end (on `queue`).
    func run(_ id: String, service: WardenService) {
        guard let job = job(id, account: jobs.withLock { $0[id]?.account ?? "" }) else { return }
        var actions: [String: Set<String>] = [:]
        var complete = true
        var before: (time: Date, sequence: Int64)?
        var read = 0
        let roleName = Self.roleName(job.principalArn)
        let userName = roleName == nil ? job.principalArn.split(separator: "/").last.map(String.init) : nil
        do {
            scan: while true {
                if self.job(id, account: job.account)?.status == "CANCELED" { return }
                let page = try service.store.auditLog.lookup(AuditQuery(
                    account: job.account, attribute: userName.map { .username($0) }, start: job.start, end: job.end,
                    before: before, limit: 1_000))
                for entry in page {
                    read += 1
                    if read > Self.maxEntries { complete = false; break scan }
                    guard let action = Self.action(of: entry, principal: job.principalArn, role: roleName, service: service) else { continue }
                    actions[action, default: []].insert(entry.region)
                }
                guard page.count == 1_000, let last = page.last else { break }
                before = (last.time, last.sequence)
            }
        } catch {
            update(id) { $0.status = "FAILED"; $0.completedOn = service.clock.now(); $0.error = ("SERVICE_ERROR", "Reading the trail failed: \(error)") }
            return
        }
        update(id) { j in
            guard j.status == "IN_PROGRESS" else { return }
            j.actions = actions
            j.isComplete = complete
            j.status = "SUCCEEDED"
            j.completedOn = service.clock.now()
        }
    }

    /// The role name of a role ARN (`arn:aws:iam::ACCOUNT:role/path/NAME`), nil for other principals.
    static func roleName(_ arn: String) -> String? {
        guard let r = arn.range(of: ":role/") else { return nil }
        return arn[r.upperBound...].split(separator: "/").last.map(String.init)
    }

    /// The IAM action of a trail entry made by the principal and not refused, or nil.
    static func action(of entry: AuditEntry, principal: String, role: String?, service: WardenService) -> String? {
        guard let data = entry.record.data(using: .utf8),
              let record = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let identity = record["userIdentity"] as? [String: Any] else { return nil }
        if let code = record["errorCode"] as? String, code.contains("AccessDenied") || code == "UnauthorizedOperation" { return nil }
        if record["eventType"] as? String != "AwsApiCall" { return nil }
        if let role {
            guard identity["type"] as? String == "AssumedRole",
                  let issuer = (identity["sessionContext"] as? [String: Any])?["sessionIssuer"] as? [String: Any],
                  issuer["arn"] as? String == principal || issuer["userName"] as? String == role else { return nil }
        } else {
            guard identity["arn"] as? String == principal else { return nil }
        }
        let source = entry.eventSource
        guard source.hasSuffix(".amazonaws.com") else { return nil }
        let namespace = String(source.dropLast(".amazonaws.com".count))
        let name = service.accessAdvisor.catalog.trackedAction(namespace: namespace, operation: entry.eventName) ?? entry.eventName
        return "\(namespace):\(name)"
    }

    /// The generated policy document.
    static func policy(_ job: Job, placeholders: Bool) -> String {
        let actions = job.actions.keys.sorted()
        var statements: [[String: Any]] = []
        if !placeholders {
            if !actions.isEmpty { statements.append(["Effect": "Allow", "Action": actions, "Resource": "*"]) }
        } else {
            var byResources: [[String]: [String]] = [:]
            for action in actions {
                let regions = job.actions[action] ?? []
                byResources[resources(action, account: job.account, regions: regions), default: []].append(action)
            }
            for (resources, actions) in byResources.sorted(by: { $0.value.first ?? "" < $1.value.first ?? "" }) {
                statements.append(["Effect": "Allow", "Action": actions.count == 1 ? actions[0] as Any : actions,
                                   "Resource": resources.count == 1 ? resources[0] as Any : resources])
            }
        }
        let document: [String: Any] = ["Version": "2012-10-17", "Statement": statements]
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// An action's resource ARNs with placeholders: its resource types' formats from the catalogue, partition,
    /// Region and account filled in; `*` for actions without resource types.
    static func resources(_ action: String, account: String, regions: Set<String>) -> [String] {
        let parts = action.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let svc = IAMCatalog.shared.service(parts[0]), let a = svc.action(parts[1]) else { return ["*"] }
        var out: [String] = []
        for (index, _) in a.resourceTypes where index < svc.resourceTypes.count {
            let format = svc.resourceTypes[index].arnFormat
            for region in (format.contains("${Region}") ? regions.sorted() : [""]) {
                let arn = format.replacingOccurrences(of: "${Partition}", with: "aws").replacingOccurrences(of: "${Account}", with: account)
                    .replacingOccurrences(of: "${Region}", with: region)
                if !out.contains(arn) { out.append(arn) }
            }
        }
        return out.isEmpty ? ["*"] : out
    }
}
