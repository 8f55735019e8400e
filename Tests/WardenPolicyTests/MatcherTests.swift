import Foundation
import Testing
@testable import WardenPolicy

/// The byte-level wildcard matcher against NSRegularExpression, plus ARN and value-parser checks.
@Suite struct MatcherTests {
    static func regex(for pattern: String, ignoreCase: Bool) -> NSRegularExpression {
        var r = "^"
        for ch in pattern {
            switch ch {
            case "*": r += ".*"
            case "?": r += "."
            default: r += NSRegularExpression.escapedPattern(for: String(ch))
            }
        }
        r += "$"
        var options: NSRegularExpression.Options = [.dotMatchesLineSeparators]
        if ignoreCase { options.insert(.caseInsensitive) }
        return try! NSRegularExpression(pattern: r, options: options)
    }

    static func regexMatches(_ re: NSRegularExpression, _ text: String) -> Bool {
        re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    @Test func globAgreesWithRegex() {
        var g = SeededRandom(seed: 42)
        let patternAlphabet: [Character] = ["a", "b", "B", "/", ":", "*", "?", "é", "."]
        let textAlphabet: [Character] = ["a", "b", "B", "/", ":", "é", "."]
        var matches = 0
        for _ in 0..<20_000 {
            let pattern = String((0..<Int(g.next() % 8)).map { _ in patternAlphabet[Int(g.next() % UInt64(patternAlphabet.count))] })
            let text = String((0..<Int(g.next() % 10)).map { _ in textAlphabet[Int(g.next() % UInt64(textAlphabet.count))] })
            for fold in [false, true] {
                // Case folding is ASCII-only in the matcher; keep folded comparisons ASCII.
                if fold && (pattern.contains("é") || text.contains("é")) { continue }
                let compiled = Glob.compile(pattern, foldCase: fold)
                let ours = Glob.matches(compiled, text, foldCase: fold)
                let theirs = Self.regexMatches(Self.regex(for: pattern, ignoreCase: fold), text)
                #expect(ours == theirs, "pattern \(pattern) text \(text) fold \(fold)")
                if ours { matches += 1 }
            }
        }
        #expect(matches > 1000)
    }

    @Test func questionMarkMatchesOneCharacterNotOneByte() {
        #expect(Glob.matches(Glob.compile("caf?", foldCase: false), "café", foldCase: false))
        #expect(!Glob.matches(Glob.compile("caf??", foldCase: false), "café", foldCase: false))
        #expect(Glob.matches(Glob.compile("*é", foldCase: false), "aéé", foldCase: false))
    }

    @Test func arnSegments() {
        let p = ARNPattern("arn:aws:ec2:*:123456789012:instance/*", variables: false, foldPrefix: true)
        let ctx = RequestContext()
        #expect(p.matches(RequestARN("arn:aws:ec2:us-east-1:123456789012:instance/i-1"), ctx))
        #expect(p.matches(RequestARN("arn:AWS:EC2:us-east-1:123456789012:instance/i-1"), ctx))
        #expect(!p.matches(RequestARN("arn:aws:ec2:us-east-1:123456789012:Instance/i-1"), ctx))
        #expect(!p.matches(RequestARN("arn:aws:ec2:us-east-1:1:2:instance/i-1"), ctx))
        let v = ARNPattern("arn:aws:iam::${aws:PrincipalAccount}:user/${aws:username}", variables: true, foldPrefix: true)
        var c = RequestContext()
        c.set("aws:PrincipalAccount", "123456789012")
        c.set("aws:username", "alice")
        #expect(v.matches(RequestARN("arn:aws:iam::123456789012:user/alice"), c))
        #expect(!v.matches(RequestARN("arn:aws:iam::123456789012:user/bob"), c))
    }

    @Test func ipParsing() {
        func net(_ s: String) -> IPNetwork? { withUTF8(s) { IPNetwork.parse($0) } }
        #expect(net("10.0.0.0/8")!.contains(net("10.255.1.2")!))
        #expect(!net("10.0.0.0/8")!.contains(net("11.0.0.1")!))
        #expect(net("2001:db8::/32")!.contains(net("2001:0db8:ffff::1")!))
        #expect(net("::ffff:192.0.2.1") != nil)
        #expect(net("2001:db8::1::2") == nil)
        #expect(net("256.1.1.1") == nil)
        #expect(net("1.2.3") == nil)
        #expect(net("10.0.0.0/33") == nil)
        #expect(net("fe80::/10")!.contains(net("fe80::1234")!))
        #expect(!net("fe80::/10")!.contains(net("fec0::1")!))
        #expect(net("1:2:3:4:5:6:7:8")!.contains(net("1:2:3:4:5:6:7:8")!))
        #expect(net("::/0")!.contains(net("::1")!))
    }

    @Test func dateParsing() {
        func date(_ s: String) -> Double? { withUTF8(s) { ValueParsing.date($0) } }
        #expect(date("1970-01-01T00:00:00Z") == 0)
        #expect(date("2020-01-01") == 1_577_836_800)
        #expect(date("2020-01-01T00:00:00Z") == 1_577_836_800)
        #expect(date("2020-01-01T01:00:00+01:00") == 1_577_836_800)
        #expect(date("2020-01-01T00:00:00.500Z") == 1_577_836_800.5)
        #expect(date("1577836800") == 1_577_836_800)
        #expect(date("2020-02-30T00:00:00Z") != nil)  // AWS's legacy parser accepts day 1-31 for every month
        #expect(date("2020-13-01") == nil)
        #expect(date("tomorrow") == nil)
    }

    @Test func numberParsing() {
        func n(_ s: String) -> Double? { withUTF8(s) { ValueParsing.number($0) } }
        #expect(n("10") == 10)
        #expect(n("-2.5") == -2.5)
        #expect(n("1e3") == 1000)
        #expect(n("") == nil)
        #expect(n("1.") == 1)
        #expect(n("abc") == nil)
        #expect(n("nan") == nil)
    }
}

/// parse ∘ print is the identity on documents, and printing is stable.
@Suite struct RoundTripTests {
    @Test func corpusDocumentsRoundTrip() throws {
        var count = 0
        for loaded in CorpusTests.cases {
            let c = loaded.simulation
            var docs: [(JSONValue, PolicyKind)] = (c.identityPolicies ?? []).map { ($0, .identity) }
            if let r = c.resourcePolicy { docs.append((r, c.resourcePolicyKind)) }
            docs += (c.permissionBoundaries ?? []).map { ($0, .boundary) }
            docs += (c.sessionPolicies ?? []).map { ($0, .session) }
            for (json, kind) in docs {
                let doc = try PolicyDocument.parse(json, kind: kind)
                let printed = doc.jsonString()
                let again = try PolicyDocument.parse(printed, kind: kind)
                #expect(again == doc, "\(printed)")
                #expect(again.jsonString() == printed)
                count += 1
            }
        }
        #expect(count > 250)
    }

