import Foundation
import Testing
import WardenWire
@testable import WardenService

@Suite struct EventPatternTests {
    static func event(_ json: String) -> WireJSON {
        do { return try WireJSON(parsing: json) } catch { fatalError("bad test event: \(error)") }
    }

    static func matches(_ pattern: String, _ event: String) throws -> Bool {
        try EventPattern(json: pattern).matches(Self.event(event))
    }

    static func rejection(_ pattern: String) -> EventPatternError? {
        do {
            _ = try EventPattern(json: pattern)
            return nil
        } catch {
            return error
        }
    }

    /// The EC2 event from AWS's "Amazon EventBridge event patterns" page, with the fields event-ruler's README adds.
    static let ec2 = """
        {"version": "0", "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
         "detail-type": "EC2 Instance State-change Notification", "source": "aws.ec2", "account": "111122223333",
         "time": "2017-12-22T18:43:48Z", "region": "us-west-1",
         "resources": ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
         "detail": {"instance-id": "i-1234567890abcdef0", "state": "terminated",
                    "c-count": 5, "d-count": 3, "x-limit": 301.8, "source-ip": "10.0.0.33"}}
        """

    /// A CloudTrail record of a failed DeleteUser by the root user.
    static let trail = """
        {"eventVersion": "1.09",
         "userIdentity": {"type": "Root", "principalId": "123456789012", "arn": "arn:aws:iam::123456789012:root",
                          "accountId": "123456789012"},
         "eventTime": "2026-12-03T10:00:00Z", "eventSource": "iam.amazonaws.com", "eventName": "DeleteUser",
         "awsRegion": "us-east-1", "sourceIPAddress": "10.1.2.3", "userAgent": "aws-cli/2.15.0",
         "errorCode": "AccessDenied", "errorMessage": "User is not authorized",
         "requestParameters": {"userName": "alice"}, "responseElements": null, "readOnly": false,
         "resources": [{"ARN": "arn:aws:iam::123456789012:user/alice", "accountId": "123456789012",
                        "type": "AWS::IAM::User"}],
         "eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "123456789012"}
        """

    // MARK: Structure

    @Test func matchesTheDocumentedEC2Example() throws {
        let pattern = #"{"source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"], "detail": {"state": ["terminated"]}}"#
        #expect(try Self.matches(pattern, Self.ec2))
        #expect(try !Self.matches(#"{"source": ["aws.ec2"], "detail": {"state": ["running"]}}"#, Self.ec2))
        // Alternatives are ORed; fields are ANDed.
        #expect(try Self.matches(#"{"source": ["aws.ec2", "aws.fargate"], "region": ["us-west-1"]}"#, Self.ec2))
        #expect(try !Self.matches(#"{"source": ["aws.ec2", "aws.fargate"], "region": ["us-east-1"]}"#, Self.ec2))
        // A field the event lacks never matches a value; a nested object must be an object in the event too.
        #expect(try !Self.matches(#"{"detail": {"missing": ["x"]}}"#, Self.ec2))
        #expect(try !Self.matches(#"{"source": {"state": ["aws.ec2"]}}"#, Self.ec2))
        #expect(try !Self.matches(#"{"detail": ["terminated"]}"#, Self.ec2))
    }

    @Test func exactMatchingIsTypedAndCaseSensitive() throws {
        let event = #"{"s": "Alice", "n": 5, "f": 301.8, "t": true, "z": null, "e": "", "q": "5"}"#
        #expect(try Self.matches(#"{"s": ["Alice"]}"#, event))
        #expect(try !Self.matches(#"{"s": ["alice"]}"#, event))
        // Numbers compare as numbers: 5, 5.0 and 5e0 are one value; the string "5" is not.
        #expect(try Self.matches(#"{"n": [5.0]}"#, event))
        #expect(try Self.matches(#"{"n": [5e0]}"#, event))
        #expect(try Self.matches(#"{"f": [3.018e2]}"#, event))
        #expect(try !Self.matches(#"{"n": ["5"]}"#, event))
        #expect(try !Self.matches(#"{"q": [5]}"#, event))
        #expect(try Self.matches(#"{"t": [true]}"#, event))
        #expect(try !Self.matches(#"{"t": ["true"]}"#, event))
        #expect(try !Self.matches(#"{"t": [false]}"#, event))
        // Strings compare byte for byte: a decomposed é is not the precomposed one.
        #expect(try !Self.matches(#"{"s": ["e\u0301"]}"#, #"{"s": "\u00e9"}"#))
    }

