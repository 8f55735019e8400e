import Foundation
import WardenCore
import WardenStore
import WardenWire

/// StartPolicyGeneration, GetGeneratedPolicy, ListPolicyGenerations and CancelPolicyGeneration
/// (`access-analyzer:*`, which IAM defines on no resource). See `PolicyGenerations`.
extension WardenService {
    static func registerPolicyGeneration(_ r: inout Registry) {
        typealias AA = AccessAnalyzer
        r.restJSON(.accessAnalyzer, "StartPolicyGeneration", authorize: .anyResource) { (i: AA.StartPolicyGenerationRequest, call) -> AA.StartPolicyGenerationResponse in
            let principal = i.policyGenerationDetails.principalArn
            let state = try call.state()
            let isRole = state.roles.values.contains { state.roleARN($0) == principal }
            let isUser = state.users.values.contains { state.userARN($0) == principal }
            guard isRole || isUser else {
                throw ServiceError(.validationException, "principalArn must be the ARN of a user or role in account \(call.account).")
            }
            guard let details = i.cloudTrailDetails else {
                throw ServiceError(.validationException, "cloudTrailDetails is required to generate a policy for an IAM user or role.")
            }
            let trail = trailARN(call.account)
            guard details.trails.count == 1, details.trails[0].cloudTrailArn == trail else {
                throw ServiceError(.validationException, "Warden has one trail per account: give cloudTrailArn \(trail).")
            }
            let end = details.endTime ?? call.now
            guard details.startTime < end else { throw ServiceError(.validationException, "startTime must be before endTime.") }
            guard end.timeIntervalSince(details.startTime) <= 90 * 86_400 else {
                throw ServiceError(.validationException, "The time range of a policy generation is at most 90 days.")
            }
            let id = UUID().uuidString.lowercased()
            var job = PolicyGenerations.Job(id: id, account: call.account, principalArn: principal, status: "IN_PROGRESS",
                                            startedOn: call.now, trailArn: trail, start: details.startTime, end: end)
            // Access Analyzer reads the trail as the access role: a role of the account that trusts it.
            let role = state.roles.values.first { state.roleARN($0) == details.accessRole }
            if role == nil || !(role!.assumeRolePolicy.contains("access-analyzer.amazonaws.com")) {
                job.status = "FAILED"
                job.completedOn = call.now
                job.error = ("AUTHORIZATION_ERROR", "Access Analyzer cannot assume the access role \(details.accessRole): it must be a role of this account whose trust policy allows access-analyzer.amazonaws.com.")
            }
            let generations = call.service.accessAnalysis.generations
            let service = call.service
            let runs = job.status == "IN_PROGRESS"
            try generations.start(job, now: call.now) { if runs { generations.run(id, service: service) } }
            return AA.StartPolicyGenerationResponse(jobId: id)
        }
        r.restJSON(.accessAnalyzer, "GetGeneratedPolicy", authorize: .anyResource) { (i: AA.GetGeneratedPolicyRequest, call) -> AA.GetGeneratedPolicyResponse in
            guard let job = call.service.accessAnalysis.generations.job(i.jobId, account: call.account) else {
                throw ServiceError(.validationException, "Invalid jobId: no policy generation \(i.jobId).")
            }
            let policies = job.status == "SUCCEEDED"
                ? [AA.GeneratedPolicy(policy: PolicyGenerations.policy(job, placeholders: i.includeResourcePlaceholders ?? false))] : nil
            return AA.GetGeneratedPolicyResponse(
                jobDetails: wire(job),
                generatedPolicyResult: AA.GeneratedPolicyResult(
                    properties: AA.GeneratedPolicyProperties(
                        isComplete: job.status == "SUCCEEDED" ? job.isComplete : nil, principalArn: job.principalArn,
                        cloudTrailProperties: AA.CloudTrailProperties(
                            trailProperties: [AA.TrailProperties(cloudTrailArn: job.trailArn, allRegions: true)],
                            startTime: job.start, endTime: job.end)),
                    generatedPolicies: policies))
        }
        r.restJSON(.accessAnalyzer, "ListPolicyGenerations", authorize: .anyResource) { (i: AA.ListPolicyGenerationsRequest, call) -> AA.ListPolicyGenerationsResponse in
            let all = call.service.accessAnalysis.generations.list(account: call.account, principal: i.principalArn, now: call.now)
            let page = try tokenPage(all, key: { String(format: "%016llx", UInt64(max(0, $0.startedOn.timeIntervalSince1970 * 1000))) + $0.id },
                                     token: i.nextToken, maxResults: i.maxResults)
            return AA.ListPolicyGenerationsResponse(policyGenerations: page.items.map {
                AA.PolicyGeneration(jobId: $0.id, principalArn: $0.principalArn, status: AA.JobStatus(rawValue: $0.status) ?? .failed,
                                    startedOn: $0.startedOn, completedOn: $0.completedOn)
            }, nextToken: page.marker)
        }
        r.restJSON(.accessAnalyzer, "CancelPolicyGeneration", authorize: .anyResource) { (i: AA.CancelPolicyGenerationRequest, call) -> AA.CancelPolicyGenerationResponse in
            let generations = call.service.accessAnalysis.generations
            guard generations.job(i.jobId, account: call.account) != nil else {
                throw ServiceError(.validationException, "Invalid jobId: no policy generation \(i.jobId).")
            }
            generations.update(i.jobId) { j in
                if j.status == "IN_PROGRESS" { j.status = "CANCELED"; j.completedOn = call.now }
            }
            return AA.CancelPolicyGenerationResponse()
        }
    }

    static func wire(_ job: PolicyGenerations.Job) -> AccessAnalyzer.JobDetails {
        AccessAnalyzer.JobDetails(
            jobId: job.id, status: AccessAnalyzer.JobStatus(rawValue: job.status) ?? .failed, startedOn: job.startedOn,
            completedOn: job.completedOn,
            jobError: job.error.map { AccessAnalyzer.JobError(code: AccessAnalyzer.JobErrorCode(rawValue: $0.code) ?? .serviceError, message: $0.message) })
    }
}
