import Foundation
import Testing
import WardenPolicy
import WardenReasoning

/// The solver against the evaluator. Random pairs of small policies (wildcards, NotAction/NotResource, Deny and a
/// few condition operators); whenever CheckNoNewAccess says PASS, no request built from the policies' own actions,
/// resources and condition values may be allowed by the new policy and denied by the old one; when it says FAIL,
/// the request the solver found must really be allowed by the new policy and denied by the old one.
///
/// `WARDEN_DIFF_SEED` and `WARDEN_DIFF_COUNT` change the seed and the number of pairs (scripts/differential-checks).
@Suite struct DifferentialTests {
    @Test func solverAgreesWithEvaluator() throws {
        let env = ProcessInfo.processInfo.environment
        let seed = env["WARDEN_DIFF_SEED"].flatMap(UInt64.init) ?? 20_240_801
        let count = env["WARDEN_DIFF_COUNT"].flatMap(Int.init) ?? 25
        var g = PolicyGenerator(seed: seed)
        var passes = 0
        var fails = 0
        var checkedCounterexamples = 0
        var undecided: [String] = []
        for round in 0..<count {
            let old = g.policy()
            let new = g.policy()
            let outcome: Result<(CheckResult, Counterexample?), ReasoningError> = Result {
                () throws(ReasoningError) in try ProvableChecks.noNewAccess(existing: old, new: new, type: .identityPolicy)
            }
            guard case .success(let (result, example)) = outcome else {
                // Undecided is an error, never an answer; it only must stay rare.
                if case .failure(let error) = outcome { undecided.append("round \(round): \(error.message)\n\(old)\n\(new)") }
                continue
            }
            let oldPolicy = try CompiledPolicy(json: old, kind: .identity, id: "old")
            let newPolicy = try CompiledPolicy(json: new, kind: .identity, id: "new")
            if result.passed {
                passes += 1
                for _ in 0..<60 {
                    let request = g.request()
                    let gained = allowed(newPolicy, request) && !allowed(oldPolicy, request)
                    #expect(!gained, "round \(round) seed \(seed): PASS, but the evaluator allows \(describe(request)) by\n\(new)\nand not by\n\(old)")
                    if gained { return }
                }
            } else {
                fails += 1
                #expect(!result.reasons.isEmpty)
                guard let example, example.exact else { continue }
                checkedCounterexamples += 1
                let request = makeRequest(example)
                let gained = allowed(newPolicy, request) && !allowed(oldPolicy, request)
                #expect(gained, "round \(round) seed \(seed): FAIL with \(example), which the evaluator does not confirm for\n\(new)\nagainst\n\(old)")
            }
        }
        // The generator must exercise both answers.
        #expect(passes > 0 && fails > 0 && checkedCounterexamples > 0)
        #expect(undecided.count * 5 <= count, "undecided:\n\(undecided.joined(separator: "\n"))")
        if !undecided.isEmpty { print("differential: \(undecided.count) of \(count) pairs undecided within the limit:\n" + undecided.joined(separator: "\n")) }
        print("differential: \(passes) PASS, \(fails) FAIL, \(checkedCounterexamples) counterexamples replayed, \(undecided.count) undecided (seed \(seed))")
    }

    func allowed(_ policy: CompiledPolicy, _ request: AuthorizationRequest) -> Bool {
        Authorizer.evaluate(request, policies: PolicySet(identity: [policy])).isAllowed
    }

    func describe(_ r: AuthorizationRequest) -> String {
        "\(r.action) on \(r.resourceARN) with \(r.context.keys.map { "\($0)=\(r.context[$0]!.values)" })"
    }

    func makeRequest(_ e: Counterexample) -> AuthorizationRequest {
        var context = RequestContext()
        for (k, v) in e.context { context.set(k, v.count == 1 ? .string(v[0]) : .strings(v)) }
        return AuthorizationRequest(principalARN: e.principalARN ?? PolicyGenerator.caller, action: e.action,
                                    resourceARN: e.resource, context: context)
    }
}

/// A small, seeded generator of identity policies and of requests made from the same vocabulary.
struct PolicyGenerator {
    static let caller = "arn:aws:iam::111122223333:user/alice"
    var state: UInt64

    init(seed: UInt64) { state = seed }

    /// SplitMix64.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func pick<T>(_ xs: [T]) -> T { xs[int(xs.count)] }
    mutating func chance(_ percent: Int) -> Bool { int(100) < percent }

