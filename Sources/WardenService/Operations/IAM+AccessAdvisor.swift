import Foundation
import WardenCore
import WardenStore
import WardenWire

/// The IAM access advisor: service (and action) last accessed reports for users, groups, roles and managed
/// policies. A report is computed when its job is generated, so the job is COMPLETED when Generate answers; the
/// Get operations page through it.
extension WardenService {
    static func registerAccessAdvisor(_ r: inout Registry) {
        // The action's resource is the entity; a caller who may not generate its report learns nothing about it.
        r.on(.iam, "GenerateServiceLastAccessedDetails", authorize: .resource { i, _ in i.arn }) {
            (i: IAM.GenerateServiceLastAccessedDetailsRequest, call) -> IAM.GenerateServiceLastAccessedDetailsResponse in
            // The report covers every call made before this one: take the stream's waiting events first.
            call.service.events.drain(call.service.store)
            let advisor = call.service.accessAdvisor
            guard let (state, facts) = advisor.snapshot(account: call.account, store: call.service.store) else {
                throw ServiceError(.serviceFailure, "The account \(call.account) does not exist.")
            }
            let subject = try accessReportSubject(i.arn, state: state, service: call.service)
            let actionLevel = i.granularity == .actionLevel
            let report = AccessReport.compute(subject: subject, state: state, facts: facts, catalog: advisor.catalog,
                                              policyDocument: { PolicySources.managedDocument($0, state, call.service) },
                                              actionLevel: actionLevel)
            let job = AccessAdvisorJobs.Job(id: UUID().uuidString.lowercased(), account: call.account, owner: call.caller.principal.arn,
                                            arn: i.arn, actionLevel: actionLevel, created: call.now, completed: call.now,
                                            status: .completed, report: report)
            advisor.jobs.add(job)
            return IAM.GenerateServiceLastAccessedDetailsResponse(jobId: job.id)
        }

        r.on(.iam, "GetServiceLastAccessedDetails", authorize: .anyResource) {
            (i: IAM.GetServiceLastAccessedDetailsRequest, call) -> IAM.GetServiceLastAccessedDetailsResponse in
            // IAM defines no resource type for reading a report: policies grant it on "*".
            let job = try accessAdvisorJob(i.jobId, call)
            let jobType: IAM.AccessAdvisorUsageGranularityType = job.actionLevel ? .actionLevel : .serviceLevel
            guard job.status == .completed, let report = job.report else {
                return IAM.GetServiceLastAccessedDetailsResponse(
                    jobStatus: wireStatus(job.status), jobType: jobType, jobCreationDate: job.created, servicesLastAccessed: [],
                    jobCompletionDate: job.completed ?? job.created, error: job.failure.map { IAM.ErrorDetails(message: $0.message, code: $0.code) })
            }
            // AWS sorts the list by service namespace.
            let page = try Page(report.services, key: \.namespace, marker: i.marker, maxItems: i.maxItems)
            return IAM.GetServiceLastAccessedDetailsResponse(
                jobStatus: .completed, jobType: jobType, jobCreationDate: job.created,
                servicesLastAccessed: page.items.map { wireService($0, report, actionLevel: job.actionLevel) },
                jobCompletionDate: job.completed ?? job.created, isTruncated: page.isTruncated, marker: page.marker)
        }

        r.on(.iam, "GetServiceLastAccessedDetailsWithEntities", authorize: .anyResource) {
            (i: IAM.GetServiceLastAccessedDetailsWithEntitiesRequest, call) -> IAM.GetServiceLastAccessedDetailsWithEntitiesResponse in
            let job = try accessAdvisorJob(i.jobId, call)
            guard job.status == .completed, let report = job.report else {
                return IAM.GetServiceLastAccessedDetailsWithEntitiesResponse(
                    jobStatus: wireStatus(job.status), jobCreationDate: job.created, jobCompletionDate: job.completed ?? job.created,
                    entityDetailsList: [], error: job.failure.map { IAM.ErrorDetails(message: $0.message, code: $0.code) })
            }
            let details = entityDetails(report, namespace: i.serviceNamespace.lowercased())
            let page = try Page(details, key: \.sortKey, marker: i.marker, maxItems: i.maxItems)
            return IAM.GetServiceLastAccessedDetailsWithEntitiesResponse(
                jobStatus: .completed, jobCreationDate: job.created, jobCompletionDate: job.completed ?? job.created,
                entityDetailsList: page.items.map(\.wire), isTruncated: page.isTruncated, marker: page.marker)
        }
    }

