import Foundation
import Testing
import WardenStore
import WardenStoreSQLite

/// The cost of storing and looking up audit records, for comparing storage designs. Skipped unless
/// `WARDEN_AUDIT_BENCH` is set: `WARDEN_AUDIT_BENCH=1 swift test --skip-build --filter AuditBenchmark`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["WARDEN_AUDIT_BENCH"] != nil))
struct AuditBenchmark {
    /// The process's CPU time so far: user, system.
    static func cpuSeconds() -> (user: Double, system: Double) {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return (Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6, Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6)
    }

    /// A record shaped like a signed read's: about 1.5 KB of JSON, one resource.
    static func entry(_ i: Int, time: Date) -> AuditEntry {
        let account = ["111111111111", "222222222222", "333333333333"][i % 3]
        let user = "user\(i % 50)"
        let key = "AKIAEXAMPLE\(String(format: "%09d", i % 50))"
        let name = ["GetUser", "ListUsers", "GetRole", "ListAttachedUserPolicies", "GetCallerIdentity", "SimulatePrincipalPolicy"][i % 6]
        let arn = i % 40_000 == 7 ? "arn:aws:iam::\(account):user/rare" : "arn:aws:iam::\(account):user/\(user)"
        var record = #"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"\#(arn)","accountId":"\#(account)","accessKeyId":"\#(key)","userName":"\#(user)"},"eventTime":"2026-12-03T10:00:00Z","eventSource":"iam.amazonaws.com","eventName":"\#(name)","awsRegion":"us-east-1","sourceIPAddress":"10.0.0.1","userAgent":"aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64 prompt/off command/iam.get-user","requestParameters":{"userName":"\#(user)"},"responseElements":null,"requestID":"\#(UUID().uuidString)","eventID":"x","readOnly":true,"resources":[{"accountId":"\#(account)","type":"AWS::IAM::User","ARN":"\#(arn)"}],"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"\#(account)","eventCategory":"Management","tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"iam.amazonaws.com"}}"#
        record += String(repeating: " ", count: max(0, 1500 - record.utf8.count))
        let ms = UInt64(time.timeIntervalSince1970 * 1000)  // time-ordered ids, as the recorder makes them (UUID version 7 layout)
        let id = String(format: "%08llx-%04llx-7%03x-8%03x-%012llx", ms >> 16, ms & 0xffff, i & 0xfff, (i >> 12) & 0xfff, UInt64(i))
        return AuditEntry(eventID: id, account: account, time: time, eventName: name,
                          eventSource: "iam.amazonaws.com", region: "us-east-1", username: user, accessKeyID: key,
                          readOnly: true, resources: [AuditResource(type: "AWS::IAM::User", name: arn)], record: record)
    }

    @Test func appendAndLookup() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("warden-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let backend = try SQLiteBackend(path: dir.appendingPathComponent("warden.db").path)
        let total = 200_000, batch = 500
        let base = Date(timeIntervalSince1970: 1_800_000_000)
        var batches: [[AuditEntry]] = []
        for b in 0..<(total / batch) {
            batches.append((0..<batch).map { j in let i = b * batch + j; return Self.entry(i, time: base.addingTimeInterval(Double(i) * 0.0002)) })
        }
        let cpu0 = Self.cpuSeconds(), wall0 = Date()
        for entries in batches { try backend.append(entries) }
        let cpu1 = Self.cpuSeconds(), wall = Date().timeIntervalSince(wall0)
        func perRecord(_ seconds: Double) -> String { String(format: "%.2f", seconds / Double(total) * 1e6) }
        print("append: per record \(perRecord(cpu1.user - cpu0.user)) µs user CPU, \(perRecord(cpu1.system - cpu0.system)) µs system CPU, \(perRecord(wall)) µs wall")

        func time(_ label: String, _ query: AuditQuery) throws {
            var samples: [Double] = []
            var n = 0
            for _ in 0..<20 {
                let t0 = Date()
                n = try backend.lookup(query).count
                samples.append(Date().timeIntervalSince(t0))
            }
            samples.sort()
            print("lookup \(label): \(n) results, median \(String(format: "%.3f", samples[10] * 1000)) ms")
        }
        let account = "111111111111"
        try time("newest 50", AuditQuery(account: account, limit: 51))
        try time("username", AuditQuery(account: account, attribute: .username("user3"), limit: 51))
        try time("rare resource", AuditQuery(account: account, attribute: .resourceName("arn:aws:iam::\(account):user/rare"), limit: 51))
        try time("eventId", AuditQuery(account: account, attribute: .eventID(batches[100].first { $0.account == account }!.eventID), limit: 51))
    }
}
