import Foundation
import WardenCore
import WardenStore
import WardenWire

/// IAM Access Analyzer's findings: listing with filters and sorting, reading, archiving, statistics, and the
/// analysed resources (`access-analyzer:*` on the analyzer's ARN).
extension WardenService {
    static func registerFindings(_ r: inout Registry) {
        typealias AA = AccessAnalyzer
        r.restJSON(.accessAnalyzer, "ListFindings", authorize: .resource { (i: AA.ListFindingsRequest, _) in i.analyzerArn }) {
            i, call -> AA.ListFindingsResponse in
            let page = try findingsPage(analyzerArn: i.analyzerArn, filter: i.filter, sort: i.sort, token: i.nextToken,
                                        maxResults: i.maxResults, call)
            return AA.ListFindingsResponse(findings: page.items.map { wireSummary($0) }, nextToken: page.next)
        }
        r.restJSON(.accessAnalyzer, "ListFindingsV2", authorize: .resource { (i: AA.ListFindingsV2Request, _) in i.analyzerArn }) {
            i, call -> AA.ListFindingsV2Response in
            let page = try findingsPage(analyzerArn: i.analyzerArn, filter: i.filter, sort: i.sort, token: i.nextToken,
                                        maxResults: i.maxResults, call)
            return AA.ListFindingsV2Response(findings: page.items.map { f in
                AA.FindingSummaryV2(analyzedAt: f.analyzedAt, createdAt: f.createdAt, id: f.id, resource: f.resource,
                                    resourceType: resourceType(f), resourceOwnerAccount: f.resourceOwnerAccount,
                                    status: AA.FindingStatus(rawValue: f.status) ?? .active, updatedAt: f.updatedAt,
                                    findingType: AA.FindingType(rawValue: f.findingType))
            }, nextToken: page.next)
        }
        r.restJSON(.accessAnalyzer, "GetFinding", authorize: .resource { (i: AA.GetFindingRequest, _) in i.analyzerArn }) {
            i, call -> AA.GetFindingResponse in
            let f = try finding(i.id, analyzerArn: i.analyzerArn, call)
            let s = wireSummary(f)
            return AA.GetFindingResponse(finding: AA.Finding(
                id: s.id, principal: s.principal, action: s.action, resource: s.resource, isPublic: s.isPublic, resourceType: s.resourceType,
                condition: s.condition, createdAt: s.createdAt, analyzedAt: s.analyzedAt, updatedAt: s.updatedAt, status: s.status,
                resourceOwnerAccount: s.resourceOwnerAccount, sources: s.sources))
        }
        r.restJSON(.accessAnalyzer, "GetFindingV2", authorize: .resource { (i: AA.GetFindingV2Request, _) in i.analyzerArn }) {
            i, call -> AA.GetFindingV2Response in
            let f = try finding(i.id, analyzerArn: i.analyzerArn, call)
            let details = findingDetails(f)
            let page = try offsetPage(details, token: i.nextToken, maxResults: i.maxResults)
            return AA.GetFindingV2Response(
                analyzedAt: f.analyzedAt, createdAt: f.createdAt, id: f.id, nextToken: page.next, resource: f.resource,
                resourceType: resourceType(f), resourceOwnerAccount: f.resourceOwnerAccount,
                status: AA.FindingStatus(rawValue: f.status) ?? .active, updatedAt: f.updatedAt, findingDetails: page.items,
                findingType: AA.FindingType(rawValue: f.findingType))
        }
        r.restJSON(.accessAnalyzer, "UpdateFindings", authorize: .resource { (i: AA.UpdateFindingsRequest, _) in i.analyzerArn }) {
            (i: AA.UpdateFindingsRequest, call) in
            guard (i.ids?.isEmpty == false) != (i.resourceArn != nil) else {
                throw ServiceError(.validationException, "Specify either ids or resourceArn.")
            }
            try call.write { state in
                let a = try analyzer(arn: i.analyzerArn, state, call)
                let ids = Set(i.ids ?? [])
                for id in ids where state.analyzerFindings[id]?.analyzer != a.key {
                    throw ServiceError(.resourceNotFound, "Finding not found: \(id)")
                }
                for f in state.analyzerFindings.values where f.analyzer == a.key && f.status != "RESOLVED"
                    && (ids.contains(f.id) || f.resource == i.resourceArn) && f.status != i.status.rawValue {
                    var changed = f
                    changed.status = i.status.rawValue
                    changed.updatedAt = call.now
                    state.analyzerFindings[f.id] = changed
                }
            }
        }
        r.restJSON(.accessAnalyzer, "GetFindingsStatistics", authorize: .resource { (i: AA.GetFindingsStatisticsRequest, _) in i.analyzerArn }) {
            i, call -> AA.GetFindingsStatisticsResponse in
            let state = try call.state()
            let a = try analyzer(arn: i.analyzerArn, state, call)
            let findings = state.analyzerFindings.values.filter { $0.analyzer == a.key }
            func count(_ status: String) -> Int { findings.filter { $0.status == status }.count }
            let lastUpdated = findings.map(\.updatedAt).max()
            if a.unusedAccessAge != nil {
                let active = findings.filter { $0.status == "ACTIVE" }
                let byType = Dictionary(grouping: active, by: \.findingType).map {
                    AA.UnusedAccessTypeStatistics(unusedAccessType: $0.key, total: $0.value.count)
                }.sorted { $0.unusedAccessType ?? "" < $1.unusedAccessType ?? "" }
                return AA.GetFindingsStatisticsResponse(findingsStatistics: [AA.FindingsStatistics(unusedAccessFindingsStatistics: .init(
                    unusedAccessTypeStatistics: byType, totalActiveFindings: active.count, totalArchivedFindings: count("ARCHIVED"),
                    totalResolvedFindings: count("RESOLVED")))], lastUpdatedAt: lastUpdated)
            }
            var byType: [String: AA.ResourceTypeDetails] = [:]
            for f in findings where f.status == "ACTIVE" {
                var d = byType[f.resourceType] ?? AA.ResourceTypeDetails(totalActivePublic: 0, totalActiveCrossAccount: 0, totalActiveErrors: 0)
                if f.isPublic == true { d.totalActivePublic = (d.totalActivePublic ?? 0) + 1 } else { d.totalActiveCrossAccount = (d.totalActiveCrossAccount ?? 0) + 1 }
                byType[f.resourceType] = d
            }
            return AA.GetFindingsStatisticsResponse(findingsStatistics: [AA.FindingsStatistics(externalAccessFindingsStatistics: .init(
                resourceTypeStatistics: byType, totalActiveFindings: count("ACTIVE"), totalArchivedFindings: count("ARCHIVED"),
                totalResolvedFindings: count("RESOLVED")))], lastUpdatedAt: lastUpdated)
        }
        r.restJSON(.accessAnalyzer, "StartResourceScan", authorize: .resource { (i: AA.StartResourceScanRequest, _) in i.analyzerArn }) {
            (i: AA.StartResourceScanRequest, call) in
            let state = try call.state()
            let a = try analyzer(arn: i.analyzerArn, state, call)
            if let owner = i.resourceOwnerAccount, owner != call.account {
                throw ServiceError(.validationException, "The resource owner account \(owner) is not in the analyzer's zone of trust.")
            }
            guard call.service.accessAnalysis.isAnalyzable(i.resourceArn, analyzer: a, in: state) else {
                throw ServiceError(.resourceNotFound, "Resource not found: \(i.resourceArn)")
            }
            call.service.accessAnalysis.requestScan(account: call.account, forcing: i.resourceArn)
        }
        r.restJSON(.accessAnalyzer, "GetAnalyzedResource", authorize: .resource { (i: AA.GetAnalyzedResourceRequest, _) in i.analyzerArn }) {
            i, call -> AA.GetAnalyzedResourceResponse in
            let state = try call.state()
            let a = try analyzer(arn: i.analyzerArn, state, call)
            guard let r = state.analyzedResources[AnalyzedResourceRecord.key(analyzer: a.key, resource: i.resourceArn)] else {
                throw ServiceError(.resourceNotFound, "Analyzed resource not found: \(i.resourceArn)")
            }
            let active = state.analyzerFindings.values.contains { $0.analyzer == a.key && $0.resource == r.resourceArn && $0.status == "ACTIVE" }
            return AA.GetAnalyzedResourceResponse(resource: AA.AnalyzedResource(
                resourceArn: r.resourceArn, resourceType: AA.ResourceType(rawValue: r.resourceType) ?? .awsIamRole, createdAt: r.createdAt,
                analyzedAt: r.analyzedAt, updatedAt: r.updatedAt, isPublic: r.isPublic, actions: r.actions.isEmpty ? nil : r.actions,
                status: r.actions.isEmpty ? nil : (active ? .active : .archived), resourceOwnerAccount: call.account, error: r.error))
        }
        r.restJSON(.accessAnalyzer, "ListAnalyzedResources", authorize: .resource { (i: AA.ListAnalyzedResourcesRequest, _) in i.analyzerArn }) {
            i, call -> AA.ListAnalyzedResourcesResponse in
            let state = try call.state()
            let a = try analyzer(arn: i.analyzerArn, state, call)
            let all = state.analyzedResources.values.filter { $0.analyzer == a.key && (i.resourceType == nil || $0.resourceType == i.resourceType!.rawValue) }
            let page = try tokenPage(all, key: \.resourceArn, token: i.nextToken, maxResults: i.maxResults)
            return AA.ListAnalyzedResourcesResponse(analyzedResources: page.items.map {
                AA.AnalyzedResourceSummary(resourceArn: $0.resourceArn, resourceOwnerAccount: call.account,
                                           resourceType: AA.ResourceType(rawValue: $0.resourceType) ?? .awsIamRole)
            }, nextToken: page.marker)
        }
    }