    @Test func randomDocumentsRoundTrip() throws {
        var g = SeededRandom(seed: 7)
        for _ in 0..<2000 {
            let principal = PropertyTests.chance(50, &g)
            let json = PropertyTests.document(&g, principal: principal)
            let kind: PolicyKind = principal ? .resource : .identity
            let doc = try PolicyDocument.parse(json, kind: kind)
            let again = try PolicyDocument.parse(doc.jsonString(), kind: kind)
            #expect(again == doc)
            // Printing is canonical: the same document prints the same way however it was written.
            #expect(try PolicyDocument.parse(JSONValue.parse(json).jsonString, kind: kind).jsonString() == doc.jsonString())
        }
    }

    @Test func scalarsAndArraysAreKept() throws {
        let json = #"{"Version":"2012-10-17","Id":"x","Statement":{"Sid":"A","Effect":"Allow","Principal":{"AWS":["123456789012"],"Service":"ec2.amazonaws.com"},"Action":"s3:GetObject","Resource":["arn:aws:s3:::b/*"],"Condition":{"NumericLessThan":{"s3:max-keys":10},"Bool":{"aws:SecureTransport":true},"StringEquals":{"aws:PrincipalTag/t":["a"]}}}}"#
        let doc = try PolicyDocument.parse(json, kind: .resource)
        #expect(doc.jsonString() == json)
    }

    @Test func unicodeAndEscapesSurvive() throws {
        let json = #"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/caf\u00e9/\"q\"\\x\n"}]}"#
        let doc = try PolicyDocument.parse(json, kind: .identity)
        #expect(doc.statements[0].resource?.value.values == ["arn:aws:s3:::b/café/\"q\"\\x\n"])
        #expect(try PolicyDocument.parse(doc.jsonString(), kind: .identity) == doc)
    }
}
