/// The wire protocols of AWS services, as botocore models name them (`metadata.protocol`).
public enum WireProtocol: String, Sendable, CaseIterable {
    /// AWS Query: form-encoded `Action=…` requests, XML responses (IAM, STS).
    case query
    /// JSON RPC: `POST /` with `X-Amz-Target: Prefix.Operation`, JSON bodies (CloudTrail, Organizations).
    case json
    /// REST-JSON: operations routed by method and URI template, JSON bodies (Access Analyzer).
    case restJSON = "rest-json"
    /// REST-XML: operations routed by method and URI template, XML bodies (S3).
    case restXML = "rest-xml"

    /// The `Content-Type` of response bodies (JSON RPC in version 1.1; see `JSONProtocol.contentType(version:)`).
    public var contentType: String {
        switch self {
        case .query: "text/xml"
        case .json: JSONProtocol.contentType
        case .restJSON: RESTJSONProtocol.contentType
        case .restXML: "application/xml"
        }
    }

    /// An error in this protocol's envelope:
    /// - query: `<ErrorResponse xmlns=NS><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error><RequestId>…</RequestId></ErrorResponse>`;
    /// - json: `{"__type":"Code","message":"…"}`;
    /// - rest-json: header `x-amzn-ErrorType: Code`, body `{"message":"…"}`;
    /// - rest-xml: `<Error><Code>…</Code><Message>…</Message><RequestId>…</RequestId></Error>`.
    ///
    /// The status is the error's. Headers carry the content type and the request id (`x-amzn-RequestId`, or
    /// `x-amz-request-id` for rest-xml). `xmlNamespace` is the service's (query), nil for a service Warden does not
    /// serve; `jsonVersion` is the service's JSON RPC version.
    public func errorResponse(_ error: WireError, requestID: String, xmlNamespace: String? = nil, jsonVersion: String = "1.1") -> WireResponse {
        switch self {
        case .query:
            return WireResponse(status: error.httpStatus, headers: ["Content-Type": contentType, "x-amzn-RequestId": requestID],
                                body: QueryProtocol.errorBytes(error, namespace: xmlNamespace, requestID: requestID))
        case .json:
            return JSONProtocol.error(error, requestID: requestID, jsonVersion: jsonVersion)
        case .restJSON:
            return RESTJSONProtocol.error(error, requestID: requestID)
        case .restXML:
            var w = XMLWriter(capacity: 160 + error.message.utf8.count)
            w.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            w.open("Error")
            w.element("Code", error.code)
            w.element("Message", error.message)
            w.element("RequestId", requestID)
            w.close("Error")
            return WireResponse(status: error.httpStatus, headers: ["Content-Type": contentType, "x-amz-request-id": requestID], body: w.bytes)
        }
    }

    /// The error AWS answers, in this protocol, for an operation the service does not have (`name` as the client
    /// sent it, nil when it sent none): `InvalidAction` (query), `UnknownOperationException` (json, 400; rest-json,
    /// 404), `NotImplemented` (rest-xml, 501).
    public func unknownOperation(_ name: String?) -> WireError {
        let shown = name.map { "`\($0)`" } ?? "(none)"
        switch self {
        case .query:
            return WireError(code: "InvalidAction", message: "Could not find operation \(name ?? "(none)")", httpStatus: 400)
        case .json:
            return WireError(code: "UnknownOperationException", message: "Unknown operation \(shown)", httpStatus: 400)
        case .restJSON:
            return WireError(code: "UnknownOperationException", message: "No operation matches \(shown)", httpStatus: 404)
        case .restXML:
            return WireError(code: "NotImplemented", message: "No operation matches \(shown)", httpStatus: 501, isSender: false)
        }
    }

    /// The error for a request to a service Warden does not serve (`signingName` from the SigV4 scope), as the
    /// unknown-operation error of the protocol the request was sent in.
    public func serviceNotServed(_ signingName: String) -> WireError {
        var e = unknownOperation(nil)
        e.message = "Warden does not serve the `\(signingName)` service on this endpoint"
        return e
    }

    /// The error for a body that is not acceptable JSON (json, rest-json): `SerializationException`, 400.
    public static func serializationError(_ error: WireJSON.ParseError) -> WireError {
        WireError(code: "SerializationException", message: "The request body is not valid JSON: \(error)", httpStatus: 400)
    }
}

/// A response ready for the HTTP layer: status, headers and body. The server picks the envelope by the request's
/// protocol (`WireProtocol.errorResponse`, `JSONProtocol.success`, …) and copies this out.
public struct WireResponse: Sendable, Equatable {
    /// The HTTP status.
    public var status: Int
    /// Response headers (content type, request id, `x-amzn-ErrorType` for rest-json errors).
    public var headers: [String: String]
    /// The body, UTF-8.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [String: String], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body as a string.
    public var bodyString: String { String(decoding: body, as: UTF8.self) }
}
