import Foundation
import Testing
@testable import WardenWire

/// A REST-JSON input written the way the generator writes one (`scripts/codegen/generate.py`, rest-json services):
/// a URI label, query-string scalars and list, a header, and a body member.
private struct GetThingRequest: HTTPBindingDecodable, Equatable {
    var thingName: String
    var maxResults: Int?
    var verbose: Bool?
    var kinds: [String]?
    var version: Int?
    var note: String?

    init(thingName: String, maxResults: Int? = nil, verbose: Bool? = nil, kinds: [String]? = nil, version: Int? = nil, note: String? = nil) {
        self.thingName = thingName
        self.maxResults = maxResults
        self.verbose = verbose
        self.kinds = kinds
        self.version = version
        self.note = note
    }

    static let maxRule = IntRule(min: 1, max: 100)

    init(http b: HTTPBindings) throws(ValidationFailure) {
        var r = JSONReader()
        let value = r.root(b.body) { r, o, l in Self.decode(&r, o, l, b) }
        self = try r.finish(value)
    }

    static func decode(_ r: inout JSONReader, _ o: JSONFields, _ l: String, _ b: HTTPBindings) -> Self? {
        let v_thingName = r.string(b.uri("thingName", .string), l + "thingName", required: true, nil)
        let v_maxResults = r.integer(b.querystring("maxResults", .integer), l + "maxResults", required: false, maxRule)
        let v_verbose = r.boolean(b.querystring("verbose", .boolean), l + "verbose", required: false)
        let v_kinds = r.stringList(b.querystringList("kind", .string), l + "kinds", required: false, nil, nil)
        let v_version = r.integer(b.header("X-Thing-Version", .integer), l + "version", required: false, nil)
        let v_note = r.string(o["note"], l + "note", required: false, nil)
        guard let v_thingName else { return nil }
        return Self(thingName: v_thingName, maxResults: v_maxResults, verbose: v_verbose, kinds: v_kinds, version: v_version, note: v_note)
    }
}

