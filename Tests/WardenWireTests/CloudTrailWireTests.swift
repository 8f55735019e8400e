import Foundation
import Testing
@testable import WardenWire

/// JSON 1.1 bodies exactly as botocore's JSONSerializer writes them (`scripts/codegen/check_parse.py --serialize`).
enum BotocoreJSONBodies {
    static let lookupEvents = #"{"LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "CreateUser"}], "StartTime": 1704164645, "EndTime": 1704240000, "EventCategory": "insight", "MaxResults": 50, "NextToken": "tok"}"#
    static let createTrail = #"{"Name": "audit", "S3BucketName": "warden-audit", "IsMultiRegionTrail": true, "TagsList": [{"Key": "team", "Value": "sec"}]}"#
}

/// CloudTrail sample responses shared by the golden tests and the botocore cross-check dump.
enum CloudTrailSamples {
    static let eventTime = Date(timeIntervalSince1970: 1_704_164_645)  // 2024-01-02T03:04:05Z

    static let lookupEvents = CloudTrail.LookupEventsResponse(events: [
        CloudTrail.Event(eventId: "0a1b2c3d-1111-2222-3333-444455556666", eventName: "CreateUser", readOnly: "false",
                         accessKeyId: "AKIAIOSFODNN7EXAMPLE", eventTime: eventTime, eventSource: "iam.amazonaws.com", username: "alice",
                         resources: [CloudTrail.Resource(resourceType: "AWS::IAM::User", resourceName: "bob")],
                         cloudTrailEvent: #"{"eventVersion":"1.09","userAgent":"aws-cli/2 \"quoted\""}"#),
        CloudTrail.Event(eventId: "e2", eventName: "GetUser", eventTime: Date(timeIntervalSince1970: 1_704_164_645.25)),
    ], nextToken: "page-2")

    static let lookupEventsJSON = #"{"Events":[{"EventId":"0a1b2c3d-1111-2222-3333-444455556666","EventName":"CreateUser","ReadOnly":"false","AccessKeyId":"AKIAIOSFODNN7EXAMPLE","EventTime":1704164645,"EventSource":"iam.amazonaws.com","Username":"alice","Resources":[{"ResourceType":"AWS::IAM::User","ResourceName":"bob"}],"CloudTrailEvent":"{\"eventVersion\":\"1.09\",\"userAgent\":\"aws-cli/2 \\\"quoted\\\"\"}"},{"EventId":"e2","EventName":"GetUser","EventTime":1704164645.25}],"NextToken":"page-2"}"#
}

@Suite("CloudTrail shapes over JSON 1.1")
struct CloudTrailWireTests {
    @Test func namespaceAndRegistry() {
        #expect(CloudTrail.version == "2013-11-01")
        #expect(CloudTrail.signingName == "cloudtrail")
        #expect(CloudTrail.endpointPrefix == "cloudtrail")
        #expect(CloudTrail.targetPrefix == "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101")
        #expect(CloudTrail.jsonVersion == "1.1")
        #expect(CloudTrail.wireProtocol == .json)
        #expect(CloudTrail.operations.count == 60)
        let lookup = CloudTrail.operations["LookupEvents"]
        #expect(lookup?.inputShape == "LookupEventsRequest")
        #expect(lookup?.outputShape == "LookupEventsResponse")
        #expect(lookup?.resultWrapper == nil)
        #expect(lookup?.isPaginated == true)
        #expect(lookup?.errors.contains("InvalidLookupAttributesException") == true)
        #expect(lookup?.httpMethod == "POST" && lookup?.requestURI == "/" && lookup?.successStatus == 200)
        #expect(CloudTrail.errors["InvalidLookupAttributesException"] == ErrorDescriptor(
            shapeName: "InvalidLookupAttributesException", code: "InvalidLookupAttributesException", httpStatus: 400, isSender: true))
        #expect(CloudTrail.errorStatus["TrailNotFoundException"] == 400)
        #expect(CloudTrail.errors.count == 86)
        #expect(CloudTrail.Rules.all().count > 30)

