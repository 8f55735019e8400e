import Foundation
import WardenCore
import WardenStore
import WardenWire

/// Access previews of role trust policies: CreateAccessPreview, GetAccessPreview, ListAccessPreviews and
/// ListAccessPreviewFindings (`access-analyzer:*` on the analyzer's ARN). See `AccessPreviews`.
extension WardenService {
    static func registerAccessPreviews(_ r: inout Registry) {
        typealias AA = AccessAnalyzer
        r.restJSON(.accessAnalyzer, "CreateAccessPreview", authorize: .resource { (i: AA.CreateAccessPreviewRequest, _) in i.analyzerArn }) {
            i, call -> AA.CreateAccessPreviewResponse in
            let state = try call.state()
            let a = try analyzer(arn: i.analyzerArn, state, call)
            guard a.type == "ACCOUNT" else {
                throw ServiceError(.validationException, "Access previews need an external access analyzer; \(a.name) is \(a.type).")
            }
            if i.configurations.isEmpty { throw ServiceError(.validationException, "configurations must not be empty.") }
            var policies: [String: String] = [:]
            let rolePrefix = "arn:aws:iam::\(call.account):role/"
            for (arn, configuration) in i.configurations {
                guard let role = configuration.iamRole else {
                    throw ServiceError(.validationException, "Warden previews IAM role trust policies only; \(arn) configures another resource type, which Warden does not hold.")
                }
                guard arn.hasPrefix(rolePrefix), arn.count > rolePrefix.count else {
                    throw ServiceError(.validationException, "\(arn) is not the ARN of a role in account \(call.account).")
                }
                // Without a trust policy, the role's current one is previewed (the proposal leaves it unchanged).
                let current = state.roles.values.first { state.roleARN($0) == arn }?.assumeRolePolicy
                guard let policy = role.trustPolicy ?? current else {
                    throw ServiceError(.validationException, "The role \(arn) does not exist; give its proposed trust policy.")
                }
                policies[arn] = policy
            }
            let preview = try call.service.accessAnalysis.previews.create(
                account: call.account, analyzer: a, analyzerArn: i.analyzerArn, trustPolicies: policies, state: state, now: call.now)
            return AA.CreateAccessPreviewResponse(id: preview.id)
        }
        r.restJSON(.accessAnalyzer, "GetAccessPreview", authorize: .resource { (i: AA.GetAccessPreviewRequest, _) in i.analyzerArn }) {
            i, call -> AA.GetAccessPreviewResponse in
            let p = try preview(i.accessPreviewId, analyzerArn: i.analyzerArn, call)
            return AA.GetAccessPreviewResponse(accessPreview: AA.AccessPreview(
                id: p.id, analyzerArn: p.analyzerArn,
                configurations: p.trustPolicies.mapValues { AA.Configuration(iamRole: AA.IamRoleConfiguration(trustPolicy: $0)) },
                createdAt: p.createdAt, status: .completed))
        }
        r.restJSON(.accessAnalyzer, "ListAccessPreviews", authorize: .resource { (i: AA.ListAccessPreviewsRequest, _) in i.analyzerArn }) {
            i, call -> AA.ListAccessPreviewsResponse in
            let a = try analyzer(arn: i.analyzerArn, try call.state(), call)
            let all = call.service.accessAnalysis.previews.list(account: call.account, analyzer: a.key, now: call.now)
            let page = try tokenPage(all, key: { String(format: "%016llx", UInt64(max(0, $0.createdAt.timeIntervalSince1970 * 1000))) + $0.id },
                                     token: i.nextToken, maxResults: i.maxResults)
            return AA.ListAccessPreviewsResponse(accessPreviews: page.items.map {
                AA.AccessPreviewSummary(id: $0.id, analyzerArn: $0.analyzerArn, createdAt: $0.createdAt, status: .completed)
            }, nextToken: page.marker)
        }
        r.restJSON(.accessAnalyzer, "ListAccessPreviewFindings", authorize: .resource { (i: AA.ListAccessPreviewFindingsRequest, _) in i.analyzerArn }) {
            i, call -> AA.ListAccessPreviewFindingsResponse in
            if let filter = i.filter { try validateFilter(filter) }
            let p = try preview(i.accessPreviewId, analyzerArn: i.analyzerArn, call)
            let criteria = criteria(i.filter ?? [:])
            let matching = p.findings.filter { FindingFilter.matches($0.finding, criteria) }
            let page = try offsetPage(matching, token: i.nextToken, maxResults: i.maxResults)
            return AA.ListAccessPreviewFindingsResponse(findings: page.items.map { pf in
                let f = pf.finding
                return AA.AccessPreviewFinding(
                    id: f.id, existingFindingId: pf.existingFindingID,
                    existingFindingStatus: pf.existingFindingStatus.flatMap(AA.FindingStatus.init(rawValue:)), principal: f.principal,
                    action: f.actions, condition: f.condition, resource: f.resource, isPublic: f.isPublic, resourceType: .awsIamRole,
                    createdAt: f.createdAt, changeType: AA.FindingChangeType(rawValue: pf.changeType) ?? .new,
                    status: AA.FindingStatus(rawValue: f.status) ?? .active, resourceOwnerAccount: f.resourceOwnerAccount,
                    sources: [AA.FindingSource(type: .policy)])
            }, nextToken: page.next)
        }
    }

    static func preview(_ id: String, analyzerArn: String, _ call: Call) throws -> AccessPreviews.Preview {
        let a = try analyzer(arn: analyzerArn, try call.state(), call)
        guard let p = call.service.accessAnalysis.previews.preview(account: call.account, analyzer: a.key, id: id, now: call.now) else {
            throw ServiceError(.resourceNotFound, "Access preview not found: \(id)")
        }
        return p
    }
}
