import Foundation
import Testing
@testable import WardenWire

@Suite("Model patterns")
struct PatternTests {
    private func p(_ source: String) -> Pattern {
        guard let pattern = Pattern(source) else { fatalError("pattern \(source) did not compile") }
        return pattern
    }

    @Test func names() {
        let name = p(#"[\w+=,.@-]+"#)
        #expect(name.matches("alice.smith@example.com"))
        #expect(name.matches("A_b-c+d=e,f"))
        #expect(!name.matches("bad name"))
        #expect(!name.matches(""))
        #expect(!name.matches("été"))  // Java's \w is ASCII-only
    }

    @Test func dotAllFlag() {
        // CloudTrail's `(?s).*`: with DOTALL, `.` also matches line ends; without it, it does not (Java).
        let any = p("(?s).*")
        #expect(any.isLinear)
        #expect(any.matches("line 1\nline 2\r\n"))
        #expect(any.matches(""))
        #expect(!p(".*").matches("a\nb"))
        #expect(p("a(?s).b").matches("a\nb"))
        #expect(Pattern("(?i)abc") == nil)
    }

    @Test func unicodeClasses() {
        let tagValue = p(#"[\p{L}\p{Z}\p{N}_.:/=+\-@]*"#)
        #expect(tagValue.matches(""))
        #expect(tagValue.matches("été 東京 ٣ a-b"))
        #expect(tagValue.matches("a\u{00A0}b"))  // no-break space is \p{Z}
        #expect(!tagValue.matches("a&b"))
        #expect(!tagValue.matches("{x}"))
        #expect(!tagValue.matches("tab\there"))  // tab is not \p{Z}
    }

    @Test func paths() {
        let path = p(#"(\u002F)|(\u002F[\u0021-\u007E]+\u002F)"#)
        #expect(path.matches("/"))
        #expect(path.matches("/division_abc/subdivision_xyz/"))
        #expect(!path.matches("myUser"))
        #expect(!path.matches("/dev"))
        #expect(!path.matches("//"))
        #expect(path.matches("///"))
        #expect(!path.matches("/a b/"))
        let policyPath = p(#"((/[A-Za-z0-9\.,\+@=_-]+)*)/"#)
        #expect(policyPath.matches("/"))
        #expect(policyPath.matches("/service-role/a/"))
        #expect(!policyPath.matches("/service role/"))
        let prefix = p(#"\u002F[\u0021-\u007F]*"#)
        #expect(prefix.matches("/"))
        #expect(prefix.matches("/dev"))
        #expect(!prefix.matches("dev"))
    }

    @Test func accountAliasWithLookahead() {
        let alias = p(#"^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$"#)
        #expect(alias.matches("my-alias"))
        #expect(alias.matches("abc"))
        #expect(!alias.matches("ab"))
        #expect(!alias.matches("my--alias"))
        #expect(!alias.matches("-alias"))
        #expect(!alias.matches("alias-"))
        #expect(!alias.matches("My-alias"))
        #expect(alias.matches(String(repeating: "a", count: 63)))
        #expect(!alias.matches(String(repeating: "a", count: 64)))
    }

    @Test func versionsCountsAndUrls() {
        let version = p(#"v[1-9][0-9]*(\.[A-Za-z0-9-]*)?"#)
        #expect(version.matches("v1") && version.matches("v12") && version.matches("v2.beta-1"))
        #expect(!version.matches("v0") && !version.matches("1") && !version.matches("v1."+"x y"))
        let account = p(#"\d{12}"#)
        #expect(account.matches("123456789012"))
        #expect(!account.matches("12345678901"))
        #expect(!account.matches("1234567890123"))
        let url = p(#"^http(s?)://[a-zA-Z0-9._/-]*(\?[a-zA-Z0-9._=&-]*)?(#[a-zA-Z0-9._/-]*)?$"#)
        #expect(url.matches("https://example.com/callback?x=1#top"))
        #expect(url.matches("http://a"))
        #expect(!url.matches("ftp://a"))
        let org = p(#"^o-[0-9a-z]{10,32}\/r-[0-9a-z]{4,32}[0-9a-z-\/]*"#)
        #expect(org.matches("o-abcdefghij/r-ab12/ou-ab12-cdefghij/"))
        #expect(!org.matches("o-abc/r-ab12"))
    }

    @Test func documentCharacters() {
        let document = p(#"[\u0009\u000A\u000D\u0020-\u00FF]+"#)
        #expect(document.matches("{\n\t\"Version\": \"2012-10-17\"\r\n}"))
        #expect(document.matches("café"))
        #expect(!document.matches("東京"))
        #expect(!document.matches("a\u{0001}"))
        // Java reads `\u10000` as U+1000 followed by "0", so supplementary characters fall outside this class.
        let wide = p(#"[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+"#)
        #expect(wide.matches("東京 text"))
        #expect(!wide.matches("😀"))
    }

    @Test func unsupportedSyntaxIsRejected() {
        #expect(Pattern("[a-z") == nil)
        #expect(Pattern("(ab") == nil)
        #expect(Pattern(#"\k"#) == nil)
        #expect(Pattern("[z-a]") == nil)
        #expect(Pattern("(?<name>x)") == nil)
    }

    @Test func lengthsCountCodePoints() {
        let rule = StringRule(min: 1, max: 3)
        #expect(rule.violations("été").isEmpty)
        #expect(rule.violations("😀😀😀").isEmpty)
        #expect(rule.violations("abcd") == ["Member must have length less than or equal to 3"])
        #expect(rule.violations("") == ["Member must have length greater than or equal to 1"])
    }
}

@Suite("Reader details")
struct ReaderTests {
    @Test func mapsAndStructures() throws {
        var r = QueryReader(QueryParameters([
            "M.entry.1.key": "a", "M.entry.1.value": "1", "M.entry.2.key": "b", "M.entry.2.value": "x",
        ]))
        let m = r.map("", "M", "m", required: false, nil, nil) { r, k, kl in r.integer(k, "value", kl + "value", required: true, nil) }
        #expect(m == ["a": 1])
        #expect(r.errors == ["Value 'x' at 'm.2.value' failed to satisfy constraint: Member must be an integer"])
    }

    @Test func requiredNestedStructure() {
        var r = QueryReader(QueryParameters([:]))
        let v: Int? = r.structure("", "Outer", "outer", required: true) { _, _, _ in 1 }
        #expect(v == nil)
        #expect(r.errors == ["Value null at 'outer' failed to satisfy constraint: Member must not be null"])
    }

    @Test func timestampRoundTrip() {
        for seconds in stride(from: -2_208_988_800, through: 4_102_444_800, by: 7_776_013) {
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            #expect(WireFormat.parseTimestamp(WireFormat.timestamp(date)) == date)
        }
    }

    @Test func percentRoundTrip() {
        let samples = ["", "plain", "a b+c%d&e=f", "東京/été\n\t\"quoted\"", #"{"Statement":[{"Resource":"arn:aws:s3:::b/*"}]}"#]
        for s in samples {
            #expect(WireFormat.percentDecode(WireFormat.percentEncode(s)) == s)
        }
    }

    @Test func blobsAndTimestampsInRequests() {
        var r = QueryReader(QueryParameters(["B": "aGk=", "Bad": "***", "T": "2024-01-02T03:04:05Z", "TBad": "soon"]))
        #expect(r.blob("", "B", "b", required: true, nil) == Array("hi".utf8))
        #expect(r.blob("", "Bad", "bad", required: true, nil) == nil)
        #expect(r.timestamp("", "T", "t", required: true) == Date(timeIntervalSince1970: 1_704_164_645))
        #expect(r.timestamp("", "TBad", "tBad", required: true) == nil)
        #expect(r.errors.count == 2)
    }
}

@Suite("Hostile input")
struct HostileInputTests {
    @Test func hugeGroupedValueIsBoundedByLength() throws {
        // policyPathType is `((/[A-Za-z0-9\.,\+@=_-]+)*)/` with max 512: 200k groups must not recurse 200k deep.
        let path = String(repeating: "/a", count: 200_000) + "/"
        do {
            _ = try IAM.CreatePolicyRequest(from: QueryParameters(["PolicyName": "p", "Path": path, "PolicyDocument": "{}"]))
            Issue.record("expected a failure")
        } catch {
            #expect(error.messages.count == 1)
            #expect(error.messages[0].hasSuffix("Member must have length less than or equal to 512"))
        }
    }

    @Test func hugeListIndicesAreCheap() throws {
        let r = try IAM.UntagUserRequest(from: QueryParameters(["UserName": "u", "TagKeys.member.999999999": "k"]))
        #expect(r.tagKeys == ["k"])
    }
}