    @Test func nullAndEmptyStringAreDistinctAndNeitherMatchesAMissingField() throws {
        // AWS's example from "Matching null values and empty strings".
        let event = #"{"detail": {"eventVersion": "", "responseElements": null}}"#
        #expect(try Self.matches(#"{"detail": {"eventVersion": [""]}}"#, event))
        #expect(try Self.matches(#"{"detail": {"responseElements": [null]}}"#, event))
        #expect(try !Self.matches(#"{"detail": {"eventVersion": [null]}}"#, event))
        #expect(try !Self.matches(#"{"detail": {"responseElements": [""]}}"#, event))
        #expect(try !Self.matches(#"{"detail": {"other": [null]}}"#, event))
        #expect(try !Self.matches(#"{"detail": {"other": [""]}}"#, event))
    }

    @Test func eventArraysMatchWhenAnyElementDoes() throws {
        // AWS's "Arrays in event patterns" example.
        let pattern = """
            {"resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
                           "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f"]}
            """
        let event = """
            {"resources": ["arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b:autoScalingGroupName/ASG",
                           "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"]}
            """
        #expect(try Self.matches(pattern, event))
        #expect(try !Self.matches(pattern, #"{"resources": ["arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f"]}"#))
        #expect(try !Self.matches(pattern, #"{"resources": []}"#))
        // Nested arrays are flattened, and operators see each element.
        #expect(try Self.matches(#"{"a": [{"prefix": "x"}]}"#, #"{"a": [["q"], ["r", "xy"]]}"#))
    }

    @Test func objectsInsideArraysMatchElementByElement() throws {
        // event-ruler's README: fields of one pattern object must meet in one array element.
        let event = """
            {"employees": [{"firstName": "John", "lastName": "Doe"}, {"firstName": "Anna", "lastName": "Smith"},
                           {"firstName": "Peter", "lastName": "Jones"}]}
            """
        #expect(try Self.matches(#"{"employees": {"firstName": ["Anna"]}}"#, event))
        #expect(try Self.matches(#"{"employees": {"firstName": ["Anna"], "lastName": ["Smith"]}}"#, event))
        #expect(try !Self.matches(#"{"employees": {"firstName": ["Anna"], "lastName": ["Jones"]}}"#, event))
        let nested = #"{"employees": [[{"firstName": "John"}, {"firstName": "Anna"}], [{"firstName": "Peter"}]]}"#
        #expect(try Self.matches(#"{"employees": {"firstName": ["Peter"]}}"#, nested))
    }

    // MARK: Operators

    @Test func prefixAndSuffix() throws {
        #expect(try Self.matches(#"{"time": [{"prefix": "2017-12-22"}]}"#, Self.ec2))
        #expect(try !Self.matches(#"{"time": [{"prefix": "2017-10-02"}]}"#, Self.ec2))
        #expect(try Self.matches(#"{"FileName": [{"suffix": ".png"}]}"#, #"{"FileName": "cat.png"}"#))
        #expect(try !Self.matches(#"{"FileName": [{"suffix": ".png"}]}"#, #"{"FileName": "cat.PNG"}"#))
        // Strings only: a number's digits are not a prefix.
        #expect(try !Self.matches(#"{"n": [{"prefix": "5"}]}"#, #"{"n": 55}"#))
        // The documented ignore-case forms.
        #expect(try Self.matches(#"{"service": [{"prefix": {"equals-ignore-case": "eventb"}}]}"#, #"{"service": "EventBridge"}"#))
        #expect(try !Self.matches(#"{"service": [{"prefix": {"equals-ignore-case": "eventb"}}]}"#, #"{"service": "SQS"}"#))
        #expect(try Self.matches(#"{"service": [{"suffix": {"equals-ignore-case": "tBridge"}}]}"#, #"{"service": "EVENTBRIDGE"}"#))
        #expect(try !Self.matches(#"{"service": [{"suffix": {"equals-ignore-case": "tBridge"}}]}"#, #"{"service": "Bridge"}"#))
    }

