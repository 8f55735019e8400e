import Foundation
import Testing
import WardenCore
import WardenStore
import WardenWire
@testable import WardenService

/// The audit record builder: the records it writes straight to JSON text parse back with every member in
/// place, what it reuses within a batch (identities, resource types) does not leak between callers, and event
/// ids are unique, time-ordered version 7 UUIDs.
@Suite struct AuditRecordTests {
    static let account = "123456789012"

    func caller(_ name: String, key: String) -> Caller {
        Caller(principal: Principal(kind: .user, account: Self.account, arn: "arn:aws:iam::\(Self.account):user/\(name)",
                                    userID: "AIDA\(name.uppercased())", name: name), accessKeyID: key)
    }

    func event(_ caller: Caller, _ operation: String, resources: [String] = [], error: String? = nil, at time: Date = Date()) -> CallEvent {
        CallEvent(eventID: "", service: .iam, operation: operation, account: Self.account, caller: caller,
                  meta: RequestMeta(requestID: "req-\(operation)", sourceIP: "10.0.0.1", userAgent: "ua \"quoted\"\n",
                                    secureTransport: false, region: "eu-west-1", time: time),
                  errorCode: error, errorMessage: error.map { "refused: \($0)" }, resources: resources,
                  readOnly: CallEvent.isReadOnly(operation))
    }

    @Test func aRecordParsesBackWithCloudTrailsMembers() throws {
        var builder = AuditRecord()
        let alice = caller("alice", key: "AKIAALICE00000000001")
        let input = APIInput.query(QueryParameters(["Action": "GetUser", "Version": "2010-05-08", "UserName": "bob"]))
        let e = builder.entry(event(alice, "GetUser", resources: ["arn:aws:iam::\(Self.account):user/bob"]),
                              input: input, output: nil, state: nil)
        let json = try WireJSON(parsing: e.record)
        #expect(json["eventVersion"]?.stringValue == "1.11")
        #expect(json["eventName"]?.stringValue == "GetUser")
        #expect(json["awsRegion"]?.stringValue == "us-east-1")
        #expect(json["userAgent"]?.stringValue == "ua \"quoted\"\n")
        #expect(json["userIdentity"]?["type"]?.stringValue == "IAMUser")
        #expect(json["userIdentity"]?["userName"]?.stringValue == "alice")
        #expect(json["userIdentity"]?["accessKeyId"]?.stringValue == "AKIAALICE00000000001")
        #expect(json["requestParameters"]?["userName"]?.stringValue == "bob")
        #expect(json["responseElements"]?.isNull == true)
        #expect(json["readOnly"]?.boolValue == true)
        #expect(json["resources"]?[0]?["type"]?.stringValue == "AWS::IAM::User")
        #expect(json["resources"]?[0]?["accountId"]?.stringValue == Self.account)
        #expect(json["eventID"]?.stringValue == e.eventID)
        #expect(json["errorCode"] == nil)
        #expect(e.resources == [AuditResource(type: "AWS::IAM::User", name: "arn:aws:iam::\(Self.account):user/bob")])
    }

    @Test func identitiesAreReusedOnlyForTheSameCredentials() throws {
        var builder = AuditRecord()
        let alice = caller("alice", key: "AKIAALICE00000000001")
        let bob = caller("bob", key: "AKIABOB0000000000001")
        var names: [String?] = []
        for c in [alice, bob, alice, bob] {
            let e = builder.entry(event(c, "ListUsers", error: "AccessDenied"), input: nil, output: nil, state: nil)
            let json = try WireJSON(parsing: e.record)
            names.append(json["userIdentity"]?["userName"]?.stringValue)
            #expect(json["errorCode"]?.stringValue == "AccessDenied")
            #expect(json["requestParameters"]?.isNull == true)
        }
        #expect(names == ["alice", "bob", "alice", "bob"])
    }

    @Test func eventIDsAreUniqueTimeOrderedVersion7UUIDs() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var seen = Set<String>()
        var previous = ""
        for i in 0..<1_000 {
            let id = EventIDs.next(time: start.addingTimeInterval(Double(i) * 0.002))
            #expect(UUID(uuidString: id) != nil)
            #expect(id == id.lowercased())
            let chars = Array(id)
            #expect(chars[14] == "7")
            #expect("89ab".contains(chars[19]))
            #expect(id > previous)
            previous = id
            seen.insert(id)
        }
        #expect(seen.count == 1_000)  // more than one refill of the random pool
    }

    @Test func theWriterEscapesValuesAndNestsContainers() throws {
        var w = JSONWriter()
        w.beginObject()
        w.string("a", "x\"y\\z\u{1}")
        w.beginArray("list")
        w.string(nil, "one"); w.bool(nil, true); w.null(nil)
        w.beginObject(); w.endObject()
        w.endArray()
        w.nonEmpty("skipped", "")
        w.value("v", .object(["k": .int(3)]))
        w.raw("r", Array("[1,2]".utf8))
        w.endObject()
        let text = String(decoding: w.bytes, as: UTF8.self)
        #expect(text == #"{"a":"x\"y\\z\u0001","list":["one",true,null,{}],"v":{"k":3},"r":[1,2]}"#)
        #expect(try WireJSON(parsing: w.bytes)["r"]?[1]?.intValue == 2)
    }
}
