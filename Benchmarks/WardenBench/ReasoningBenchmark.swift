import Foundation
import WardenReasoning

/// Provable checks: CheckNoNewAccess on pairs of 20-statement identity policies (median and p99 per check), and
/// ExternalAccessAnalysis over 1,000 role trust policies (total and per policy). Single thread, one Z3 context per
/// check.
func runReasoningBenchmarks() {
    emit("provable checks (Z3 \(ProvableChecks.solverVersion))")
    var g = ReasoningFixture(seed: 7)
    var times: [Double] = []
    var fails = 0
    for _ in 0..<30 {
        let (old, new) = g.pair(statements: 20)
        let start = DispatchTime.now().uptimeNanoseconds
        guard let r = try? ProvableChecks.checkNoNewAccess(existing: old, new: new, type: .identityPolicy) else { continue }
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        if !r.passed { fails += 1 }
    }
    times.sort()
    let median = times[times.count / 2]
    let p99 = times[min(times.count - 1, Int(Double(times.count) * 0.99))]
    emit(String(format: "  CheckNoNewAccess, 20 vs 20 statements: median %.1f ms, p99 %.1f ms (%d pairs, %d FAIL)",
                 median, p99, times.count, fails))
    let trusts = (0..<1000).map { g.trustPolicy($0) }
    let start = DispatchTime.now().uptimeNanoseconds
    var findings = 0
    for t in trusts { findings += (try? ExternalAccessAnalysis.analyze(policy: t, account: "111122223333", organizationID: nil).count) ?? 0 }
    let total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    emit(String(format: "  ExternalAccessAnalysis, 1,000 trust policies: %.2f s (%.1f ms per policy, %d findings)",
                 total, total, findings))
}


/// Writes a line at once (unbuffered), so the numbers show while later benchmarks run.
private func emit(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

/// Seeded policies for the benchmark.
struct ReasoningFixture {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int(truncatingIfNeeded: state >> 33)
    }
    mutating func pick(_ xs: [String]) -> String { xs[next() % xs.count] }

    static let actions = ["s3:GetObject", "s3:PutObject", "s3:Get*", "s3:List*", "iam:Get*", "iam:PassRole", "ec2:Describe*",
                          "sqs:SendMessage", "dynamodb:Query", "kms:Decrypt", "lambda:InvokeFunction", "sns:Publish"]
    static let resources = ["arn:aws:s3:::data/*", "arn:aws:s3:::logs/*", "arn:aws:s3:::data/reports/*", "*",
                            "arn:aws:iam::111122223333:role/app-*", "arn:aws:sqs:us-east-1:111122223333:queue-?",
                            "arn:aws:dynamodb:*:111122223333:table/orders", "arn:aws:kms:us-east-1:111122223333:key/*"]
    static let conditions = [#"{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#, #"{"StringEquals":{"aws:PrincipalTag/team":"blue"}}"#,
                             #"{"Bool":{"aws:SecureTransport":"true"}}"#, #"{"NumericLessThan":{"s3:max-keys":"100"}}"#,
                             #"{"ForAllValues:StringEquals":{"aws:TagKeys":["team","env"]}}"#]

    mutating func statement(allowOnly: Bool = false) -> String {
        var s = #"{"Effect":"\#(allowOnly || next() % 6 != 0 ? "Allow" : "Deny")","Action":["\#(pick(Self.actions))","\#(pick(Self.actions))"],"Resource":"\#(pick(Self.resources))""#
        if next() % 3 == 0 { s += #","Condition":\#(pick(Self.conditions))"# }
        return s + "}"
    }

    /// An existing policy and a revision of it: a few statements replaced, so some pairs PASS and some FAIL.
    mutating func pair(statements: Int) -> (String, String) {
        let old = (0..<statements).map { _ in statement() }
        var new = old
        for _ in 0..<2 { new[next() % statements] = statement() }
        func doc(_ s: [String]) -> String { #"{"Version":"2012-10-17","Statement":["# + s.joined(separator: ",") + "]}" }
        return (doc(old), doc(new))
    }

    mutating func trustPolicy(_ i: Int) -> String {
        let principals = [#"{"AWS":"arn:aws:iam::444455556666:root"}"#, #"{"AWS":"arn:aws:iam::111122223333:root"}"#, #""*""#,
                          #"{"Service":"ec2.amazonaws.com"}"#, #"{"Federated":"cognito-identity.amazonaws.com"}"#,
                          #"{"AWS":["arn:aws:iam::444455556666:role/ci","111122223333"]}"#]
        let conditions = ["", #","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}"#,
                          #","Condition":{"StringEquals":{"sts:ExternalId":"x-\#(i)"}}"#,
                          #","Condition":{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/deploy-*"}}"#]
        let action = principals[i % principals.count].contains("Federated") ? "sts:AssumeRoleWithWebIdentity" : "sts:AssumeRole"
        return #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":\#(principals[i % principals.count]),"Action":"\#(action)"\#(conditions[(i / 6) % conditions.count])}]}"#
    }
}
