import Foundation
import Synchronization
import WardenCore
import WardenReasoning
import WardenStore

/// Access previews: the findings a proposed role trust policy would produce, before it is applied, compared with the
/// analyzer's current findings for that role (`NEW`, `UNCHANGED`, or `CHANGED` for a current finding the proposal
/// would resolve).
///
/// Previews are computed when they are created (one trust policy is reasoned over in milliseconds, so they are
/// `COMPLETED` at once) and kept in memory for a day, at most `AccessPreviews.perAnalyzer` per analyzer: like
/// AWS's, they are a what-if tool, not a record, and a restart forgets them.
final class AccessPreviews: Sendable {
    struct Preview: Sendable {
        var id: String
        var analyzer: String
        var analyzerArn: String
        var trustPolicies: [String: String]
        var createdAt: Date
        var findings: [PreviewFinding]
    }

    struct PreviewFinding: Sendable {
        var finding: AnalyzerFindingRecord
        var changeType: String
        var existingFindingID: String?
        var existingFindingStatus: String?
    }

    static let perAnalyzer = 1_000
    static let keptFor: TimeInterval = 86_400

    private let previews = Mutex<[String: [Preview]]>([:])

    /// Computes and keeps a preview of `trustPolicies` (role ARN → proposed trust policy).
    func create(account: String, analyzer: AnalyzerRecord, analyzerArn: String, trustPolicies: [String: String],
                state: AccountState, now: Date) throws -> Preview {
        var findings: [PreviewFinding] = []
        for (arn, policy) in trustPolicies.sorted(by: { $0.key < $1.key }) {
            let ways: [ExternalAccess]
            do {
                ways = try ExternalAccessAnalysis.analyze(policy: policy, account: account, organizationID: nil)
            } catch {
                throw ServiceError(.validationException, "The trust policy for \(arn) cannot be analysed: \(error)")
            }
            let current = state.analyzerFindings.values.filter { $0.analyzer == analyzer.key && $0.resource == arn && $0.status != "RESOLVED" }
            var matched = Set<String>()
            for way in ways {
                let fingerprint = AccessAnalysis.fingerprint(way)
                let existing = current.first { $0.fingerprint == fingerprint }
                if let existing { matched.insert(existing.id) }
                var f = AnalyzerFindingRecord(
                    id: UUID().uuidString.lowercased(), analyzer: analyzer.key, findingType: "ExternalAccess", resource: arn,
                    resourceType: "AWS::IAM::Role", resourceOwnerAccount: account, status: existing?.status ?? "ACTIVE",
                    createdAt: now, updatedAt: now, analyzedAt: now, principal: way.principal, actions: way.actions,
                    condition: way.condition, isPublic: way.isPublic, fingerprint: fingerprint)
                if existing == nil, analyzer.archiveRules.contains(where: { FindingFilter.matches(f, $0.filter) }) { f.status = "ARCHIVED" }
                findings.append(PreviewFinding(finding: f, changeType: existing == nil ? "NEW" : "UNCHANGED",
                                               existingFindingID: existing?.id, existingFindingStatus: existing?.status))
            }
            for old in current where !matched.contains(old.id) {
                var f = old
                f.status = "RESOLVED"
                findings.append(PreviewFinding(finding: f, changeType: "CHANGED", existingFindingID: old.id, existingFindingStatus: old.status))
            }
        }
        let preview = Preview(id: UUID().uuidString.lowercased(), analyzer: analyzer.key, analyzerArn: analyzerArn,
                              trustPolicies: trustPolicies, createdAt: now, findings: findings)
        try previews.withLock { all in
            var list = (all[account] ?? []).filter { now.timeIntervalSince($0.createdAt) < Self.keptFor }
            if list.filter({ $0.analyzer == analyzer.key }).count >= Self.perAnalyzer {
                throw ServiceError(.serviceQuotaExceeded, "You have reached the quota of \(Self.perAnalyzer) access previews per analyzer.")
            }
            list.append(preview)
            all[account] = list
        }
        return preview
    }

    func preview(account: String, analyzer: String, id: String, now: Date) -> Preview? {
        previews.withLock { $0[account]?.first { $0.id == id && $0.analyzer == analyzer && now.timeIntervalSince($0.createdAt) < Self.keptFor } }
    }

    func list(account: String, analyzer: String, now: Date) -> [Preview] {
        previews.withLock { ($0[account] ?? []).filter { $0.analyzer == analyzer && now.timeIntervalSince($0.createdAt) < Self.keptFor } }
    }

    /// Forgets an analyzer's previews (it was deleted).
    func forget(account: String, analyzer: String) {
        previews.withLock { $0[account]?.removeAll { $0.analyzer == analyzer } }
    }
}
