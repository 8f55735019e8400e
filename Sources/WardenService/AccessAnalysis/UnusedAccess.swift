import Foundation
import WardenCore
import WardenStore

/// The unused-access analyzers (`ACCOUNT_UNUSED_ACCESS`): roles, access keys and console passwords not used within
/// the analyzer's `unusedAccessAge` days, and for the users and roles that are used, the services and tracked
/// actions their policies grant that they did not use in that time, from the access advisor's data.
///
/// "Not used within N days" counts from the last use, or from creation for what was never used, so a new role is
/// not unused on its first day. Service-linked roles are left out, as AWS leaves them out, and so are resources
/// carrying every tag of one of the analyzer's exclusion tag sets.
extension AccessAnalysis {
    /// One finding an unused-access analyzer should have now.
    struct UnusedFinding {
        var findingType: String
        var resource: String
        var resourceType: String
        var details: [UnusedAccessDetails]
        var fingerprint: String
    }

    /// The findings `analyzer` should have for the account now.
    static func unusedFindings(_ analyzer: AnalyzerRecord, state: AccountState, facts: [String: LastAccessRecord],
                               service: WardenService, now: Date) -> [UnusedFinding] {
        guard let age = analyzer.unusedAccessAge, !analyzer.excludedAccounts.contains(state.account.id) else { return [] }
        let cutoff = now.addingTimeInterval(-Double(age) * 86_400)
        func excluded(_ tags: [EntityTag]) -> Bool {
            analyzer.excludedTags.contains { set in !set.isEmpty && set.allSatisfy { k, v in tags.contains { $0.key == k && $0.value == v } } }
        }
        func unused(_ last: Date?, since created: Date) -> Bool { (last ?? created) < cutoff }
        var out: [UnusedFinding] = []

        func permissions(_ subject: AccessReportSubject, arn: String, type: String) {
            let report = AccessReport.compute(subject: subject, state: state, facts: facts, catalog: service.accessAdvisor.catalog,
                                              policyDocument: { PolicySources.managedDocument($0, state, service) }, actionLevel: true)
            var details: [UnusedAccessDetails] = []
            for s in report.services {
                let last = s.lastUse?.time
                if let last, last >= cutoff {
                    // The service is used; for services whose actions are tracked, name the actions that are not.
                    let idle = (s.actions ?? []).filter { a in a.lastUse.map { $0.time < cutoff } ?? true }
                    if !idle.isEmpty {
                        details.append(UnusedAccessDetails(lastAccessed: last, serviceNamespace: s.namespace,
                                                           actions: idle.map { UnusedActionRecord(action: $0.name, lastAccessed: $0.lastUse?.time) }))
                    }
                } else {
                    details.append(UnusedAccessDetails(lastAccessed: last, serviceNamespace: s.namespace,
                                                       actions: s.actions?.map { UnusedActionRecord(action: $0.name, lastAccessed: $0.lastUse?.time) }))
                }
            }
            if !details.isEmpty {
                out.append(UnusedFinding(findingType: "UnusedPermission", resource: arn, resourceType: type, details: details,
                                         fingerprint: "UnusedPermission|\(arn)"))
            }
        }

        for role in state.roles.values where role.serviceLinkedService == nil && !role.path.hasPrefix("/aws-service-role/") && !excluded(role.tags) {
            let arn = state.roleARN(role)
            if unused(role.lastUsedDate, since: role.createDate) {
                out.append(UnusedFinding(findingType: "UnusedIAMRole", resource: arn, resourceType: "AWS::IAM::Role",
                                         details: [UnusedAccessDetails(lastAccessed: role.lastUsedDate)], fingerprint: "UnusedIAMRole|\(arn)"))
            } else {
                permissions(.role(role), arn: arn, type: "AWS::IAM::Role")
            }
        }
        for user in state.users.values where !excluded(user.tags) {
            let arn = state.userARN(user)
            var used = false
            for key in state.accessKeys.values where key.userName?.lowercased() == user.name.lowercased() && key.status == "Active" {
                if unused(key.lastUsedDate, since: key.createDate) {
                    out.append(UnusedFinding(findingType: "UnusedIAMUserAccessKey", resource: arn, resourceType: "AWS::IAM::User",
                                             details: [UnusedAccessDetails(lastAccessed: key.lastUsedDate, accessKeyID: key.id)],
                                             fingerprint: "UnusedIAMUserAccessKey|\(key.id)"))
                } else {
                    used = true
                }
            }
            if let profile = user.loginProfile {
                if unused(user.passwordLastUsed, since: profile.createDate) {
                    out.append(UnusedFinding(findingType: "UnusedIAMUserPassword", resource: arn, resourceType: "AWS::IAM::User",
                                             details: [UnusedAccessDetails(lastAccessed: user.passwordLastUsed)],
                                             fingerprint: "UnusedIAMUserPassword|\(arn)"))
                } else {
                    used = true
                }
            }
            if used { permissions(.user(user), arn: arn, type: "AWS::IAM::User") }
        }
        return out
    }

    /// Brings an unused-access analyzer's findings in line with what it should have now (inside the write).
    static func applyUnused(_ wanted: [UnusedFinding], analyzer: AnalyzerRecord, to state: inout AccountState, now: Date) {
        var open: [String: AnalyzerFindingRecord] = [:]
        for f in state.analyzerFindings.values where f.analyzer == analyzer.key && f.status != "RESOLVED" { open[f.fingerprint] = f }
        var seen = Set<String>()
        for w in wanted {
            seen.insert(w.fingerprint)
            if var f = open[w.fingerprint] {
                f.analyzedAt = now
                if f.details != w.details { f.details = w.details; f.updatedAt = now }
                state.analyzerFindings[f.id] = f
                continue
            }
            var f = AnalyzerFindingRecord(
                id: UUID().uuidString.lowercased(), analyzer: analyzer.key, findingType: w.findingType, resource: w.resource,
                resourceType: w.resourceType, resourceOwnerAccount: state.account.id, status: "ACTIVE", createdAt: now, updatedAt: now,
                analyzedAt: now, details: w.details, fingerprint: w.fingerprint)
            if analyzer.archiveRules.contains(where: { FindingFilter.matches(f, $0.filter) }) { f.status = "ARCHIVED" }
            state.analyzerFindings[f.id] = f
        }
        for f in open.values where !seen.contains(f.fingerprint) { resolve(f, &state, now) }
        var a = analyzer
        a.lastResourceAnalyzedAt = now
        state.analyzers[a.key] = a
    }
}
