import Foundation
import Testing
@testable import WardenWire

@Suite("Generated request decoding")
struct GeneratedDecodingTests {
    @Test func createUserWithTags() throws {
        let q = QueryParameters(formEncoded: "Action=CreateUser&Version=2010-05-08&UserName=alice&Path=%2Fdev%2F"
            + "&Tags.member.1.Key=team&Tags.member.1.Value=blue+green&Tags.member.2.Key=cost&Tags.member.2.Value=&Unknown=1")
        let r = try IAM.CreateUserRequest(from: q)
        #expect(r == IAM.CreateUserRequest(path: "/dev/", userName: "alice",
                                           tags: [IAM.Tag(key: "team", value: "blue green"), IAM.Tag(key: "cost", value: "")]))
    }

    @Test func missingRequiredAndPattern() {
        #expect(throws: ValidationFailure(messages: [
            "Value null at 'userName' failed to satisfy constraint: Member must not be null",
        ])) { try IAM.CreateUserRequest(from: QueryParameters(["Path": "/"])) }

        do {
            _ = try IAM.CreateUserRequest(from: QueryParameters(["UserName": "bad name"]))
            Issue.record("expected a failure")
        } catch {
            #expect(error.message == #"1 validation error detected: Value 'bad name' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+"#)
        }
    }

    @Test func severalViolationsInModelOrder() {
        let long = String(repeating: "a", count: 65)
        do {
            _ = try IAM.CreateUserRequest(from: QueryParameters(["UserName": long, "Path": "myUser"]))
            Issue.record("expected a failure")
        } catch {
            #expect(error.messages == [
                #"Value 'myUser' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)"#,
                "Value '\(long)' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64",
            ])
            #expect(error.message.hasPrefix("2 validation errors detected: Value 'myUser' at 'path'"))
            #expect(error.message.contains("; Value '\(long)' at 'userName'"))
        }
    }

    @Test func emptyStringViolatesLengthAndPattern() {
        do {
            _ = try IAM.GetUserRequest(from: QueryParameters(["UserName": ""]))
            Issue.record("expected a failure")
        } catch {
            #expect(error.messages == [
                "Value '' at 'userName' failed to satisfy constraint: Member must have length greater than or equal to 1",
                #"Value '' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+"#,
            ])
        }
    }

    @Test func nestedListMemberLocation() {
        let q = QueryParameters(["UserName": "bob", "Tags.member.1.Key": "ok", "Tags.member.1.Value": "v",
                                 "Tags.member.2.Key": "bad{key}", "Tags.member.2.Value": "v", "Tags.member.3.Value": "x"])
        do {
            _ = try IAM.TagUserRequest(from: q)
            Issue.record("expected a failure")
        } catch {
            #expect(error.messages == [
                #"Value 'bad{key}' at 'tags.2.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+"#,
                "Value null at 'tags.3.member.key' failed to satisfy constraint: Member must not be null",
            ])
        }
    }

    @Test func tooManyTags() {
        var pairs = ["UserName": "bob"]
        for i in 1...51 {
            pairs["Tags.member.\(i).Key"] = "k\(i)"
            pairs["Tags.member.\(i).Value"] = "v"
        }
        do {
            _ = try IAM.TagUserRequest(from: QueryParameters(pairs))
            Issue.record("expected a failure")
        } catch {
            #expect(error.messages.count == 1)
            #expect(error.messages[0].hasPrefix("Value '[{Key=k1, Value=v}, {Key=k2, Value=v}"))
            #expect(error.messages[0].hasSuffix("' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"))
        }
    }

    @Test func stringListAndUnicodeTags() throws {
        let r = try IAM.UntagUserRequest(from: QueryParameters(["UserName": "bob", "TagKeys.member.1": "été", "TagKeys.member.2": "k 2"]))
        #expect(r.tagKeys == ["été", "k 2"])
        do {
            _ = try IAM.UntagUserRequest(from: QueryParameters(["UserName": "bob", "TagKeys.member.1": "ok", "TagKeys.member.2": "b{d}"]))
            Issue.record("expected a failure")
        } catch {
            #expect(error.messages == [
                #"Value '[ok, b{d}]' at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+]"#,
            ])
        }
        #expect(throws: ValidationFailure.self) { try IAM.UntagUserRequest(from: QueryParameters(["UserName": "bob"])) }
        // botocore sends `TagKeys=` for an empty list.
        #expect(try IAM.UntagUserRequest(from: QueryParameters(["UserName": "bob", "TagKeys": ""])).tagKeys == [])
    }

    @Test func integersBooleansAndEnums() throws {
        let r = try IAM.UpdateAccessKeyRequest(from: QueryParameters(["AccessKeyId": "AKIAIOSFODNN7EXAMPLE", "Status": "Inactive"]))
        #expect(r.status == .inactive)
        do {
            _ = try IAM.UpdateAccessKeyRequest(from: QueryParameters(["AccessKeyId": "AKIAIOSFODNN7EXAMPLE", "Status": "Off"]))
            Issue.record("expected a failure")
        } catch {
            #expect(error.messages == ["Value 'Off' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive, Expired]"])
        }
        let p = try IAM.UpdateAccountPasswordPolicyRequest(from: QueryParameters(["MinimumPasswordLength": "12", "RequireSymbols": "true",
                                                                                  "HardExpiry": "False"]))
        #expect(p.minimumPasswordLength == 12 && p.requireSymbols == true && p.hardExpiry == false && p.requireNumbers == nil)
        do {
            _ = try STS.AssumeRoleRequest(from: QueryParameters(["RoleArn": "arn:aws:iam::123456789012:role/r", "RoleSessionName": "s",
                                                                  "DurationSeconds": "50000"]))
            Issue.record("expected a failure")
        } catch {
            #expect(error.messages == [
                "Value 's' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
                "Value '50000' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200",
            ])
        }
        do {
            _ = try IAM.ListUsersRequest(from: QueryParameters(["MaxItems": "lots"]))
            Issue.record("expected a failure")
        } catch {
            #expect(error.messages == ["Value 'lots' at 'maxItems' failed to satisfy constraint: Member must be an integer"])
        }
    }

    @Test func stsPolicyArnsLowercaseMember() throws {
        let r = try STS.AssumeRoleRequest(from: QueryParameters([
            "RoleArn": "arn:aws:iam::123456789012:role/r", "RoleSessionName": "sess",
            "PolicyArns.member.1.arn": "arn:aws:iam::aws:policy/ReadOnlyAccess", "Tags.member.1.Key": "k", "Tags.member.1.Value": "v",
            "TransitiveTagKeys.member.1": "k", "Policy": #"{"Version":"2012-10-17"}"#,
        ]))
        #expect(r.policyArns == [STS.PolicyDescriptorType(arn: "arn:aws:iam::aws:policy/ReadOnlyAccess")])
        #expect(r.tags == [STS.Tag(key: "k", value: "v")])
        #expect(r.transitiveTagKeys == ["k"])
        #expect(r.policy == #"{"Version":"2012-10-17"}"#)
    }

    @Test func enumListAndNestedLists() throws {
        let r = try IAM.GetAccountAuthorizationDetailsRequest(from: QueryParameters(["Filter.member.1": "User", "Filter.member.2": "AWSManagedPolicy"]))
        #expect(r.filter == [.user, .awsManagedPolicy])
        let s = try IAM.SimulateCustomPolicyRequest(from: QueryParameters([
            "PolicyInputList.member.1": #"{"Version":"2012-10-17","Statement":[]}"#, "ActionNames.member.1": "s3:GetObject",
            "ContextEntries.member.1.ContextKeyName": "aws:username", "ContextEntries.member.1.ContextKeyType": "stringList",
            "ContextEntries.member.1.ContextKeyValues.member.1": "a", "ContextEntries.member.1.ContextKeyValues.member.2": "b",
        ]))
        #expect(s.contextEntries == [IAM.ContextEntry(contextKeyName: "aws:username", contextKeyValues: ["a", "b"], contextKeyType: .stringList)])
        #expect(s.actionNames == ["s3:GetObject"])
    }

    @Test func emptyInputShape() throws {
        _ = try STS.GetCallerIdentityRequest(from: QueryParameters(["Action": "GetCallerIdentity"]))
    }
}