    static let actionPatterns = ["s3:GetObject", "s3:PutObject", "s3:Get*", "s3:*", "*", "iam:*", "iam:CreateUser",
                                 "s3:?etObject", "ec2:Run*"]
    static let actions = ["s3:GetObject", "s3:PutObject", "s3:GetBucketPolicy", "iam:CreateUser", "iam:PassRole",
                          "ec2:RunInstances", "s3:SetObject", "sqs:SendMessage"]
    static let resourcePatterns = ["arn:aws:s3:::data/*", "arn:aws:s3:::data*", "arn:aws:s3:::*", "*",
                                   "arn:aws:s3:::data/reports/*", "arn:aws:iam::*:user/*", "arn:aws:s3:::logs/?",
                                   "arn:aws:iam::111122223333:user/${aws:PrincipalTag/team}"]
    static let resources = ["arn:aws:s3:::data/a", "arn:aws:s3:::data/reports/x", "arn:aws:s3:::datalake/y",
                            "arn:aws:s3:::logs/1", "arn:aws:s3:::logs/12", "arn:aws:iam::111122223333:user/alice",
                            "arn:aws:iam::111122223333:user/bob", "arn:aws:ec2:us-east-1:111122223333:instance/i-1"]

    static let conditions = [
        #""StringEquals":{"aws:PrincipalTag/team":"blue"}"#,
        #""StringLike":{"aws:PrincipalTag/team":"bl*"}"#,
        #""StringNotEquals":{"aws:PrincipalTag/team":["red","blue"]}"#,
        #""StringEqualsIfExists":{"aws:PrincipalTag/team":"red"}"#,
        #""Null":{"aws:PrincipalTag/team":"true"}"#,
        #""IpAddress":{"aws:SourceIp":"10.0.0.0/8"}"#,
        #""IpAddress":{"aws:SourceIp":["10.1.0.0/16","192.0.2.0/24"]}"#,
        #""NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}"#,
        #""NumericLessThan":{"s3:max-keys":"10"}"#,
        #""NumericGreaterThanEquals":{"s3:max-keys":"5"}"#,
        #""Bool":{"aws:SecureTransport":"true"}"#,
        #""ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}"#,
        #""ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}"#,
        #""ForAnyValue:StringLike":{"aws:TagKeys":"c*"}"#,
    ]

    mutating func policy() -> String {
        let n = 1 + int(3)
        var statements: [String] = []
        for _ in 0..<n {
            var parts = [#""Effect":"\#(chance(75) ? "Allow" : "Deny")""#]
            let actionList = (0..<(1 + int(2))).map { _ in "\"\(pick(Self.actionPatterns))\"" }.joined(separator: ",")
            parts.append(#""\#(chance(15) ? "NotAction" : "Action")":[\#(actionList)]"#)
            let resourceList = (0..<(1 + int(2))).map { _ in "\"\(pick(Self.resourcePatterns))\"" }.joined(separator: ",")
            parts.append(#""\#(chance(15) ? "NotResource" : "Resource")":[\#(resourceList)]"#)
            if chance(50) {
                var blocks = [pick(Self.conditions)]
                if chance(25) {
                    let extra = pick(Self.conditions)
                    if extra.split(separator: ":").first != blocks[0].split(separator: ":").first { blocks.append(extra) }
                }
                parts.append(#""Condition":{\#(blocks.joined(separator: ","))}"#)
            }
            statements.append("{" + parts.joined(separator: ",") + "}")
        }
        return #"{"Version":"2012-10-17","Statement":["# + statements.joined(separator: ",") + "]}"
    }

    mutating func request() -> AuthorizationRequest {
        var context = RequestContext()
        if chance(60) { context.set("aws:PrincipalTag/team", .string(pick(["blue", "red", "blx", "Blue", "alice"]))) }
        if chance(70) { context.set("aws:SourceIp", .string(pick(["10.0.0.1", "10.1.2.3", "192.0.2.5", "11.0.0.1", "2001:db8::1"]))) }
        if chance(50) { context.set("s3:max-keys", .string(pick(["3", "7", "12", "x"]))) }
        if chance(50) { context.set("aws:SecureTransport", .string(pick(["true", "false", "TRUE"]))) }
        if chance(50) { context.set("aws:TagKeys", pick([.strings(["a"]), .strings(["b"]), .strings(["a", "b"]), .strings(["c"]),
                                                         .strings(["a", "c"]), .strings([]), .string("cat")])) }
        let user = pick(["alice", "bob"])
        context.set("aws:username", .string(user))  // AWS always sends it for an IAM user (the encoding ties it)
        return AuthorizationRequest(principalARN: "arn:aws:iam::111122223333:user/\(user)", action: pick(Self.actions),
                                    resourceARN: pick(Self.resources), context: context)
    }
}
