import CMallocCounter
import Foundation
import WardenPolicy

/// Policy engine throughput: decisions per second on one core for cached (compiled) policy sets of 1, 20 and
/// 200 statements with wildcards and conditions, and heap allocations per decision when a malloc counter is
/// counted by the CMallocCounter target (glibc); otherwise "n/a".
func runPolicyBenchmarks() {
    print("policy engine (decisions on one thread; policies compiled once)")
    for statements in [1, 20, 200] {
        let policies = PolicyBenchmarkFixture.policySet(statements: statements)
        let requests = PolicyBenchmarkFixture.requests()
        var allowed = 0
        for r in requests where Authorizer.evaluate(r, policies: policies).isAllowed { allowed += 1 }
        let iterations = statements >= 200 ? 400_000 : 2_000_000
        let cached = PolicyBenchmarkFixture.measure(iterations: iterations) { i in
            Authorizer.evaluate(requests[i & 63], policies: policies).isAllowed
        }
        PolicyBenchmarkFixture.report("\(statements) stmts, prebuilt request (\(allowed)/64 allowed)", cached, iterations)
        let specs = PolicyBenchmarkFixture.requestSpecs()
        let built = PolicyBenchmarkFixture.measure(iterations: iterations / 4) { i in
            let s = specs[i & 63]
            var context = RequestContext()
            context.set("aws:SourceIp", .string(s.ip))
            context.set("aws:SecureTransport", .string("true"))
            context.set("aws:PrincipalTag/team", .string(s.team))
            context.set("aws:CurrentTime", .string("2024-06-01T12:00:00Z"))
            let r = AuthorizationRequest(principalARN: s.principal, action: s.action, resourceARN: s.resource, context: context)
            return Authorizer.evaluate(r, policies: policies).isAllowed
        }
        PolicyBenchmarkFixture.report("\(statements) stmts, request built per decision", built, iterations / 4)
    }
    // A full same-account set: 20 identity statements, a boundary and a resource policy with principals.
    var full = PolicyBenchmarkFixture.policySet(statements: 20)
    full.boundary = [try! CompiledPolicy(json: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}"#,
                                         kind: .boundary, id: "boundary")]
    full.resource = try! CompiledPolicy(json: """
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:user/u1","arn:aws:iam::123456789012:role/app"]},"Action":"*","Resource":"*"},
          {"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}
        """, kind: .resource, id: "resource")
    let requests = PolicyBenchmarkFixture.requests()
    var fullAllowed = 0
    for r in requests where Authorizer.evaluate(r, policies: full).isAllowed { fullAllowed += 1 }
    let fullRun = PolicyBenchmarkFixture.measure(iterations: 1_000_000) { i in
        Authorizer.evaluate(requests[i & 63], policies: full).isAllowed
    }
    PolicyBenchmarkFixture.report("20 stmts + boundary + resource policy (\(fullAllowed)/64)", fullRun, 1_000_000)

    let json = PolicyBenchmarkFixture.policyJSON(statements: 20, offset: 0)
    let parse = PolicyBenchmarkFixture.measure(iterations: 20_000) { _ in
        (try? PolicyDocument.parse(json, kind: .identity)) != nil
    }
    PolicyBenchmarkFixture.report("parse + validate a 20-statement policy", parse, 20_000)
    let compile = PolicyBenchmarkFixture.measure(iterations: 20_000) { _ in
        (try? CompiledPolicy(json: json, kind: .identity, id: "p")) != nil
    }
    PolicyBenchmarkFixture.report("parse + validate + compile (20 statements)", compile, 20_000)
}

enum PolicyBenchmarkFixture {
    struct Measurement {
        var seconds: Double
        var allocations: Int?
    }

    /// Whether the process-wide allocation counter (CMallocCounter) works here (glibc only).
    static let countsAllocations: Bool = {
        let probe = warden_bench_malloc_count()
        // An allocation the optimizer cannot remove (a malloc/free pair would be).
        let array = [Int](repeating: probe, count: 100 + probe % 7)
        let after = warden_bench_malloc_count()
        return after > probe && array.count > 0
    }()

    /// Heap allocations so far, or nil where they cannot be counted.
    static func allocationCount() -> Int? { countsAllocations ? Int(warden_bench_malloc_count()) : nil }

    static func measure(iterations: Int, _ body: (Int) -> Bool) -> Measurement {
        var sink = 0
        for i in 0..<min(iterations, 50_000) where body(i) { sink += 1 }  // warm up
        let before = allocationCount()
        let start = ContinuousClock.now
        for i in 0..<iterations where body(i) { sink += 1 }
        let elapsed = ContinuousClock.now - start
        let after = allocationCount()
        if sink == -1 { print("") }  // keep the loop observable
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var allocations: Int?
        if let before, let after { allocations = after - before }
        return Measurement(seconds: seconds, allocations: allocations)
    }