@Suite("Protocol envelopes: JSON 1.1, REST-JSON, REST-XML, query errors")
struct ProtocolEnvelopeTests {
    private let error = WireError(code: "InvalidLookupAttributesException", message: #"Attribute <key> "Nope" & more"#, httpStatus: 400)

    @Test func targetHeader() {
        let prefix = CloudTrail.targetPrefix
        #expect(JSONProtocol.operation(target: prefix + ".LookupEvents", prefix: prefix) == "LookupEvents")
        #expect(JSONProtocol.operation(target: "CloudTrail_20131101.LookupEvents", prefix: prefix) == "LookupEvents")
        #expect(JSONProtocol.operation(target: "AWSOrganizationsV20161128.ListAccounts", prefix: "AWSOrganizationsV20161128") == "ListAccounts")
        #expect(JSONProtocol.operation(target: "Other_20131101.LookupEvents", prefix: prefix) == nil)
        #expect(JSONProtocol.operation(target: "v20131101.CloudTrail_20131101.LookupEvents", prefix: prefix) == nil)
        #expect(JSONProtocol.operation(target: prefix + ".", prefix: prefix) == nil)
        #expect(JSONProtocol.operation(target: prefix + ".Look-up", prefix: prefix) == nil)
        #expect(JSONProtocol.operation(target: "LookupEvents", prefix: prefix) == nil)
        #expect(JSONProtocol.operation(target: "", prefix: prefix) == nil)
        #expect(JSONProtocol.contentType == "application/x-amz-json-1.1")
        #expect(JSONProtocol.contentType(version: "1.0") == "application/x-amz-json-1.0")
    }

    @Test func jsonError() throws {
        let r = JSONProtocol.error(error, requestID: "rid")
        #expect(r.status == 400)
        #expect(r.headers == ["Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": "rid"])
        #expect(r.bodyString == #"{"__type":"InvalidLookupAttributesException","message":"Attribute <key> \"Nope\" & more"}"#)
        #expect(WireProtocol.json.errorResponse(error, requestID: "rid") == r)
        let unknown = JSONProtocol.error(WireProtocol.json.unknownOperation("Frobnicate"), requestID: "rid")
        #expect(unknown.status == 400)
        #expect(unknown.bodyString == #"{"__type":"UnknownOperationException","message":"Unknown operation `Frobnicate`"}"#)
    }

    @Test func restJSONError() {
        let r = WireProtocol.restJSON.errorResponse(WireError(code: "ResourceNotFoundException", message: "Analyzer `a` not found", httpStatus: 404),
                                                    requestID: "rid")
        #expect(r.status == 404)
        #expect(r.headers == ["Content-Type": "application/json", "x-amzn-RequestId": "rid", "x-amzn-ErrorType": "ResourceNotFoundException"])
        #expect(r.bodyString == #"{"message":"Analyzer `a` not found"}"#)
        #expect(WireProtocol.restJSON.unknownOperation("GET /nothing").httpStatus == 404)
    }

    @Test func restXMLError() {
        let r = WireProtocol.restXML.errorResponse(WireError(code: "NoSuchKey", message: "The key <k> & co", httpStatus: 404), requestID: "rid")
        #expect(r.status == 404)
        #expect(r.headers == ["Content-Type": "application/xml", "x-amz-request-id": "rid"])
        #expect(r.bodyString == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code><Message>The key &lt;k&gt; &amp; co</Message><RequestId>rid</RequestId></Error>")
        let unknown = WireProtocol.restXML.unknownOperation(nil)
        #expect(unknown.code == "NotImplemented" && unknown.httpStatus == 501 && !unknown.isSender)
    }

    @Test func queryError() {
        let withNamespace = WireProtocol.query.errorResponse(WireError(code: "NoSuchEntity", message: "no <bob>", httpStatus: 404),
                                                             requestID: "rid", xmlNamespace: IAM.namespace)
        #expect(withNamespace.status == 404)
        #expect(withNamespace.headers == ["Content-Type": "text/xml", "x-amzn-RequestId": "rid"])
        #expect(withNamespace.bodyString == QueryProtocol.error(WireError(code: "NoSuchEntity", message: "no <bob>", httpStatus: 404),
                                                                namespace: IAM.namespace, requestID: "rid"))
        let unserved = WireProtocol.query.errorResponse(WireProtocol.query.serviceNotServed("ec2"), requestID: "rid")
        #expect(unserved.bodyString == "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>Warden does not serve the `ec2` service on this endpoint</Message></Error><RequestId>rid</RequestId></ErrorResponse>")
        #expect(IAM.service.errorResponse(WireError(code: "X", message: "m"), requestID: "r").bodyString.hasPrefix(#"<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">"#))
    }

    @Test func unservedServiceInEveryProtocol() {
        for p in WireProtocol.allCases {
            let e = p.serviceNotServed("kafka")
            #expect(e.message == "Warden does not serve the `kafka` service on this endpoint")
            let r = p.errorResponse(e, requestID: "rid")
            #expect(r.status == e.httpStatus)
            #expect(r.headers["Content-Type"] == p.contentType)
            #expect(r.bodyString.contains(e.code) || r.headers["x-amzn-ErrorType"] == e.code)
        }
        #expect(CloudTrail.service.errorResponse(WireError(code: "TrailNotFoundException", message: "m"), requestID: "r").headers["Content-Type"]
            == "application/x-amz-json-1.1")
    }

    @Test func malformedBodies() throws {
        #expect(throws: WireError(code: "SerializationException", message: "The request body is not valid JSON: unexpectedEnd at byte 1", httpStatus: 400)) {
            try JSONProtocol.decode(CloudTrail.LookupEventsRequest.self, body: Array("{".utf8))
        }
        do {
            _ = try JSONProtocol.decode(CloudTrail.LookupEventsRequest.self, body: Array("[1]".utf8))
            Issue.record("expected a failure")
        } catch {
            #expect(error.code == "ValidationException")
            #expect(error.message == "1 validation error detected: The request body must be a JSON object, not `[1]`")
        }
        #expect(throws: WireError.self) { try JSONProtocol.parseBody(Array("{} {}".utf8)) }
        #expect(try JSONProtocol.parseBody(Array(" \n".utf8)) == .object([]))
    }

    @Test func restRouting() throws {
        func op(_ name: String, _ method: String, _ uri: String) -> OperationDescriptor {
            OperationDescriptor(name: name, inputShape: nil, outputShape: nil, resultWrapper: nil, errors: [], isPaginated: false,
                                documentation: "", httpMethod: method, requestURI: uri)
        }
        func router(_ ops: [OperationDescriptor]) -> RESTRouter {
            RESTRouter(operations: Dictionary(uniqueKeysWithValues: ops.map { ($0.name, $0) }))
        }
        let getAnalyzer = op("GetAnalyzer", "GET", "/analyzer/{analyzerName}")
        let analyzer = router([
            op("ListAnalyzers", "GET", "/analyzer"),
            getAnalyzer,
            op("GetArchiveRule", "GET", "/analyzer/{analyzerName}/archive-rule/{ruleName}"),
            op("GetFindingsStatistics", "POST", "/analyzer/findings/statistics"),
            op("UpdateAnalyzer", "PUT", "/analyzer/{analyzerName}"),
            op("ListFindings", "POST", "/finding"),
        ])
        #expect(analyzer.match(method: "GET", path: "/analyzer")?.operation.name == "ListAnalyzers")
        #expect(analyzer.match(method: "GET", path: "/analyzer/my%20analyzer") == RESTRouter.Match(operation: getAnalyzer, labels: ["analyzerName": "my analyzer"]))
        #expect(analyzer.match(method: "PUT", path: "/analyzer/a")?.operation.name == "UpdateAnalyzer")
        #expect(analyzer.match(method: "GET", path: "/analyzer/a/archive-rule/r1")?.labels == ["analyzerName": "a", "ruleName": "r1"])
        // A literal segment beats a label in the same place.
        #expect(analyzer.match(method: "POST", path: "/analyzer/findings/statistics")?.operation.name == "GetFindingsStatistics")
        #expect(analyzer.match(method: "DELETE", path: "/analyzer/a") == nil)
        #expect(analyzer.match(method: "GET", path: "/analyzer/a/archive-rule") == nil)
        #expect(analyzer.match(method: "GET", path: "/analyzer/") == nil)
        #expect(analyzer.match(method: "POST", path: "/finding")?.operation.name == "ListFindings")
        #expect(analyzer.match(method: "POST", path: "/findings") == nil)

        let s3 = router([
            op("GetObject", "GET", "/{Bucket}/{Key+}"),
            op("ListMultipartUploads", "GET", "/{Bucket}?uploads"),
            op("ListBuckets", "GET", "/"),
            op("ListObjectsV2", "GET", "/{Bucket}?list-type=2"),
            op("ListObjects", "GET", "/{Bucket}"),
        ])
        #expect(s3.match(method: "GET", path: "/bucket/a/b%2Fc/d.txt")?.labels == ["Bucket": "bucket", "Key": "a/b/c/d.txt"])
        #expect(s3.match(method: "GET", path: "/bucket", query: ["uploads": [""]])?.operation.name == "ListMultipartUploads")
        #expect(s3.match(method: "GET", path: "/bucket", query: ["list-type": ["2"]])?.operation.name == "ListObjectsV2")
        #expect(s3.match(method: "GET", path: "/bucket", query: ["list-type": ["1"]])?.operation.name == "ListObjects")
        #expect(s3.match(method: "GET", path: "/")?.operation.name == "ListBuckets")
        #expect(s3.match(method: "GET", path: "")?.operation.name == "ListBuckets")
    }

    @Test func httpBindings() throws {
        let b = HTTPBindings(labels: ["thingName": "t1"], query: ["maxResults": ["5"], "verbose": ["true"], "kind": ["a", "b"]],
                             headers: ["X-THING-VERSION": "3"], body: ["note": "hi"])
        #expect(try RESTJSONProtocol.decode(GetThingRequest.self, b)
            == GetThingRequest(thingName: "t1", maxResults: 5, verbose: true, kinds: ["a", "b"], version: 3, note: "hi"))
        let bad = HTTPBindings(query: ["maxResults": ["500"], "verbose": ["yes"]], headers: ["x-thing-version": "three"])
        do {
            _ = try RESTJSONProtocol.decode(GetThingRequest.self, bad)
            Issue.record("expected a failure")
        } catch {
            #expect(error.code == "ValidationException")
            #expect(error.message == "4 validation errors detected: "
                + "Value null at 'thingName' failed to satisfy constraint: Member must not be null; "
                + "Value '500' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100; "
                + "Value 'yes' at 'verbose' failed to satisfy constraint: Member must be a boolean (true or false); "
                + "Value 'three' at 'version' failed to satisfy constraint: Member must be an integer")
        }
        let ok = RESTJSONProtocol.success(CloudTrailSamples.lookupEvents, status: 201, requestID: "rid")
        #expect(ok.status == 201 && ok.headers["Content-Type"] == "application/json")
        #expect(ok.bodyString == CloudTrailSamples.lookupEventsJSON)
    }
}
