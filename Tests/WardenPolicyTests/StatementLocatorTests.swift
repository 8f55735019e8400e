import Testing
import WardenPolicy

@Suite struct StatementLocatorTests {
    @Test func locatesEachStatementOfAnArray() throws {
        let text = """
        {
          "Version": "2012-10-17",
          "Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {
              "Sid": "with \\"quotes\\" and ]} in strings",
              "Effect": "Deny", "Action": "iam:*", "Resource": "*"
            }
          ]
        }
        """
        let r = try #require(StatementLocator.ranges(in: text))
        #expect(r.count == 2)
        #expect(r[0].start == .init(line: 4, column: 5))
        #expect(r[0].end == .init(line: 4, column: 58))
        #expect(r[1].start == .init(line: 5, column: 5))
        #expect(r[1].end == .init(line: 8, column: 5))
    }

    @Test func aSingleStatementObjectAndMinifiedText() throws {
        let text = #"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"},"Version":"2012-10-17"}"#
        let r = try #require(StatementLocator.ranges(in: text))
        #expect(r.count == 1)
        #expect(r[0].start == .init(line: 1, column: 14))
        #expect(r[0].end == .init(line: 1, column: 59))
    }

    @Test func malformedTextHasNoRanges() {
        #expect(StatementLocator.ranges(in: "not json") == nil)
        #expect(StatementLocator.ranges(in: #"{"Statement": [{"Effect": "Allow""#) == nil)
    }
}