    static func report(_ label: String, _ m: Measurement, _ iterations: Int) {
        let perSecond = Double(iterations) / m.seconds
        let ns = m.seconds * 1e9 / Double(iterations)
        let allocs = m.allocations.map { String(format: "%.2f allocs/op", Double($0) / Double(iterations)) } ?? "allocs n/a"
        let padded = label.count < 56 ? label + String(repeating: " ", count: 56 - label.count) : label
        print(String(format: "  %@ %8.0f ns/op %11.0f op/s  %@", padded as NSString, ns, perSecond, allocs as NSString))
    }

    static let services = ["ec2", "dynamodb", "sqs", "sns", "kms", "lambda", "logs", "ssm", "glue", "athena"]
    static let verbs = ["Get", "List", "Describe", "Put", "Create", "Delete", "Update", "Tag"]

    /// Statement `i` of a synthetic policy: a mix of exact and wildcard actions, ARN patterns with wildcards,
    /// and conditions (string, IP, Bool, date, variable), with every seventh statement a Deny.
    static func statementJSON(_ i: Int) -> String {
        let svc = services[i % services.count]
        let verb = verbs[(i / services.count) % verbs.count]
        let effect = i % 7 == 6 ? "Deny" : "Allow"
        let action: String
        switch i % 3 {
        case 0: action = "\"\(svc):\(verb)*\""
        case 1: action = "[\"\(svc):\(verb)Item\", \"\(svc):\(verb)Thing\"]"
        default: action = "\"\(svc):*\(verb)*\""
        }
        let resource: String
        switch i % 4 {
        case 0: resource = "\"arn:aws:\(svc):*:123456789012:thing/team-\(i % 5)/*\""
        case 1: resource = "\"arn:aws:\(svc):us-east-1:123456789012:*\""
        case 2: resource = "\"arn:aws:\(svc):*:*:thing/${aws:PrincipalTag/team}/*\""
        default: resource = "\"*\""
        }
        var conditions: [String] = []
        if i % 2 == 0 { conditions.append("\"IpAddress\": {\"aws:SourceIp\": [\"10.0.0.0/8\", \"192.168.\(i % 256).0/24\"]}") }
        if i % 3 == 0 { conditions.append("\"Bool\": {\"aws:SecureTransport\": \"true\"}") }
        if i % 4 == 1 { conditions.append("\"StringLike\": {\"aws:PrincipalTag/team\": [\"team-\(i % 5)\", \"ops*\"]}") }
        if i % 5 == 2 { conditions.append("\"DateLessThan\": {\"aws:CurrentTime\": \"2030-01-01T00:00:00Z\"}") }
        let condition = conditions.isEmpty ? "" : ", \"Condition\": {\(conditions.joined(separator: ", "))}"
        return "{\"Sid\": \"S\(i)\", \"Effect\": \"\(effect)\", \"Action\": \(action), \"Resource\": \(resource)\(condition)}"
    }

    static func policyJSON(statements: Int, offset: Int) -> String {
        let body = (0..<statements).map { statementJSON($0 + offset) }.joined(separator: ",\n")
        return "{\"Version\": \"2012-10-17\", \"Statement\": [\(body)]}"
    }

    /// `statements` statements split into managed-policy-sized documents of at most 10 statements.
    static func policySet(statements: Int) -> PolicySet {
        var identity: [CompiledPolicy] = []
        var offset = 0
        while offset < statements {
            let n = min(10, statements - offset)
            let json = policyJSON(statements: n, offset: offset)
            identity.append(try! CompiledPolicy(json: json, kind: .identity, id: "policy-\(offset / 10)"))
            offset += n
        }
        return PolicySet(identity: identity)
    }

    struct RequestSpec {
        var principal: String
        var action: String
        var resource: String
        var ip: String
        var team: String
    }

    static func requestSpecs() -> [RequestSpec] {
        (0..<64).map { i in
            let svc = services[i % services.count]
            // Half the requests use the verbs the smaller policy sets grant, so decisions mix allows and denies.
            let verb = i % 2 == 0 ? verbs[(i / 10) % 2] : verbs[(i / 3) % verbs.count]
            let action = i % 2 == 0 ? "\(svc):\(verb)Item" : "\(svc):Batch\(verb)Things"
            let team = "team-\(i % 5)"
            let resource = i % 3 == 0 ? "arn:aws:\(svc):us-east-1:123456789012:thing/\(team)/obj\(i)"
                                      : "arn:aws:\(svc):eu-west-1:123456789012:other/\(i)"
            return RequestSpec(principal: "arn:aws:iam::123456789012:user/u\(i % 7)", action: action, resource: resource,
                               ip: i % 4 == 0 ? "172.16.0.\(i)" : "10.1.2.\(i)", team: team)
        }
    }

    static func requests() -> [AuthorizationRequest] {
        requestSpecs().map { s in
            var context = RequestContext()
            context.set("aws:SourceIp", .string(s.ip))
            context.set("aws:SecureTransport", .string("true"))
            context.set("aws:PrincipalTag/team", .string(s.team))
            context.set("aws:CurrentTime", .string("2024-06-01T12:00:00Z"))
            return AuthorizationRequest(principalARN: s.principal, action: s.action, resourceARN: s.resource, context: context)
        }
    }
}