    /// The finding an id names under an analyzer: `ResourceNotFoundException` otherwise.
    static func finding(_ id: String, analyzerArn: String, _ call: Call) throws -> AnalyzerFindingRecord {
        let state = try call.state()
        let a = try analyzer(arn: analyzerArn, state, call)
        guard let f = state.analyzerFindings[id], f.analyzer == a.key else {
            throw ServiceError(.resourceNotFound, "Finding not found: \(id)")
        }
        return f
    }

    static func findingsPage(analyzerArn: String, filter: [String: AccessAnalyzer.Criterion]?, sort: AccessAnalyzer.SortCriteria?,
                             token: String?, maxResults: Int?, _ call: Call) throws -> (items: [AnalyzerFindingRecord], next: String?) {
        if let filter { try validateFilter(filter) }
        let state = try call.state()
        let a = try analyzer(arn: analyzerArn, state, call)
        let criteria = criteria(filter ?? [:])
        let matching = state.analyzerFindings.values.filter { $0.analyzer == a.key && FindingFilter.matches($0, criteria) }
        let ordered = FindingFilter.sorted(matching, by: sort?.attributeName, descending: sort?.orderBy == .desc)
        return try offsetPage(ordered, token: token, maxResults: maxResults)
    }

    /// A page by position, with a token that names the next position (listings whose order the caller chooses).
    static func offsetPage<Item>(_ items: [Item], token: String?, maxResults: Int?) throws -> (items: [Item], next: String?) {
        var start = 0
        if let token {
            guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8), text.hasPrefix("o:"),
                  let n = Int(text.dropFirst(2)), n >= 0 else {
                throw ServiceError(.validationException, "Invalid nextToken.")
            }
            start = min(n, items.count)
        }
        let limit = max(1, min(maxResults ?? 100, 1000))
        let end = min(items.count, start + limit)
        return (Array(items[start..<end]), end < items.count ? Data("o:\(end)".utf8).base64EncodedString() : nil)
    }

    static func resourceType(_ f: AnalyzerFindingRecord) -> AccessAnalyzer.ResourceType {
        AccessAnalyzer.ResourceType(rawValue: f.resourceType) ?? .awsIamRole
    }

    static func wireSummary(_ f: AnalyzerFindingRecord) -> AccessAnalyzer.FindingSummary {
        AccessAnalyzer.FindingSummary(
            id: f.id, principal: f.principal, action: f.actions, resource: f.resource, isPublic: f.isPublic,
            resourceType: resourceType(f), condition: f.condition ?? [:], createdAt: f.createdAt, analyzedAt: f.analyzedAt,
            updatedAt: f.updatedAt, status: AccessAnalyzer.FindingStatus(rawValue: f.status) ?? .active,
            resourceOwnerAccount: f.resourceOwnerAccount,
            sources: f.findingType == "ExternalAccess" ? [AccessAnalyzer.FindingSource(type: .policy)] : nil)
    }

    static func findingDetails(_ f: AnalyzerFindingRecord) -> [AccessAnalyzer.FindingDetails] {
        typealias AA = AccessAnalyzer
        switch f.findingType {
        case "ExternalAccess":
            return [AA.FindingDetails(externalAccessDetails: AA.ExternalAccessDetails(
                action: f.actions, condition: f.condition ?? [:], isPublic: f.isPublic, principal: f.principal,
                sources: [AA.FindingSource(type: .policy)]))]
        case "UnusedIAMRole":
            return [AA.FindingDetails(unusedIamRoleDetails: AA.UnusedIamRoleDetails(lastAccessed: f.details?.first?.lastAccessed))]
        case "UnusedIAMUserPassword":
            return [AA.FindingDetails(unusedIamUserPasswordDetails: AA.UnusedIamUserPasswordDetails(lastAccessed: f.details?.first?.lastAccessed))]
        case "UnusedIAMUserAccessKey":
            return [AA.FindingDetails(unusedIamUserAccessKeyDetails: AA.UnusedIamUserAccessKeyDetails(
                accessKeyId: f.details?.first?.accessKeyID ?? "", lastAccessed: f.details?.first?.lastAccessed))]
        case "UnusedPermission":
            return (f.details ?? []).map { d in
                AA.FindingDetails(unusedPermissionDetails: AA.UnusedPermissionDetails(
                    actions: d.actions?.map { AA.UnusedAction(action: $0.action, lastAccessed: $0.lastAccessed) },
                    serviceNamespace: d.serviceNamespace ?? "", lastAccessed: d.lastAccessed))
            }
        default:
            return []
        }
    }
}
