import Foundation
import Synchronization
import WardenCore
import WardenStore
import WardenWire

/// GenerateFindingRecommendation and GetFindingRecommendation (`access-analyzer:*` on the analyzer's ARN): the
/// narrowed policies that would remove an `UnusedPermission` finding's unused access (see
/// `UnusedPermissionRecommendation`). A recommendation is computed when it is asked for and kept in memory with
/// the finding's id; asking again recomputes it from the policies as they are then.
extension WardenService {
    static func registerRecommendations(_ r: inout Registry) {
        typealias AA = AccessAnalyzer
        r.restJSON(.accessAnalyzer, "GenerateFindingRecommendation",
                   authorize: .resource { (i: AA.GenerateFindingRecommendationRequest, _) in i.analyzerArn }) { (i: AA.GenerateFindingRecommendationRequest, call) in
            let f = try finding(i.id, analyzerArn: i.analyzerArn, call)
            guard f.findingType == "UnusedPermission" else {
                throw ServiceError(.validationException, "Recommendations are available for UnusedPermission findings only; \(i.id) is \(f.findingType).")
            }
            let state = try call.state()
            let age = state.analyzers[f.analyzer]?.unusedAccessAge ?? 90
            let cutoff = call.now.addingTimeInterval(-Double(age) * 86_400)
            var policies: [(id: String, document: String, updatedAt: Date?)] = []
            func managed(_ arns: [String]) {
                for arn in arns {
                    if let aws = call.service.managedPolicies.policy(arn) { policies.append((arn, aws.document, aws.updateDate)) }
                    else if let p = try? state.customerPolicy(arn) { policies.append((arn, p.defaultDocument, p.updateDate)) }
                }
            }
            if let role = state.roles.values.first(where: { state.roleARN($0) == f.resource }) {
                policies += role.inlinePolicies.map { ($0.name, $0.document, nil) }
                managed(role.attachedPolicies)
            } else if let user = state.users.values.first(where: { state.userARN($0) == f.resource }) {
                policies += user.inlinePolicies.map { ($0.name, $0.document, nil) }
                managed(user.attachedPolicies)
            } else {
                throw ServiceError(.validationException, "The finding's resource \(f.resource) no longer exists.")
            }
            let steps = UnusedPermissionRecommendation.steps(policies: policies, unused: f.details ?? [], cutoff: cutoff,
                                                             catalog: call.service.accessAdvisor.catalog)
            call.service.accessAnalysis.recommendations.withLock {
                $0[f.id] = AccessAnalysis.Recommendation(resourceArn: f.resource, startedAt: call.now, completedAt: call.now, steps: steps)
            }
        }
        r.restJSON(.accessAnalyzer, "GetFindingRecommendation",
                   authorize: .resource { (i: AA.GetFindingRecommendationRequest, _) in i.analyzerArn }) { i, call -> AA.GetFindingRecommendationResponse in
            let f = try finding(i.id, analyzerArn: i.analyzerArn, call)
            guard let rec = call.service.accessAnalysis.recommendations.withLock({ $0[f.id] }) else {
                throw ServiceError(.resourceNotFound, "No recommendation has been generated for finding \(i.id); call GenerateFindingRecommendation first.")
            }
            let page = try offsetPage(rec.steps, token: i.nextToken, maxResults: i.maxResults)
            return AA.GetFindingRecommendationResponse(
                startedAt: rec.startedAt, completedAt: rec.completedAt, nextToken: page.next, resourceArn: rec.resourceArn,
                recommendedSteps: page.items.map { s in
                    AA.RecommendedStep(unusedPermissionsRecommendedStep: AA.UnusedPermissionsRecommendedStep(
                        policyUpdatedAt: s.policyUpdatedAt, recommendedAction: AA.RecommendedRemediationAction(rawValue: s.action) ?? .createPolicy,
                        recommendedPolicy: s.recommendedPolicy, existingPolicyId: s.existingPolicyID))
                }, recommendationType: .unusedPermissionRecommendation, status: .succeeded)
        }
    }
}

extension AccessAnalysis {
    /// A generated recommendation.
    struct Recommendation: Sendable {
        var resourceArn: String
        var startedAt: Date
        var completedAt: Date
        var steps: [UnusedPermissionRecommendation.Step]
    }
}