    @Test func equalsIgnoreCase() throws {
        // AWS's example matches an array value in any casing.
        let event = #"{"detail-type": ["EC2 Instance State-change Notification"]}"#
        #expect(try Self.matches(#"{"detail-type": [{"equals-ignore-case": "ec2 instance state-change notification"}]}"#, event))
        #expect(try !Self.matches(#"{"detail-type": [{"equals-ignore-case": "ec2 instance"}]}"#, event))
        // Beyond ASCII: each pattern character matches its lower- or upper-case form.
        #expect(try Self.matches(#"{"c": [{"equals-ignore-case": "été"}]}"#, #"{"c": "ÉTÉ"}"#))
        #expect(try Self.matches(#"{"c": [{"equals-ignore-case": "straße"}]}"#, #"{"c": "STRASSE"}"#))
        #expect(try Self.matches(#"{"c": [{"suffix": {"equals-ignore-case": "ÉTÉ"}}]}"#, #"{"c": "bel été"}"#))
        #expect(try !Self.matches(#"{"c": [{"equals-ignore-case": "été"}]}"#, #"{"c": "ete"}"#))
        #expect(try !Self.matches(#"{"c": [{"equals-ignore-case": "5"}]}"#, #"{"c": 5}"#))
    }

    @Test func anythingBut() throws {
        let event = #"{"detail": {"state": "running", "x-limit": 301.8, "n": 100, "FilePath": "/usr/lib/x.so"}}"#
        #expect(try Self.matches(#"{"detail": {"state": [{"anything-but": "initializing"}]}}"#, event))
        #expect(try !Self.matches(#"{"detail": {"state": [{"anything-but": "running"}]}}"#, event))
        #expect(try Self.matches(#"{"detail": {"x-limit": [{"anything-but": 123}]}}"#, event))
        #expect(try !Self.matches(#"{"detail": {"n": [{"anything-but": 100.0}]}}"#, event))
        #expect(try Self.matches(#"{"detail": {"state": [{"anything-but": ["stopped", "overloaded"]}]}}"#, event))
        #expect(try !Self.matches(#"{"detail": {"state": [{"anything-but": ["stopped", "running"]}]}}"#, event))
        #expect(try !Self.matches(#"{"detail": {"n": [{"anything-but": [100, 200, 300]}]}}"#, event))
        #expect(try Self.matches(#"{"detail": {"state": [{"anything-but": {"prefix": "init"}}]}}"#, event))
        #expect(try !Self.matches(#"{"detail": {"state": [{"anything-but": {"prefix": "run"}}]}}"#, event))
        #expect(try Self.matches(#"{"detail": {"state": [{"anything-but": {"suffix": ["ed", "ng2"]}}]}}"#, event))
        #expect(try !Self.matches(#"{"detail": {"state": [{"anything-but": {"suffix": "ing"}}]}}"#, event))
        #expect(try !Self.matches(#"{"detail": {"state": [{"anything-but": {"equals-ignore-case": "RUNNING"}}]}}"#, event))
        #expect(try Self.matches(#"{"detail": {"state": [{"anything-but": {"equals-ignore-case": ["Stopped"]}}]}}"#, event))
        #expect(try !Self.matches(#"{"detail": {"FilePath": [{"anything-but": {"wildcard": "*/lib/*"}}]}}"#, event))
        #expect(try Self.matches(#"{"detail": {"FilePath": [{"anything-but": {"wildcard": "*/bin/*"}}]}}"#, event))
        // A value of another type is not excluded; a missing field is not "anything".
        #expect(try Self.matches(#"{"detail": {"n": [{"anything-but": "100"}]}}"#, event))
        #expect(try Self.matches(#"{"detail": {"state": [{"anything-but": [1, 2]}]}}"#, event))
        #expect(try !Self.matches(#"{"detail": {"gone": [{"anything-but": "x"}]}}"#, event))
        // With an array, one element that is not excluded is enough.
        #expect(try Self.matches(#"{"s": [{"anything-but": "a"}]}"#, #"{"s": ["a", "b"]}"#))
        #expect(try !Self.matches(#"{"s": [{"anything-but": "a"}]}"#, #"{"s": ["a", "a"]}"#))
    }

