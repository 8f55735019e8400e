import Foundation
import Testing
@testable import WardenPolicy

/// SplitMix64: a tiny seeded generator so failures reproduce.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random policies and requests drawn from overlapping pools, evaluated by the compiled engine and by
/// `NaiveEvaluator`; the decisions (effect and deciding policy type) must agree.
@Suite struct PropertyTests {
    static let account = "123456789012"
    static let other = "444455556666"
    static let actions = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "iam:CreateUser", "iam:GetUser", "ec2:DescribeInstances",
                          "ec2:RunInstances", "sts:AssumeRole", "sts:GetCallerIdentity", "dynamodb:GetItem"]
    static let actionPatterns = ["s3:GetObject", "s3:Get*", "s3:*", "*", "iam:*User", "IAM:createuser", "ec2:Describe?nstances",
                                 "ec2:*", "s3:*Object", "dynamodb:Get?tem", "iam:Get*", "sts:*", "s3:List*", "*:GetObject", "s3:?utObject"]
    static let resources = ["arn:aws:s3:::bucket/home/alice/a.txt", "arn:aws:s3:::bucket/home/bob/b.txt", "arn:aws:s3:::bucket",
                            "arn:aws:s3:::other/x", "arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:user/team/bob",
                            "arn:aws:ec2:us-east-1:123456789012:instance/i-1", "arn:aws:ec2:eu-west-1:444455556666:instance/i-2",
                            "arn:aws:dynamodb:us-east-1:123456789012:table/T", "*", "arn:aws:iam::123456789012:role/AppRole"]
    static let resourcePatterns = ["*", "arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", "arn:aws:s3:::bucket/home/${aws:username}/*",
                                   "arn:aws:s3:::*/x", "arn:aws:iam::123456789012:user/*", "arn:aws:iam::*:user/team/*",
                                   "arn:aws:ec2:*:123456789012:instance/*", "arn:aws:ec2:us-*:*:instance/i-?", "arn:aws:dynamodb:*:*:table/${aws:PrincipalTag/team, 'T'}",
                                   "arn:aws:s3:::bucket/home/*/a.txt", "arn:aws:iam::123456789012:role/*", "arn:aws:S3:::bucket/*",
                                   "arn:aws:ec2:*:instance/*"]
    static let principals: [(String, RequestPrincipal.Kind, String, String?)] = [
        ("arn:aws:iam::123456789012:user/alice", .user, "123456789012", nil),
        ("arn:aws:iam::123456789012:user/bob", .user, "123456789012", nil),
        ("arn:aws:sts::123456789012:assumed-role/AppRole/s1", .assumedRole, "123456789012", "arn:aws:iam::123456789012:role/AppRole"),
        ("arn:aws:iam::123456789012:root", .root, "123456789012", nil),
        ("arn:aws:iam::444455556666:user/olga", .user, "444455556666", nil),
        ("arn:aws:sts::444455556666:assumed-role/Partner/p", .assumedRole, "444455556666", "arn:aws:iam::444455556666:role/Partner"),
    ]
    static let principalElements = ["\"*\"", "{\"AWS\": \"123456789012\"}", "{\"AWS\": \"arn:aws:iam::123456789012:user/alice\"}",
                                     "{\"AWS\": [\"arn:aws:iam::444455556666:root\", \"arn:aws:iam::123456789012:user/bob\"]}",
                                     "{\"AWS\": \"arn:aws:iam::123456789012:role/AppRole\"}", "{\"AWS\": \"arn:aws:sts::123456789012:assumed-role/AppRole/s1\"}",
                                     "{\"AWS\": \"arn:aws:iam::444455556666:role/Partner\"}"]
    static let conditions: [String] = [
        "\"StringEquals\": {\"aws:PrincipalTag/team\": \"red\"}",
        "\"StringNotEquals\": {\"aws:PrincipalTag/team\": [\"red\", \"blue\"]}",
        "\"StringLike\": {\"s3:prefix\": [\"home/*\", \"pub?/*\"]}",
        "\"StringNotLike\": {\"s3:prefix\": \"home/${aws:username}/*\"}",
        "\"StringEqualsIgnoreCase\": {\"aws:PrincipalTag/team\": \"RED\"}",
        "\"StringNotEqualsIgnoreCase\": {\"aws:PrincipalTag/team\": \"Blue\"}",
        "\"StringEqualsIfExists\": {\"aws:PrincipalTag/team\": \"blue\"}",
        "\"NumericLessThan\": {\"aws:MultiFactorAuthAge\": \"3600\"}",
        "\"NumericGreaterThanEquals\": {\"s3:max-keys\": 10}",
        "\"NumericNotEquals\": {\"s3:max-keys\": [\"5\", \"10\"]}",
        "\"DateLessThan\": {\"aws:CurrentTime\": \"2025-01-01T00:00:00Z\"}",
        "\"DateGreaterThanEquals\": {\"aws:EpochTime\": \"1700000000\"}",
        "\"Bool\": {\"aws:SecureTransport\": \"true\"}",
        "\"BoolIfExists\": {\"aws:MultiFactorAuthPresent\": \"true\"}",
        "\"IpAddress\": {\"aws:SourceIp\": [\"10.0.0.0/8\", \"192.0.2.0/24\"]}",
        "\"NotIpAddress\": {\"aws:SourceIp\": \"10.1.0.0/16\"}",
        "\"ArnLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::123456789012:*\"}",
        "\"ArnNotEquals\": {\"aws:PrincipalArn\": \"arn:aws:iam::123456789012:user/bob\"}",
        "\"Null\": {\"aws:MultiFactorAuthAge\": \"true\"}",
        "\"Null\": {\"aws:PrincipalTag/team\": \"false\"}",
        "\"ForAllValues:StringEquals\": {\"aws:TagKeys\": [\"a\", \"b\"]}",
        "\"ForAnyValue:StringLike\": {\"aws:TagKeys\": \"c*\"}",
        "\"ForAllValues:StringNotLike\": {\"aws:TagKeys\": \"a*\"}",
        "\"ForAnyValue:StringNotEquals\": {\"aws:TagKeys\": \"a\"}",
        "\"StringEquals\": {\"aws:TagKeys\": \"a\"}",
        "\"StringEquals\": {\"aws:PrincipalTag/team\": \"${aws:PrincipalTag/dept}\"}",
        "\"StringLike\": {\"aws:userid\": \"*:${aws:username}\"}",
        "\"ForAllValues:NumericLessThan\": {\"x:sizes\": 10}",
        "\"ForAnyValue:IpAddressIfExists\": {\"x:ips\": \"10.0.0.0/8\"}",
    ]

    static func pick<T>(_ a: [T], _ g: inout SeededRandom) -> T { a[Int(g.next() % UInt64(a.count))] }
    static func chance(_ percent: UInt64, _ g: inout SeededRandom) -> Bool { g.next() % 100 < percent }

    static func list(_ pool: [String], _ g: inout SeededRandom) -> String {
        let n = 1 + Int(g.next() % 3)
        let items = (0..<n).map { _ in "\"\(pick(pool, &g))\"" }
        return n == 1 && chance(50, &g) ? items[0] : "[" + items.joined(separator: ", ") + "]"
    }

    static func statement(_ g: inout SeededRandom, principal: Bool) -> String {
        var parts: [String] = ["\"Effect\": \"\(chance(25, &g) ? "Deny" : "Allow")\""]
        if principal { parts.append((chance(15, &g) ? "\"NotPrincipal\": " : "\"Principal\": ") + pick(principalElements, &g)) }
        parts.append((chance(12, &g) ? "\"NotAction\": " : "\"Action\": ") + list(actionPatterns, &g))
        parts.append((chance(10, &g) ? "\"NotResource\": " : "\"Resource\": ") + list(resourcePatterns, &g))
        if chance(60, &g) {
            let n = 1 + Int(g.next() % 2)
            var seen = Set<String>()
            var blocks: [String] = []
            for _ in 0..<n {
                let c = pick(conditions, &g)
                let op = String(c.split(separator: ":")[0])
                if seen.insert(op).inserted { blocks.append(c) }
            }
            parts.append("\"Condition\": {" + blocks.joined(separator: ", ") + "}")
        }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    static func document(_ g: inout SeededRandom, principal: Bool) -> String {
        let n = 1 + Int(g.next() % 4)
        let version = chance(85, &g) ? "\"Version\": \"2012-10-17\", " : (chance(50, &g) ? "\"Version\": \"2008-10-17\", " : "")
        return "{" + version + "\"Statement\": [" + (0..<n).map { _ in statement(&g, principal: principal) }.joined(separator: ", ") + "]}"
    }

    static func context(_ g: inout SeededRandom, principal: (String, RequestPrincipal.Kind, String, String?)) -> [String: ContextValue] {
        var c: [String: ContextValue] = [:]
        func maybe(_ key: String, _ values: [ContextValue]) { if chance(60, &g) { c[key] = pick(values, &g) } }
        maybe("aws:PrincipalTag/team", ["red", "blue", "Red", "green"])
        maybe("aws:PrincipalTag/dept", ["red", "ops"])
        maybe("s3:prefix", ["home/alice/x", "pub1/y", "home/bob/z", "private"])
        maybe("aws:MultiFactorAuthAge", ["100", "3600", "7200.5", "abc"])
        maybe("s3:max-keys", ["5", "10", "10.0", "20"])
        maybe("aws:CurrentTime", ["2024-06-01T00:00:00Z", "2025-06-01T12:30:00Z"])
        maybe("aws:EpochTime", ["1600000000", "1800000000"])
        maybe("aws:SecureTransport", ["true", "false", "TRUE"])
        maybe("aws:MultiFactorAuthPresent", ["true", "false"])
        maybe("aws:SourceIp", ["10.1.2.3", "10.2.0.1", "192.0.2.55", "198.51.100.1", "bogus"])
        maybe("aws:TagKeys", [.strings([]), .strings(["a"]), .strings(["a", "b"]), .strings(["c1", "a"]), .strings(["b", "d"]), .string("a")])
        maybe("x:sizes", [.strings(["1", "9"]), .strings(["3", "12"]), .string("4")])
        maybe("x:ips", [.strings(["10.0.0.1", "11.0.0.1"]), .strings(["12.0.0.1"])])
        c["aws:PrincipalArn"] = .string(principal.3 ?? principal.0)
        if principal.1 == .user { c["aws:username"] = .string(String(principal.0.split(separator: "/").last!)) }
        if chance(50, &g) { c["aws:userid"] = .string("AIDAEXAMPLE:" + (principal.0.split(separator: "/").last.map(String.init) ?? "")) }
        return c
    }

    @Test func compiledEngineAgreesWithNaiveEvaluator() throws {
        var g = SeededRandom(seed: 0x5EED_2024)
        var compared = 0
        var allowed = 0
        var explicit = 0
        for iteration in 0..<6000 {
            let principal = Self.pick(Self.principals, &g)
            let action = Self.pick(Self.actions, &g)
            let resource = Self.pick(Self.resources, &g)
            let resourceAccount: String? = Self.chance(30, &g) ? (Self.chance(50, &g) ? Self.account : Self.other) : nil
            let ctx = Self.context(&g, principal: principal)

            var docs = NaiveEvaluator.Policies()
            var set = PolicySet()
            func make(_ json: String, _ kind: PolicyKind, _ id: String) throws -> (PolicyDocument, CompiledPolicy) {
                let d = try PolicyDocument.parse(json, kind: kind)
                return (d, CompiledPolicy(d, id: id))
            }
            for i in 0..<Int(g.next() % 3) {
                let (d, c) = try make(Self.document(&g, principal: false), .identity, "id\(i)")
                docs.identity.append(d)
                set.identity.append(c)
            }
            if Self.chance(25, &g) {
                let (d, c) = try make(Self.document(&g, principal: false), .boundary, "pb")
                docs.boundary = [d]
                set.boundary = [c]
            }
            if principal.1 == .assumedRole && Self.chance(30, &g) {
                let (d, c) = try make(Self.document(&g, principal: false), .session, "session")
                docs.session = [d]
                set.session = [c]
            }
            if Self.chance(40, &g) {
                let (d, c) = try make(Self.document(&g, principal: true), .resource, "rbp")
                docs.resource = d
                set.resource = c
            }
            if Self.chance(20, &g) {
                var levels: [[CompiledPolicy]] = []
                var naive: [[PolicyDocument]] = []
                for l in 0..<(1 + Int(g.next() % 2)) {
                    let (d, c) = try make(Self.document(&g, principal: false), .serviceControl, "scp\(l)")
                    levels.append([c])
                    naive.append([d])
                }
                set.serviceControl = levels
                docs.scp = naive
            }
            let request = AuthorizationRequest(principal: RequestPrincipal(arn: principal.0, parentARN: principal.3), action: action,
                                               resource: resource, resourceAccount: resourceAccount, context: RequestContext(ctx))
            var naiveContext: [String: [String]] = [:]
            for (k, v) in ctx { naiveContext[k] = v.values }
            let naiveRequest = NaiveRequest(principal: principal.0, principalAccount: principal.2, kind: principal.1, roleARN: principal.3,
                                            action: action, resource: resource, resourceAccount: resourceAccount, context: naiveContext,
                                            singleValued: [])
            let decision = Authorizer.evaluate(request, policies: set)
            let expected = NaiveEvaluator.evaluate(naiveRequest, docs)
            #expect(decision.effect == expected.0 && decision.reason == expected.1,
                    "iteration \(iteration): engine \(decision.effect) \(String(describing: decision.reason)) vs naive \(expected.0) \(String(describing: expected.1)); request \(action) \(resource) by \(principal.0) ctx \(ctx); policies \(docs.identity.map { $0.jsonString() }) rbp \(docs.resource?.jsonString() ?? "-") pb \(docs.boundary?.first?.jsonString() ?? "-") scp \(docs.scp.map { "\($0.map { $0.map { $0.jsonString() } })" } ?? "-")")
            compared += 1
            if decision.effect == .allowed { allowed += 1 }
            if decision.effect == .explicitDeny { explicit += 1 }
            if decision.effect != expected.0 { break }
        }
        #expect(compared == 6000)
        // The generator must exercise every outcome.
        #expect(allowed > 300 && explicit > 300, "allowed \(allowed), explicit \(explicit)")
    }
}
