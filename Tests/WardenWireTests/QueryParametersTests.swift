import Testing
@testable import WardenWire

@Suite("QueryParameters")
struct QueryParametersTests {
    @Test func decodesPlusPercentAndRepeatedKeys() {
        let q = QueryParameters(formEncoded: "Action=CreateUser&Version=2010-05-08&UserName=a+b%2Bc%20d&UserName=last&Path=%2Fdev%2F")
        #expect(q.action == "CreateUser")
        #expect(q.version == "2010-05-08")
        #expect(q["UserName"] == "last")
        #expect(q["Path"] == "/dev/")
        let r = QueryParameters(formEncoded: "A=a+b%2Bc%20d")
        #expect(r["A"] == "a b+c d")
    }

    @Test func decodesUTF8AndKeepsMalformedEscapes() {
        let q = QueryParameters(formEncoded: "K=%C3%A9t%C3%A9&Bad=100%&Bad2=%zz&Empty=&NoValue&&")
        #expect(q["K"] == "été")
        #expect(q["Bad"] == "100%")
        #expect(q["Bad2"] == "%zz")
        #expect(q["Empty"] == "")
        #expect(q["NoValue"] == "")
        #expect(q.pairs.count == 5)
    }

    @Test func encodedKeys() {
        let q = QueryParameters(formEncoded: "Tags.member.1.Key=k&Tags%2Emember%2E2%2EKey=k2")
        #expect(q["Tags.member.2.Key"] == "k2")
        #expect(q.indices(under: "Tags") == [1, 2])
    }

    @Test func listIndices() {
        let q = QueryParameters(["Tags.member.10.Key": "a", "Tags.member.2.Key": "b", "Tags.member.2.Value": "c",
                                 "TagsX.member.3": "no", "Names.member.1": "n", "Empty": ""])
        #expect(q.indices(under: "Tags") == [2, 10])
        #expect(q.indices(under: "Names") == [1])
        #expect(q.indices(under: "Empty") == [])
        #expect(q.indices(under: "Missing") == nil)
        #expect(q.containsKey(withPrefix: "Tags"))
        #expect(!q.containsKey(withPrefix: "Tag"))
    }
}