    @Test func numeric() throws {
        // event-ruler's README example against its EC2 event.
        let pattern = """
            {"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}], "d-count": [{"numeric": ["<", 10]}],
                        "x-limit": [{"numeric": ["=", 3.018e2]}]}}
            """
        #expect(try Self.matches(pattern, Self.ec2))
        #expect(try !Self.matches(#"{"detail": {"c-count": [{"numeric": [">", 0, "<", 5]}]}}"#, Self.ec2))
        #expect(try Self.matches(#"{"detail": {"c-count": [{"numeric": [">=", 5]}]}}"#, Self.ec2))
        #expect(try !Self.matches(#"{"detail": {"c-count": [{"numeric": [">", 5]}]}}"#, Self.ec2))
        #expect(try Self.matches(#"{"detail": {"c-count": [{"numeric": ["=", 5.0]}]}}"#, Self.ec2))
        #expect(try Self.matches(#"{"p": [{"numeric": ["=", 300]}]}"#, #"{"p": 3.0e2}"#))
        #expect(try Self.matches(#"{"p": [{"numeric": [">", -1.5, "<=", 0]}]}"#, #"{"p": -0.25}"#))
        // Only JSON numbers: the string "5" is not in any range.
        #expect(try !Self.matches(#"{"p": [{"numeric": [">", 0]}]}"#, #"{"p": "5"}"#))
        #expect(try Self.matches(#"{"p": [{"numeric": [">", 0]}]}"#, #"{"p": [-1, 7]}"#))
    }

    @Test func exists() throws {
        // AWS's examples: detail.state exists in one event and not in the other.
        let with = #"{"detail": {"instance-id": "i-abcd1111", "state": "pending"}}"#
        let without = #"{"detail": {"c-count": {"c1": 100}}}"#
        #expect(try Self.matches(#"{"detail": {"state": [{"exists": true}]}}"#, with))
        #expect(try !Self.matches(#"{"detail": {"state": [{"exists": true}]}}"#, without))
        #expect(try !Self.matches(#"{"detail": {"state": [{"exists": false}]}}"#, with))
        #expect(try Self.matches(#"{"detail": {"state": [{"exists": false}]}}"#, without))
        // exists works on leaves: an object is no value, so c-count "does not exist" (event-ruler's README).
        #expect(try Self.matches(#"{"detail": {"c-count": [{"exists": false}]}}"#, without))
        #expect(try !Self.matches(#"{"detail": {"c-count": [{"exists": true}]}}"#, without))
        // Absent all the way up; null and "" are values.
        #expect(try Self.matches(#"{"detail": {"state": [{"exists": false}]}}"#, #"{"source": "x"}"#))
        #expect(try !Self.matches(#"{"z": [{"exists": false}]}"#, #"{"z": null}"#))
        #expect(try Self.matches(#"{"z": [{"exists": true}]}"#, #"{"z": ""}"#))
        #expect(try Self.matches(#"{"z": [{"exists": false}]}"#, #"{"z": []}"#))
        // Mixed with a value: absent, or that value.
        #expect(try Self.matches(#"{"z": [{"exists": false}, "x"]}"#, #"{"z": "x"}"#))
        #expect(try Self.matches(#"{"z": [{"exists": false}, "x"]}"#, #"{}"#))
        #expect(try !Self.matches(#"{"z": [{"exists": false}, "x"]}"#, #"{"z": "y"}"#))
        // Inside an array of objects: "no element has it" on its own, "the matching element lacks it" with others.
        let items = #"{"r": [{"id": 1, "tag": "a"}, {"id": 2}]}"#
        #expect(try !Self.matches(#"{"r": {"tag": [{"exists": false}]}}"#, items))
        #expect(try Self.matches(#"{"r": {"owner": [{"exists": false}]}}"#, items))
        #expect(try Self.matches(#"{"r": {"id": [2], "tag": [{"exists": false}]}}"#, items))
        #expect(try !Self.matches(#"{"r": {"id": [1], "tag": [{"exists": false}]}}"#, items))
    }