        let service = CloudTrail.service
        #expect(service.name == "CloudTrail" && service.fullName == "AWS CloudTrail")
        #expect(service.wireProtocol == .json && service.signingName == "cloudtrail" && service.jsonVersion == "1.1")
        #expect(service.operation(target: "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents")?.name == "LookupEvents")
        #expect(service.operation(target: "CloudTrail_20131101.DescribeTrails")?.name == "DescribeTrails")
        #expect(service.operation(target: "CloudTrail_20131101.NoSuchThing") == nil)
        #expect(IAM.service.wireProtocol == .query && IAM.service.xmlNamespace == IAM.namespace)
        #expect(STS.service.operations.count == 11)
    }

    @Test func reservedTypeNamesGetASuffix() throws {
        // The model's enum `Type` would clash with Swift's `.Type`; it is `TypeShape`.
        let s = try CloudTrail.ContextKeySelector(json: ["Type": "TagContext", "Equals": ["k1"]])
        #expect(s == CloudTrail.ContextKeySelector(type: .tagContext, equals: ["k1"]))
        #expect(CloudTrail.TypeShape.allCases.map(\.rawValue) == ["TagContext", "RequestContext"])
    }

    @Test func lookupEventsAsBotocoreSendsIt() throws {
        let r = try JSONProtocol.decode(CloudTrail.LookupEventsRequest.self, body: Array(BotocoreJSONBodies.lookupEvents.utf8))
        #expect(r == CloudTrail.LookupEventsRequest(
            lookupAttributes: [CloudTrail.LookupAttribute(attributeKey: .eventName, attributeValue: "CreateUser")],
            startTime: Date(timeIntervalSince1970: 1_704_164_645), endTime: Date(timeIntervalSince1970: 1_704_240_000),
            eventCategory: .insight, maxResults: 50, nextToken: "tok"))
    }

    @Test func timestampsInEveryForm() throws {
        let forms: [WireJSON] = [1_704_164_645, 1_704_164_645.5, "2024-01-02T03:04:05.5Z", "1704164645.5"]
        let expected: [Double] = [1_704_164_645, 1_704_164_645.5, 1_704_164_645.5, 1_704_164_645.5]
        for (form, seconds) in zip(forms, expected) {
            let r = try CloudTrail.LookupEventsRequest(json: ["StartTime": form])
            #expect(r.startTime == Date(timeIntervalSince1970: seconds))
        }
        // `null` and absent members are the same; unknown members are ignored.
        #expect(try CloudTrail.LookupEventsRequest(json: ["StartTime": .null, "Other": 1]) == CloudTrail.LookupEventsRequest())
        #expect(try JSONProtocol.decode(CloudTrail.LookupEventsRequest.self, body: []) == CloudTrail.LookupEventsRequest())
    }

    @Test func everyViolationIsReported() {
        let body: WireJSON = [
            "LookupAttributes": [["AttributeKey": "Nope"], ["AttributeKey": "Username", "AttributeValue": ""]],
            "StartTime": "yesterday",
            "EventCategory": "bogus",
            "MaxResults": 100,
            "NextToken": 7,
        ]
        do {
            _ = try CloudTrail.LookupEventsRequest(json: body)
            Issue.record("expected a failure")
        } catch {
            #expect(error.messages == [
                "Value 'Nope' at 'lookupAttributes.1.member.attributeKey' failed to satisfy constraint: Member must satisfy enum value set: [EventId, EventName, ReadOnly, Username, ResourceType, ResourceName, EventSource, AccessKeyId]",
                "Value null at 'lookupAttributes.1.member.attributeValue' failed to satisfy constraint: Member must not be null",
                "Value '' at 'lookupAttributes.2.member.attributeValue' failed to satisfy constraint: Member must have length greater than or equal to 1",
                "Value 'yesterday' at 'startTime' failed to satisfy constraint: Member must be a timestamp (epoch seconds or ISO 8601)",
                "Value 'bogus' at 'eventCategory' failed to satisfy constraint: Member must satisfy enum value set: [insight]",
                "Value '100' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50",
                "Value '7' at 'nextToken' failed to satisfy constraint: Member must be a string",
            ])
            #expect(error.message.hasPrefix("7 validation errors detected: Value 'Nope' at 'lookupAttributes.1.member.attributeKey'"))
            let wire = error.wireError(for: .json)
            #expect(wire.code == "ValidationException" && wire.httpStatus == 400)
        }
    }

    @Test func typeMismatchesAndLists() {
        let body: WireJSON = [
            "Name": ["not", "a", "string"],
            "IsMultiRegionTrail": "true",
            "TagsList": [["Key": "k"], "tag", .null],
        ]
        do {
            _ = try CloudTrail.CreateTrailRequest(json: body)
            Issue.record("expected a failure")
        } catch {
            #expect(error.messages == [
                "Value '[not, a, string]' at 'name' failed to satisfy constraint: Member must be a string",
                "Value null at 's3BucketName' failed to satisfy constraint: Member must not be null",
                "Value 'true' at 'isMultiRegionTrail' failed to satisfy constraint: Member must be a boolean (true or false)",
                "Value 'tag' at 'tagsList.2.member' failed to satisfy constraint: Member must be a structure (a JSON object)",
                "Value null at 'tagsList.3.member' failed to satisfy constraint: Member must not be null",
            ])
        }
        let many = WireJSON.array((0..<201).map { ["Key": .string("k\($0)")] })
        do {
            _ = try CloudTrail.CreateTrailRequest(json: ["Name": "t", "S3BucketName": "b", "TagsList": many])
            Issue.record("expected a failure")
        } catch {
            #expect(error.messages.count == 1)
            #expect(error.messages[0].hasPrefix("Value '[{Key=k0}, {Key=k1}"))
            #expect(error.messages[0].hasSuffix("' at 'tagsList' failed to satisfy constraint: Member must have length less than or equal to 200"))
        }
    }

    @Test func createTrailAsBotocoreSendsIt() throws {
        let r = try JSONProtocol.decode(CloudTrail.CreateTrailRequest.self, body: Array(BotocoreJSONBodies.createTrail.utf8))
        #expect(r == CloudTrail.CreateTrailRequest(name: "audit", s3BucketName: "warden-audit", isMultiRegionTrail: true,
                                                   tagsList: [CloudTrail.Tag(key: "team", value: "sec")]))
    }

    @Test func stringMapsAndStringLists() throws {
        // Equals: a list of 1–50 strings of 1–128 characters; a bad element is reported once for the list.
        do {
            _ = try CloudTrail.PutEventConfigurationRequest(json: [
                "ContextKeySelectors": [["Type": "RequestContext", "Equals": ["ok", ""]]],
            ])
            Issue.record("expected a failure")
        } catch {
            #expect(error.messages == [
                "Value '[ok, ]' at 'contextKeySelectors.1.member.equals' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]",
            ])
        }
        // ViewProperties: a map whose keys and values have patterns; each kind of violation is reported once.
        let widget = try CloudTrail.RequestWidget(json: ["QueryStatement": "SELECT 1", "ViewProperties": ["Height": "2", "View": "Table"]])
        #expect(widget.viewProperties == ["Height": "2", "View": "Table"])
        do {
            _ = try CloudTrail.RequestWidget(json: ["QueryStatement": "SELECT 1", "ViewProperties": ["H": "2", "View": "a/b", "Ok": 3]])
            Issue.record("expected a failure")
        } catch {
            #expect(error.messages == [
                #"Value '{H=2, View=a/b, Ok=3}' at 'viewProperties' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: ^[a-zA-Z0-9._\-]+$]"#,
                "Value '3' at 'viewProperties.Ok' failed to satisfy constraint: Member must be a string",
                #"Value '{H=2, View=a/b, Ok=3}' at 'viewProperties' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ^[a-zA-Z0-9._\- ]+$]"#,
            ])
        }
    }

    @Test func enumListsAndBlobs() throws {
        let ok = try CloudTrail.AggregationConfiguration(json: ["Templates": ["API_ACTIVITY", "USER_ACTIONS"], "EventCategory": "Data"])
        #expect(ok.templates == [.apiActivity, .userActions])
        do {
            _ = try CloudTrail.AggregationConfiguration(json: ["Templates": [], "EventCategory": "Data"])
            Issue.record("expected a failure")
        } catch {
            #expect(error.messages == ["Value '[]' at 'templates' failed to satisfy constraint: Member must have length greater than or equal to 1"])
        }
        do {
            _ = try CloudTrail.AggregationConfiguration(json: ["Templates": ["API_ACTIVITY", "nope"], "EventCategory": "Data"])
            Issue.record("expected a failure")
        } catch {
            #expect(error.messages == ["Value '[API_ACTIVITY, nope]' at 'templates' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [API_ACTIVITY, RESOURCE_ACCESS, USER_ACTIONS]]"])
        }
        // Blobs travel as base64 strings; timestamps as epoch seconds.
        let key = CloudTrail.PublicKey(value: [0xDE, 0xAD, 0xBE, 0xEF], validityStartTime: Date(timeIntervalSince1970: 0), fingerprint: "fp")
        #expect(key.encodeJSON().jsonString == #"{"Value":"3q2+7w==","ValidityStartTime":0,"Fingerprint":"fp"}"#)
    }

    @Test func encodesLookupEventsResponse() throws {
        let json = CloudTrailSamples.lookupEvents.encodeJSON()
        #expect(json.jsonString == CloudTrailSamples.lookupEventsJSON)
        let response = JSONProtocol.success(CloudTrailSamples.lookupEvents, requestID: "req-1")
        #expect(response.status == 200)
        #expect(response.headers == ["Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": "req-1"])
        #expect(response.bodyString == CloudTrailSamples.lookupEventsJSON)
        // The body parses back to the same tree.
        #expect(try WireJSON(parsing: response.body) == json)
        #expect(JSONProtocol.success(nil, requestID: "r").bodyString == "{}")
        #expect(JSONProtocol.success(CloudTrail.LookupEventsResponse(), requestID: "r").bodyString == "{}")
    }

    /// Writes the JSON samples to `$WARDEN_WIRE_DUMP` for scripts/codegen/check_parse.py.
    @Test func dumpJSONForBotocore() throws {
        guard let dir = ProcessInfo.processInfo.environment["WARDEN_WIRE_DUMP"] else { return }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func write(_ name: String, _ r: WireResponse) throws {
            var headers = ""
            for (k, v) in r.headers.sorted(by: { $0.key < $1.key }) { headers += "\(k): \(v)\n" }
            try ("\(r.status)\n" + headers + "\n" + r.bodyString).write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
        }
        try write("CloudTrail-LookupEvents.http", JSONProtocol.success(CloudTrailSamples.lookupEvents, requestID: SampleResponses.requestID))
        let error = CloudTrail.errors["InvalidLookupAttributesException"]!.wireError("Attribute key `Nope` is not valid.")
        for p in WireProtocol.allCases {
            try write("Error-\(p.rawValue).http", p.errorResponse(error, requestID: SampleResponses.requestID, xmlNamespace: IAM.namespace))
        }
    }
}
