import Foundation
import WardenCore
import WardenStore
import WardenWire

extension WardenService {
    /// AWS reuses a report generated within the last four hours and treats older ones as expired.
    static let credentialReportLifetime: TimeInterval = 4 * 3600

    static func registerCredentialReport(_ r: inout Registry) {
        r.on(.iam, "GenerateCredentialReport", authorize: .anyResource) { (call: Call) -> IAM.GenerateCredentialReportResponse in
            // Last-used facts are buffered off the request path; the report must see them.
            call.service.usage.flush(to: call.service.store)
            return try call.write { state in
                let existing = state.account.credentialReport
                if let e = existing, call.now.timeIntervalSince(e.generatedTime) < credentialReportLifetime {
                    return IAM.GenerateCredentialReportResponse(state: .complete)
                }
                // Generation is synchronous: the report is ready when this answers STARTED, so the next call
                // (which clients such as prowler make right away) answers COMPLETE.
                let report = CredentialReportRecord(csv: CredentialReport.csv(state), generatedTime: call.now)
                state.updateAccount { $0.credentialReport = report }
                return IAM.GenerateCredentialReportResponse(
                    state: .started, description: existing == nil ? "No report exists. Starting a new report generation task" : nil)
            }
        }

        r.on(.iam, "GetCredentialReport", authorize: .anyResource) { (call: Call) -> IAM.GetCredentialReportResponse in
            guard let report = try call.state().account.credentialReport else {
                throw ServiceError(.credentialReportNotPresent,
                                   "The request was rejected because the credential report does not exist. To generate a credential report, use GenerateCredentialReport.")
            }
            if call.now.timeIntervalSince(report.generatedTime) >= credentialReportLifetime {
                throw ServiceError(.credentialReportExpired,
                                   "The request was rejected because the most recent credential report has expired. To generate a new credential report, use GenerateCredentialReport.")
            }
            return IAM.GetCredentialReportResponse(content: Array(report.csv.utf8), reportFormat: .textCsv, generatedTime: report.generatedTime)
        }
    }
}