    @Test func wildcard() throws {
        #expect(try Self.matches(#"{"source": [{"wildcard": "Simple*Service"}]}"#, #"{"source": "SimpleQueueService"}"#))
        #expect(try Self.matches(#"{"source": [{"wildcard": "Simple*Service"}]}"#, #"{"source": "SimpleService"}"#))
        #expect(try !Self.matches(#"{"source": [{"wildcard": "Simple*Service"}]}"#, #"{"source": "SimpleServices"}"#))
        #expect(try Self.matches(#"{"k": [{"wildcard": "dir/*.png"}]}"#, #"{"k": "dir/a/b.png"}"#))
        #expect(try Self.matches(#"{"k": [{"wildcard": "*"}]}"#, #"{"k": ""}"#))
        #expect(try !Self.matches(#"{"k": [{"wildcard": "*"}]}"#, #"{"k": 5}"#))
        // Escapes: \* is an asterisk, \\ a backslash.
        #expect(try Self.matches(#"{"k": [{"wildcard": "a\\*b"}]}"#, #"{"k": "a*b"}"#))
        #expect(try !Self.matches(#"{"k": [{"wildcard": "a\\*b"}]}"#, #"{"k": "axb"}"#))
        #expect(try Self.matches(#"{"k": [{"wildcard": "c:\\\\*"}]}"#, #"{"k": "c:\\temp"}"#))
        #expect(try !Self.matches(#"{"k": [{"wildcard": "c:\\\\*"}]}"#, #"{"k": "c:/temp"}"#))
    }