    /// The user, group, role or managed policy an ARN names. Called after authorization on the ARN.
    static func accessReportSubject(_ arn: String, state: AccountState, service: WardenService) throws -> AccessReportSubject {
        guard let parts = ARN.parse(arn), parts.service == "iam", let pn = ARN.pathAndName(ofResource: parts.resource),
              ["user", "group", "role", "policy"].contains(pn.type), !pn.name.isEmpty else {
            throw ServiceError.invalidInput("ARN \(arn) is not valid.")
        }
        if pn.type == "policy" {
            if parts.account == "aws" {
                guard let policy = service.managedPolicies.policy(arn) else {
                    throw ServiceError.noSuchEntity("Policy \(arn) does not exist or is not attachable.", resource: arn)
                }
                return .policy(arn: arn, document: policy.document)
            }
            let policy = try state.customerPolicy(arn)
            return .policy(arn: arn, document: policy.defaultDocument)
        }
        let key = pn.name.lowercased()
        let notFound = ServiceError.noSuchEntity("The \(pn.type) with name \(pn.name) cannot be found.", resource: arn)
        guard parts.account == state.account.id else { throw notFound }
        switch pn.type {
        case "user":
            guard let u = state.users[key], state.userARN(u) == arn else { throw notFound }
            return .user(u)
        case "group":
            guard let g = state.groups[key], state.groupARN(g) == arn else { throw notFound }
            return .group(g)
        default:
            guard let r = state.roles[key], state.roleARN(r) == arn else { throw notFound }
            return .role(r)
        }
    }

    /// The caller's job with an id. A job of another principal, an expired one and an unknown id read alike.
    static func accessAdvisorJob(_ id: String, _ call: Call) throws -> AccessAdvisorJobs.Job {
        guard let job = call.service.accessAdvisor.jobs.job(id, account: call.account, owner: call.caller.principal.arn, now: call.now) else {
            throw ServiceError.invalidInput("The job \(id) does not exist, has expired, or was generated by another principal.")
        }
        return job
    }

    static func wireStatus(_ status: AccessAdvisorJobs.Status) -> IAM.JobStatusType {
        switch status {
        case .inProgress: .inProgress
        case .completed: .completed
        case .failed: .failed
        }
    }

    /// One service of a report as `GetServiceLastAccessedDetails` lists it. A service nobody used has no
    /// `LastAuthenticated*` members and a total of 0.
    static func wireService(_ s: AccessReport.Service, _ report: AccessReport, actionLevel: Bool) -> IAM.ServiceLastAccessed {
        let last = s.lastUse
        let actions = actionLevel ? s.actions?.map { a in
            IAM.TrackedActionLastAccessed(actionName: a.name, lastAccessedEntity: a.lastUse.map { report.entities[$0.entity].arn },
                                          lastAccessedTime: a.lastUse?.time, lastAccessedRegion: a.lastUse?.region)
        } : nil
        return IAM.ServiceLastAccessed(serviceName: s.name, lastAuthenticated: last?.time, serviceNamespace: s.namespace,
                                       lastAuthenticatedEntity: last.map { report.entities[$0.entity].arn },
                                       lastAuthenticatedRegion: last?.region, totalAuthenticatedEntities: s.uses.count,
                                       trackedActionsLastAccessed: actions)
    }

    /// One entity's row of `GetServiceLastAccessedDetailsWithEntities`, with the key that orders it.
    struct EntityDetail {
        var wire: IAM.EntityDetails
        /// Most recent use first, then the entities that never used the service, by ARN.
        var sortKey: String
    }

    /// Every entity the report covers, with its latest use of the service. A service the report does not list
    /// (the policies do not allow it) has no entities that could have used it.
    static func entityDetails(_ report: AccessReport, namespace: String) -> [EntityDetail] {
        guard let service = report.services.first(where: { $0.namespace == namespace }) else { return [] }
        var lastUse: [Int: AccessReport.Use] = [:]
        for use in service.uses { lastUse[use.entity] = use }
        return report.entities.enumerated().map { index, e in
            let info = IAM.EntityInfo(arn: e.arn, name: e.name, type: e.kind == .user ? .user : .role, id: e.id, path: e.path)
            guard let use = lastUse[index] else {
                return EntityDetail(wire: IAM.EntityDetails(entityInfo: info), sortKey: "1 \(e.arn)")
            }
            // Fixed width, inverted: a later time sorts first.
            let inverted = String(Int64.max - Int64((use.time.timeIntervalSince1970 * 1000).rounded()))
            let padded = String(repeating: "0", count: max(0, 19 - inverted.count)) + inverted
            return EntityDetail(wire: IAM.EntityDetails(entityInfo: info, lastAuthenticated: use.time), sortKey: "0 \(padded) \(e.arn)")
        }
    }
}
