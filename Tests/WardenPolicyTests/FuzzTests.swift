import Testing
@testable import WardenPolicy

/// Mutated documents must be rejected with a `PolicyError` or accepted, never crash; accepted ones must
/// compile and evaluate.
@Suite struct FuzzTests {
    static let alphabet = Array("{}[]\":,*?$ \\ua0Zé\u{2603}\n-:/".unicodeScalars)

    @Test func mutatedPoliciesNeverCrash() throws {
        var g = SeededRandom(seed: 99)
        var accepted = 0
        let request = AuthorizationRequest(principalARN: "arn:aws:iam::123456789012:user/alice", action: "s3:GetObject",
                                           resourceARN: "arn:aws:s3:::bucket/home/alice/a.txt",
                                           context: RequestContext(["aws:username": "alice", "aws:TagKeys": ["a", "b"]]))
        for _ in 0..<3000 {
            let principal = PropertyTests.chance(50, &g)
            var scalars = Array(PropertyTests.document(&g, principal: principal).unicodeScalars)
            for _ in 0..<(1 + Int(g.next() % 4)) {
                let i = Int(g.next() % UInt64(scalars.count))
                switch g.next() % 3 {
                case 0: scalars.remove(at: i)
                case 1: scalars.insert(Self.alphabet[Int(g.next() % UInt64(Self.alphabet.count))], at: i)
                default: scalars[i] = Self.alphabet[Int(g.next() % UInt64(Self.alphabet.count))]
                }
                if scalars.isEmpty { break }
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            let kind: PolicyKind = principal ? .resource : .identity
            guard let doc = try? PolicyDocument.parse(text, kind: kind) else { continue }
            accepted += 1
            let policy = CompiledPolicy(doc, id: "fuzz")
            let set = principal ? PolicySet(resource: policy) : PolicySet(identity: [policy])
            let d = Authorizer.evaluate(request, policies: set)
            _ = d.matchedStatements
            _ = d.missingContextKeys
            #expect(try PolicyDocument.parse(doc.jsonString(), kind: kind) == doc)
        }
        #expect(accepted > 100)
    }

    @Test func simulationInputNeverCrashes() {
        var g = SeededRandom(seed: 5)
        let base = #"{"request":{"action":"s3:GetObject","resource":{"resource":"arn:aws:s3:::b/k","accountId":"1"},"principal":"arn:aws:iam::1:user/a","context":{"k:x":["a",1,true]}},"identityPolicies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}]}"#
        for _ in 0..<2000 {
            var bytes = Array(base.unicodeScalars)
            let i = Int(g.next() % UInt64(bytes.count))
            bytes[i] = Self.alphabet[Int(g.next() % UInt64(Self.alphabet.count))]
            var text = ""
            text.unicodeScalars.append(contentsOf: bytes)
            if let cases = try? SimulationCase.decodeAll(from: text) {
                for c in cases { _ = simulate(c).jsonLine }
            }
        }
    }
}