    @Test func pathologicalWildcardFinishesFast() throws {
        let clock = ContinuousClock()
        let pattern = try EventPattern(json: #"{"k": [{"wildcard": "*a*a*a*a*a*a*a*a*a*a*b"}, {"wildcard": "*aaaaaaaaaaaaaaaaaaab"}]}"#)
        let event = WireJSON.object(["k": .string(String(repeating: "a", count: 20_000))])
        var matched = true
        let elapsed = clock.measure { matched = pattern.matches(event) }
        #expect(!matched)
        #expect(elapsed < .seconds(2))
    }

    @Test func cidr() throws {
        #expect(try Self.matches(#"{"detail": {"source-ip": [{"cidr": "10.0.0.0/24"}]}}"#, Self.ec2))
        #expect(try !Self.matches(#"{"detail": {"source-ip": [{"cidr": "10.0.1.0/24"}]}}"#, Self.ec2))
        #expect(try Self.matches(#"{"ip": [{"cidr": "0.0.0.0/0"}]}"#, #"{"ip": "192.0.2.1"}"#))
        #expect(try Self.matches(#"{"ip": [{"cidr": "2001:db8::/32"}]}"#, #"{"ip": "2001:db8:1::5"}"#))
        #expect(try !Self.matches(#"{"ip": [{"cidr": "2001:db8::/32"}]}"#, #"{"ip": "2001:db9::5"}"#))
        #expect(try !Self.matches(#"{"ip": [{"cidr": "2001:db8::/32"}]}"#, #"{"ip": "10.0.0.1"}"#))
        #expect(try !Self.matches(#"{"ip": [{"cidr": "10.0.0.0/8"}]}"#, #"{"ip": "10.0.0.1/8"}"#))
        #expect(try !Self.matches(#"{"ip": [{"cidr": "10.0.0.0/8"}]}"#, #"{"ip": "AWS Internal"}"#))
        // A plain address in the pattern matches the same address however the event writes it.
        #expect(try Self.matches(#"{"ip": ["2001:db8::1"]}"#, #"{"ip": "2001:0DB8:0:0:0:0:0:1"}"#))
        #expect(try !Self.matches(#"{"ip": ["2001:db8::1"]}"#, #"{"ip": "2001:db8::2"}"#))
    }

    @Test func orAtAnyLevel() throws {
        // AWS's $or example.
        let pattern = """
            {"detail": {"$or": [{"c-count": [{"numeric": [">", 0, "<=", 5]}]}, {"d-count": [{"numeric": ["<", 10]}]},
                                {"x-limit": [{"numeric": ["=", 3.018e2]}]}]}}
            """
        #expect(try Self.matches(pattern, #"{"detail": {"c-count": 9, "d-count": 3}}"#))
        #expect(try Self.matches(pattern, #"{"detail": {"x-limit": 301.8}}"#))
        #expect(try !Self.matches(pattern, #"{"detail": {"c-count": 9, "d-count": 30, "x-limit": 1}}"#))
        // event-ruler's "Or has an And inside", and nested $or.
        let nested = """
            {"source": ["aws.cloudwatch"],
             "$or": [{"metricName": ["CPUUtilization"]},
                     {"namespace": ["AWS/EC2"], "$or": [{"metricId": [1234]}, {"spaceId": [1000]}]}]}
            """
        #expect(try Self.matches(nested, #"{"source": "aws.cloudwatch", "metricName": "CPUUtilization"}"#))
        #expect(try Self.matches(nested, #"{"source": "aws.cloudwatch", "namespace": "AWS/EC2", "spaceId": 1000}"#))
        #expect(try !Self.matches(nested, #"{"source": "aws.cloudwatch", "namespace": "AWS/EC2", "spaceId": 1}"#))
        #expect(try !Self.matches(nested, #"{"source": "aws.other", "metricName": "CPUUtilization"}"#))
        // A branch and the fields beside the $or meet in one array element.
        let split = #"{"r": {"a": ["1"]}, "$or": [{"r": {"b": ["2"]}}, {"r": {"c": ["3"]}}]}"#
        #expect(try Self.matches(split, #"{"r": [{"a": "1", "c": "3"}]}"#))
        #expect(try !Self.matches(split, #"{"r": [{"a": "1"}, {"b": "2", "c": "3"}]}"#))
        // As in EventBridge, a path written both beside and inside a branch takes the later writing in that branch.
        let overridden = #"{"a": ["x"], "$or": [{"a": ["y"]}, {"b": ["z"]}]}"#
        #expect(try Self.matches(overridden, #"{"a": "y"}"#))
        #expect(try Self.matches(overridden, #"{"a": "x", "b": "z"}"#))
        #expect(try !Self.matches(overridden, #"{"a": "x", "b": "q"}"#))
        // A key given twice in a pattern built in code: the last one is used, as AWS documents.
        let twice = try EventPattern(.object([.init("a", ["x"]), .init("a", ["y"])]))
        #expect(twice.matches(["a": "y"]) && !twice.matches(["a": "x"]))
        // Outside $or, operator names are ordinary field names.
        #expect(try Self.matches(#"{"prefix": ["x"]}"#, #"{"prefix": "x"}"#))
    }

    // MARK: Alert rules on CloudTrail records

    @Test func realisticAlertRules() throws {
        #expect(try Self.matches(#"{"userIdentity": {"type": ["Root"]}}"#, Self.trail))
        #expect(try !Self.matches(#"{"userIdentity": {"type": ["IAMUser"]}}"#, Self.trail))
        #expect(try Self.matches(#"{"eventSource": ["iam.amazonaws.com"], "eventName": [{"prefix": "Delete"}]}"#, Self.trail))
        #expect(try !Self.matches(#"{"eventSource": ["iam.amazonaws.com"], "eventName": [{"prefix": "Create"}]}"#, Self.trail))
        #expect(try Self.matches(#"{"errorCode": [{"exists": true}]}"#, Self.trail))
        #expect(try !Self.matches(#"{"errorCode": [{"exists": false}]}"#, Self.trail))
        #expect(try Self.matches(#"{"sourceIPAddress": [{"cidr": "10.0.0.0/8"}]}"#, Self.trail))
        #expect(try !Self.matches(#"{"sourceIPAddress": [{"cidr": "192.168.0.0/16"}]}"#, Self.trail))
        #expect(try Self.matches(#"{"resources": {"type": ["AWS::IAM::User"]}, "readOnly": [false]}"#, Self.trail))
        #expect(try Self.matches(#"{"responseElements": [null], "requestParameters": {"userName": [{"anything-but": "root"}]}}"#, Self.trail))
        let consoleOrRoot = """
            {"$or": [{"userIdentity": {"type": ["Root"]}}, {"eventName": ["ConsoleLogin"]}],
             "errorCode": [{"wildcard": "*Denied"}]}
            """
        #expect(try Self.matches(consoleOrRoot, Self.trail))
    }

    // MARK: Rejections

    @Test(arguments: [
        (#"[]"#, EventPatternError.Code.invalidStructure, ""),
        (#""x""#, .invalidStructure, ""),
        (#"{}"#, .invalidStructure, ""),
        (#"{"source": "aws.ec2"}"#, .invalidStructure, "source"),
        (#"{"source": 5}"#, .invalidStructure, "source"),
        (#"{"detail": {}}"#, .invalidStructure, "detail"),
        (#"{"source": []}"#, .invalidStructure, "source"),
        (#"{"source": [["a"]]}"#, .invalidStructure, "source[0]"),
        (#"{"a": [{"anything-but": []}]}"#, .invalidStructure, "a[0].anything-but"),
        (#"{"source": [{}]}"#, .unknownOperator, "source[0]"),
        (#"{"source": [{"prefix": "a", "suffix": "b"}]}"#, .unknownOperator, "source[0]"),
        (#"{"detail": {"eventName": [{"contains": "x"}]}}"#, .unknownOperator, "detail.eventName[0]"),
        (#"{"a": [{"prefix": {"ignore-case": "x"}}]}"#, .unknownOperator, "a[0].prefix"),
        (#"{"a": [{"anything-but": {"numeric": [">", 1]}}]}"#, .unknownOperator, "a[0].anything-but"),
        (#"{"detail": {"eventName": [{"prefix": 5}]}}"#, .invalidOperand, "detail.eventName[0].prefix"),
        (#"{"a": [{"prefix": {"equals-ignore-case": 1}}]}"#, .invalidOperand, "a[0].prefix.equals-ignore-case"),
        (#"{"a": [{"suffix": null}]}"#, .invalidOperand, "a[0].suffix"),
        (#"{"a": [{"equals-ignore-case": ["x"]}]}"#, .invalidOperand, "a[0].equals-ignore-case"),
        (#"{"a": [{"exists": "true"}]}"#, .invalidOperand, "a[0].exists"),
        (#"{"a": [{"anything-but": null}]}"#, .invalidOperand, "a[0].anything-but"),
        (#"{"a": [{"anything-but": [1, "a"]}]}"#, .invalidOperand, "a[0].anything-but"),
        (#"{"a": [{"anything-but": {"prefix": ""}}]}"#, .invalidOperand, "a[0].anything-but.prefix"),
        (#"{"a": [{"anything-but": {"suffix": ["x", ""]}}]}"#, .invalidOperand, "a[0].anything-but.suffix[1]"),
        (#"{"a": [{"numeric": 5}]}"#, .invalidNumeric, "a[0].numeric"),
        (#"{"a": [{"numeric": []}]}"#, .invalidNumeric, "a[0].numeric"),
        (#"{"a": [{"numeric": ["<", 5, ">", 1]}]}"#, .invalidNumeric, "a[0].numeric[2]"),
        (#"{"a": [{"numeric": [">", 0, ">", 5]}]}"#, .invalidNumeric, "a[0].numeric[2]"),
        (#"{"a": [{"numeric": [">", "5"]}]}"#, .invalidNumeric, "a[0].numeric[1]"),
        (#"{"a": [{"numeric": ["!=", 5]}]}"#, .invalidNumeric, "a[0].numeric[0]"),
        (#"{"a": [{"numeric": [">", 5, "<", 5]}]}"#, .invalidNumeric, "a[0].numeric"),
        (#"{"a": [{"numeric": ["=", 1, "<", 5]}]}"#, .invalidNumeric, "a[0].numeric"),
        (#"{"a": [{"numeric": [">", 9223372036854775807]}]}"#, .invalidNumeric, "a[0].numeric[1]"),
        (#"{"a": [{"anything-but": [1, 9223372036854775807]}]}"#, .invalidNumeric, "a[0].anything-but[1]"),
        (#"{"ip": [{"cidr": 10}]}"#, .invalidOperand, "ip[0].cidr"),
        (#"{"ip": [{"cidr": "10.0.0.0"}]}"#, .invalidCIDR, "ip[0].cidr"),
        (#"{"ip": [{"cidr": "10.0.0.0/8/1"}]}"#, .invalidCIDR, "ip[0].cidr"),
        (#"{"ip": [{"cidr": "10.0.0.0/x"}]}"#, .invalidCIDR, "ip[0].cidr"),
        (#"{"ip": [{"cidr": "10.0.0.0/32"}]}"#, .invalidCIDR, "ip[0].cidr"),
        (#"{"ip": [{"cidr": "10.0.0.256/8"}]}"#, .invalidCIDR, "ip[0].cidr"),
        (#"{"ip": [{"cidr": "::1/128"}]}"#, .invalidCIDR, "ip[0].cidr"),
        (#"{"ip": [{"cidr": "example.com/8"}]}"#, .invalidCIDR, "ip[0].cidr"),
        (#"{"k": [{"wildcard": "a**b"}]}"#, .invalidWildcard, "k[0].wildcard"),
        (#"{"k": [{"wildcard": "a\\b"}]}"#, .invalidWildcard, "k[0].wildcard"),
        (#"{"k": [{"wildcard": "a\\"}]}"#, .invalidWildcard, "k[0].wildcard"),
        (#"{"k": [{"anything-but": {"wildcard": ["*.x", "a**"]}}]}"#, .invalidWildcard, "k[0].anything-but.wildcard[1]"),
        (#"{"$or": {"a": ["x"]}}"#, .invalidOr, "$or"),
        (#"{"$or": [{"a": ["x"]}]}"#, .invalidOr, "$or"),
        (#"{"$or": [{"a": ["x"]}, "b"]}"#, .invalidOr, "$or[1]"),
        (#"{"$or": [{"a": ["x"]}, {}]}"#, .invalidStructure, "$or[1]"),
        (#"{"$or": [{"prefix": ["x"]}, {"b": ["y"]}]}"#, .invalidOr, "$or[0].prefix"),
        (#"{"d": {"$or": [{"a": {"numeric": ["x"]}}, {"b": ["y"]}]}}"#, .invalidOr, "d.$or[0].a.numeric"),
        (#"{"a": [}"#, .invalidJSON, ""),
        (#"{"a": ["x"], "a": ["y"]}"#, .invalidJSON, ""),
    ])
    func rejects(pattern: String, code: EventPatternError.Code, path: String) throws {
        let error = try #require(Self.rejection(pattern))
        #expect(error.code == code, "\(pattern): \(error)")
        #expect(error.path == path, "\(pattern): \(error)")
    }

    @Test func errorsQuoteTheUsersText() throws {
        let error = try #require(Self.rejection(#"{"detail": {"eventName": [{"contains": "x"}]}}"#))
        #expect(error.description == "Unrecognized match type `contains` (at detail.eventName[0])")
        let cidr = try #require(Self.rejection(#"{"ip": [{"cidr": "10.0.0.0/33"}]}"#))
        #expect(cidr.message.contains("`10.0.0.0/33`"))
    }

    // MARK: Limits

    @Test func boundsDepthValuesAndCombinations() throws {
        // 31 nested objects plus the leaf array is 32 levels: accepted; one more is not.
        func nested(_ levels: Int) -> String {
            String(repeating: #"{"a": "#, count: levels) + #"["x"]"# + String(repeating: "}", count: levels)
        }
        _ = try EventPattern(json: nested(31))
        let deep = try #require(Self.rejection(nested(32)))
        #expect(deep.code == .limitExceeded)
        #expect(deep.path == Array(repeating: "a", count: 32).joined(separator: "."))

        let values = (0..<1_000).map { "\"v\($0)\"" }.joined(separator: ",")
        _ = try EventPattern(json: "{\"a\": [\(values)]}")
        let many = try #require(Self.rejection("{\"a\": [\(values), \"one more\"]}"))
        #expect(many.code == .limitExceeded && many.path == "a[1000]")

        func or(_ branches: Int, _ name: String) -> String {
            "\"\(name)\": {\"$or\": [" + (0..<branches).map { "{\"b\($0)\": [\($0)]}" }.joined(separator: ",") + "]}"
        }
        _ = try EventPattern(json: "{\(or(10, "x")), \(or(10, "y")), \(or(10, "z"))}")
        let combos = try #require(Self.rejection("{\(or(10, "x")), \(or(10, "y")), \(or(10, "z")), \(or(2, "w"))}"))
        #expect(combos.code == .limitExceeded)
        let fields = (0..<101).map { "\"f\($0)\": [\($0)]" }.joined(separator: ",")
        let wide = try #require(Self.rejection("{\(or(10, "x")), \(or(10, "y")), \(or(10, "z")), \(fields)}"))
        #expect(wide.code == .limitExceeded)
    }

    @Test func compiledPatternsAreReusableAndSendable() async throws {
        let pattern = try EventPattern(json: #"{"eventName": [{"prefix": "Delete"}]}"#)
        let events = ["DeleteUser", "CreateUser", "DeleteRole"].map { WireJSON.object(["eventName": .string($0)]) }
        let results = await withTaskGroup(of: Bool.self) { group in
            for event in events { group.addTask { pattern.matches(event) } }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(results == 2)
        #expect(try EventPattern(Self.event(#"{"a": ["x"]}"#)).matches(["a": "x"]))
    }
}
