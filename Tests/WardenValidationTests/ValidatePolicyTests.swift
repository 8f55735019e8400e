import Testing
import WardenPolicy
@testable import WardenValidation

@Suite struct ValidatePolicyTests {
    /// The AWS CLI's documented example of validate-policy (a generic resource policy) yields exactly AWS's
    /// finding, at AWS's location: line 5, columns 19 to 21 (0-based), offsets 79 to 81.
    @Test func awsDocumentedExampleMatchesExactly() throws {
        let text = """
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "",
                        "Effect": "Allow",
                        "Principal": {
                            "Federated": "cognito-identity.amazonaws.com"
                        },
                        "Action": [
                            "sts:AssumeRole",
                            "sts:TagSession"
                        ],
                        "Condition": {
                            "StringEquals": {
                                "cognito-identity.amazonaws.com:aud": "us-west-2_EXAMPLE"
                            }
                        }
                    }
                ]
            }
            """
        let findings = PolicyChecks.validate(text, type: .resource, resourceType: nil as String?)
        #expect(findings.map(\.issueCode) == ["EMPTY_SID_VALUE"])
        let f = try #require(findings.first)
        #expect(f.findingType == .suggestion)
        #expect(f.findingDetails == "Add a value to the empty string in the Sid element.")
        #expect(f.learnMoreLink == "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-suggestion-empty-sid-value")
        #expect(f.locations == [ValidationLocation(
            path: [.value("Statement"), .index(0), .value("Sid")],
            span: Span(start: Position(line: 5, column: 19, offset: 79), end: Position(line: 5, column: 21, offset: 81)))])
    }

    func doc(_ statement: String, version: Bool = true) -> String {
        (version ? "{\"Version\": \"2012-10-17\", " : "{") + "\"Statement\": [" + statement + "]}"
    }

    func pairs(_ f: [ValidationFinding]) -> Set<String> { Set(f.map { "\($0.findingType.rawValue) \($0.issueCode)" }) }

    /// The scenarios of the acceptance test, offline.
    @Test func acceptanceScenarios() throws {
        var r = PolicyChecks.validate(doc(#"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}"#), type: .identity, resourceType: nil as String?)
        #expect(pairs(r).contains("SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE"))
        let passRole = try #require(r.first { $0.issueCode == "PASS_ROLE_WITH_STAR_IN_RESOURCE" })
        #expect(passRole.locations.first.map { $0.span.start.line >= 1 } == true)
        #expect(passRole.locations.first?.path == [.value("Statement"), .index(0), .value("Action")])

        r = PolicyChecks.validate(doc(#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#, version: false), type: .identity, resourceType: nil as String?)
        #expect(pairs(r).contains("WARNING MISSING_VERSION"))

        r = PolicyChecks.validate(doc(#"{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}"#), type: .identity, resourceType: nil as String?)
        #expect(pairs(r).contains("ERROR INVALID_ACTION"))
        #expect(r.first { $0.issueCode == "INVALID_ACTION" }?.findingDetails == "The action s3:GetObjekt does not exist. Did you mean s3:GetObject?")

        r = PolicyChecks.validate(doc(#"{"Effect": "Allow", "Action": ["s3:GetObject", "s3:Get*"], "Resource": "*"}"#), type: .identity, resourceType: nil as String?)
        #expect(pairs(r).contains("SUGGESTION REDUNDANT_ACTION"))
        #expect(r.first { $0.issueCode == "REDUNDANT_ACTION" }?.locations.map(\.path) == [[.value("Statement"), .index(0), .value("Action"), .index(0)]])

        r = PolicyChecks.validate(doc(#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}"#), type: .identity, resourceType: nil as String?)
        #expect(r.isEmpty, "\(r.map(\.issueCode))")

        r = PolicyChecks.validate(doc(#"{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "*"}, "Resource": "*"}"#),
                                  type: .resource, resourceType: "AWS::IAM::AssumeRolePolicyDocument")
        #expect(r.contains { $0.findingType == .error })
        #expect(pairs(r).contains("ERROR ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE"))
    }

    @Test func cleanPoliciesOfEachTypeHaveNoFindings() {
        let trust = doc(#"{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}"#)
        #expect(PolicyChecks.validate(trust, type: .resource, resourceType: .roleTrustPolicy).isEmpty)
        let bucket = doc(#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]}"#)
        #expect(PolicyChecks.validate(bucket, type: .resource, resourceType: .s3Bucket).isEmpty)
        let scp = doc(#"{"Effect": "Deny", "Action": "ec2:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}}}"#)
        #expect(PolicyChecks.validate(scp, type: .serviceControl, resourceType: nil as String?).isEmpty)
        let identity = doc(#"{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"], "Resource": "arn:aws:dynamodb:eu-west-1:123456789012:table/orders", "Condition": {"Bool": {"aws:SecureTransport": "true"}, "IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}"#)
        #expect(PolicyChecks.validate(identity, type: .identity, resourceType: nil as String?).isEmpty)
    }

    @Test func syntaxErrorsAreFindingsWithTheirPosition() throws {
        let r = PolicyChecks.validate("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [}\n", type: .identity, resourceType: nil as String?)
        let f = try #require(r.first)
        #expect(r.count == 1)
        #expect(f.issueCode == "JSON_SYNTAX_ERROR" && f.findingType == .error)
        #expect(f.locations.first?.span.start == Position(line: 3, column: 16, offset: 45))
        #expect(f.findingDetails == "Fix the JSON syntax error at index 45 line 3 column 16.")
    }

    @Test func severalProblemsAreAllReportedInPositionOrder() {
        let text = doc(#"{"Effect": "Allow", "Action": ["s3:GetObjekt", "s4:Get"], "Resource": "bucket", "Foo": 1}"#)
        let r = PolicyChecks.validate(text, type: .identity, resourceType: nil as String?)
        #expect(r.map(\.issueCode) == ["INVALID_ACTION", "INVALID_SERVICE_IN_ACTION", "INVALID_ARN_PREFIX", "INVALID_POLICY_ELEMENT"])
        let offsets = r.map { $0.locations[0].span.start.offset }
        #expect(offsets == offsets.sorted())
        // The unknown element points at its key, as a `key` path element.
        #expect(r.last?.locations.first?.path == [.value("Statement"), .index(0), .key("Foo")])
    }

    @Test func positionsCountUTF16AndLinesFromOne() {
        let text = "{\"Version\": \"2012-10-17\", \"Id\": \"é😀\",\n \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:Nope\", \"Resource\": \"*\"}}"
        let r = PolicyChecks.validate(text, type: .identity, resourceType: nil as String?)
        let f = r.first { $0.issueCode == "INVALID_ACTION" }
        // Line 2 starts after 38 UTF-16 units on line 1 (the emoji counts 2) plus the newline.
        #expect(f?.locations.first?.span.start.line == 2)
        #expect(f?.locations.first?.span.start.column == 44)
        #expect(f?.locations.first?.span.start.offset == 39 + 44)
        #expect(f?.locations.first?.path == [.value("Statement"), .value("Action")])
    }

    @Test func substringLocationsForVariables() throws {
        let text = doc(#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${ }/x"}"#)
        let f = try #require(PolicyChecks.validate(text, type: .identity, resourceType: nil as String?).first { $0.issueCode == "EMPTY_VARIABLE" })
        let l = try #require(f.locations.first)
        #expect(l.path.last == .substring(start: 15, length: 4))
        #expect(l.span.end.offset - l.span.start.offset == 4)
    }

    @Test func responseJSONHasAWSShape() throws {
        let r = PolicyChecks.validate(doc(#"{"Sid": "", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#), type: .identity, resourceType: nil as String?)
        let json = ValidationFinding.responseJSON(r)
        guard case .array(let findings)? = json["findings"], case .object(let first)? = findings.first else {
            Issue.record("no findings array")
            return
        }
        #expect(first.map(\.key) == ["findingDetails", "findingType", "issueCode", "learnMoreLink", "locations"])
        #expect(json.jsonString.contains(#"{"value":"Statement"},{"index":0},{"value":"Sid"}"#))
        #expect(json.jsonString.contains(#""start":{"line":1,"#))
        #expect(ValidationFinding.responseJSON([]).jsonString == #"{"findings":[]}"#)
    }

    @Test func learnMoreLinksFollowTheReferenceAnchors() {
        #expect(ValidationFinding.link(.securityWarning, "PASS_ROLE_WITH_STAR_IN_RESOURCE")
            == "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-security-warning-pass-role-with-star-in-resource")
        #expect(ValidationFinding.link(.warning, "MISSING_VERSION").hasSuffix("-general-warning-missing-version"))
    }
}
