import Foundation
import Synchronization

/// The report jobs of `GenerateServiceLastAccessedDetails`, in memory. A job belongs to the principal that
/// generated it (AWS: the same user, or the same role session, must read it). Jobs expire, and the table is
/// bounded per account and in total (the oldest jobs go first), so generating reports cannot exhaust memory.
final class AccessAdvisorJobs: Sendable {
    /// A job's state, as `JobStatus` reports it.
    enum Status: Sendable { case inProgress, completed, failed }

    struct Job: Sendable {
        /// A lowercase UUID (AWS's job ids are 36 characters).
        var id: String
        var account: String
        /// The ARN of the principal that generated the job (a role session's ARN for sessions).
        var owner: String
        /// The ARN the report is about.
        var arn: String
        var actionLevel: Bool
        var created: Date
        var completed: Date?
        var status: Status
        var report: AccessReport?
        /// Why a failed job failed: (code, message).
        var failure: (code: String, message: String)?
    }

    /// How long a job can be read after it was generated.
    static let lifetime: TimeInterval = 12 * 3600
    static let maxPerAccount = 200
    static let maxTotal = 2_000

    private let jobs = Mutex<[String: Job]>([:])

    /// Stores a job, dropping expired jobs and, past the bounds, the oldest ones.
    func add(_ job: Job) {
        jobs.withLock { jobs in
            jobs = jobs.filter { job.created.timeIntervalSince($0.value.created) < Self.lifetime }
            let sameAccount = jobs.values.filter { $0.account == job.account }
            if sameAccount.count >= Self.maxPerAccount {
                for old in sameAccount.sorted(by: { $0.created < $1.created }).prefix(sameAccount.count - Self.maxPerAccount + 1) {
                    jobs[old.id] = nil
                }
            }
            if jobs.count >= Self.maxTotal {
                for old in jobs.values.sorted(by: { $0.created < $1.created }).prefix(jobs.count - Self.maxTotal + 1) {
                    jobs[old.id] = nil
                }
            }
            jobs[job.id] = job
        }
    }

    /// The job with an id, if it exists, has not expired and belongs to `owner` in `account`.
    func job(_ id: String, account: String, owner: String, now: Date) -> Job? {
        jobs.withLock { jobs in
            guard let job = jobs[id.lowercased()], job.account == account, job.owner == owner,
                  now.timeIntervalSince(job.created) < Self.lifetime else { return nil }
            return job
        }
    }

    /// How many jobs are kept (tests).
    var count: Int { jobs.withLock { $0.count } }
}
