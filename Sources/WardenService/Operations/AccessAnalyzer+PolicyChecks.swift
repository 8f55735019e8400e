import Dispatch
import Foundation
import WardenCore
import WardenReasoning
import WardenValidation
import WardenWire

/// ValidatePolicy (AWS's policy checks, `WardenValidation`) and the provable checks CheckNoNewAccess,
/// CheckAccessNotGranted and CheckNoPublicAccess (decided by the Z3 SMT solver, `WardenReasoning`), all authorized
/// as `access-analyzer:ACTION` on `*`.
///
/// Solving runs on its own dispatch queue, never on a thread of Swift's cooperative pool that serves requests,
/// and each solver query is bounded (`ReasoningLimits`: 10 s, 20 KiB policies); a check that cannot decide in
/// time answers `UnprocessableEntityException`, never a PASS.
extension WardenService {
    static let reasoningQueue = DispatchQueue(label: "warden.reasoning", qos: .userInitiated)

    static func registerPolicyChecks(_ r: inout Registry) {
        typealias AA = AccessAnalyzer
        r.restJSON(.accessAnalyzer, "ValidatePolicy", authorize: .anyResource) { (i: AA.ValidatePolicyRequest, call) -> AA.ValidatePolicyResponse in
            let type: ValidatePolicyType = switch i.policyType {
            case .identityPolicy: .identity
            case .resourcePolicy: .resource
            case .serviceControlPolicy: .serviceControl
            case .resourceControlPolicy: .resourceControl
            }
            if i.validatePolicyResourceType != nil && type != .resource {
                throw ServiceError(.validationException, "validatePolicyResourceType is only valid with policyType RESOURCE_POLICY.")
            }
            let findings = PolicyChecks.validate(i.policyDocument, type: type, resourceType: i.validatePolicyResourceType?.rawValue)
            let page = try offsetPage(findings, token: i.nextToken, maxResults: i.maxResults)
            return AA.ValidatePolicyResponse(findings: page.items.map(wire), nextToken: page.next)
        }
        r.restJSON(.accessAnalyzer, "CheckNoNewAccess", authorize: .anyResource) { (i: AA.CheckNoNewAccessRequest, call) -> AA.CheckNoNewAccessResponse in
            let result = try await reason { () throws(ReasoningError) -> CheckResult in
                try ProvableChecks.checkNoNewAccess(existing: i.existingPolicyDocument, new: i.newPolicyDocument, type: checkType(i.policyType))
            }
            return AA.CheckNoNewAccessResponse(result: result.passed ? .pass : .fail, message: result.message, reasons: wire(result.reasons))
        }
        r.restJSON(.accessAnalyzer, "CheckAccessNotGranted", authorize: .anyResource) { (i: AA.CheckAccessNotGrantedRequest, call) -> AA.CheckAccessNotGrantedResponse in
            let access = i.access.map { AccessQuery(actions: $0.actions ?? [], resources: $0.resources ?? []) }
            let result = try await reason { () throws(ReasoningError) -> CheckResult in
                try ProvableChecks.checkAccessNotGranted(policy: i.policyDocument, type: checkType(i.policyType), access: access)
            }
            return AA.CheckAccessNotGrantedResponse(result: result.passed ? .pass : .fail, message: result.message, reasons: wire(result.reasons))
        }
        r.restJSON(.accessAnalyzer, "CheckNoPublicAccess", authorize: .anyResource) { (i: AA.CheckNoPublicAccessRequest, call) -> AA.CheckNoPublicAccessResponse in
            let result = try await reason { () throws(ReasoningError) -> CheckResult in
                try ProvableChecks.checkNoPublicAccess(policy: i.policyDocument, resourceType: i.resourceType.rawValue)
            }
            return AA.CheckNoPublicAccessResponse(result: result.passed ? .pass : .fail, message: result.message, reasons: wire(result.reasons))
        }
    }

    static func checkType(_ t: AccessAnalyzer.AccessCheckPolicyType) -> PolicyCheckType {
        switch t {
        case .identityPolicy: .identityPolicy
        case .resourcePolicy: .resourcePolicy
        }
    }

    /// Runs a check on the reasoning queue and maps its errors to Access Analyzer's.
    static func reason(_ body: @escaping @Sendable () throws(ReasoningError) -> CheckResult) async throws -> CheckResult {
        let outcome: Result<CheckResult, ReasoningError> = await withCheckedContinuation { done in
            reasoningQueue.async {
                do throws(ReasoningError) { done.resume(returning: .success(try body())) } catch { done.resume(returning: .failure(error)) }
            }
        }
        switch outcome {
        case .success(let r): return r
        case .failure(let e):
            switch e.code {
            case .invalidPolicy: throw ServiceError(.invalidParameterException, "The policy document is not valid: \(e.message)")
            case .policyTooLarge, .invalidArgument: throw ServiceError(.validationException, e.message)
            case .timeout: throw ServiceError(.unprocessableEntity, "The check could not be decided within its time limit: \(e.message)")
            case .solverFailure: throw ServiceError(.serviceFailure, "An internal error occurred.")
            }
        }
    }

    static func wire(_ reasons: [CheckReason]) -> [AccessAnalyzer.ReasonSummary]? {
        reasons.isEmpty ? nil : reasons.map { AccessAnalyzer.ReasonSummary(description: $0.description, statementIndex: $0.statementIndex, statementId: $0.statementId) }
    }

    static func wire(_ f: ValidationFinding) -> AccessAnalyzer.ValidatePolicyFinding {
        typealias AA = AccessAnalyzer
        return AA.ValidatePolicyFinding(
            findingDetails: f.findingDetails, findingType: AA.ValidatePolicyFindingType(rawValue: f.findingType.rawValue) ?? .error,
            issueCode: f.issueCode, learnMoreLink: f.learnMoreLink,
            locations: f.locations.map { l in
                AA.Location(path: l.path.map { p -> AA.PathElement in
                    switch p {
                    case .index(let i): AA.PathElement(index: i)
                    case .key(let k): AA.PathElement(key: k)
                    case .value(let v): AA.PathElement(value: v)
                    case .substring(let start, let length): AA.PathElement(substring: AA.Substring(start: start, length: length))
                    }
                }, span: AA.Span(start: AA.Position(line: l.span.start.line, column: l.span.start.column, offset: l.span.start.offset),
                                 end: AA.Position(line: l.span.end.line, column: l.span.end.column, offset: l.span.end.offset)))
            })
    }
}
