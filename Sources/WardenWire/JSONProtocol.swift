/// The AWS JSON RPC protocol (`json` in botocore; version 1.1 for CloudTrail and Organizations): every request is
/// `POST /` with `X-Amz-Target: <targetPrefix>.<Operation>` and a JSON body; responses are the output shape as
/// JSON, errors `{"__type":"Code","message":"…"}` with the error's status.
public enum JSONProtocol {
    /// The content type of JSON 1.1 requests and responses.
    public static let contentType = "application/x-amz-json-1.1"

    /// The content type of a JSON RPC version (`1.0` or `1.1`).
    public static func contentType(version: String) -> String {
        "application/x-amz-json-" + version
    }

    /// The operation named by an `X-Amz-Target` header, when its prefix is the service's `targetPrefix`
    /// (`com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents` → `LookupEvents`). The last dotted
    /// part of the prefix alone is accepted too (`CloudTrail_20131101.LookupEvents`), as older clients send it.
    /// Nil when the prefix differs or the operation name is empty or not alphanumeric.
    public static func operation(target: String, prefix: String) -> String? {
        guard let dot = target.lastIndex(of: ".") else { return nil }
        let head = target[..<dot]
        let name = target[target.index(after: dot)...]
        guard !name.isEmpty, name.utf8.allSatisfy({ b in
            (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
        }) else { return nil }
        if head == prefix { return String(name) }
        if let lastDot = prefix.lastIndex(of: "."), head == prefix[prefix.index(after: lastDot)...] {
            return String(name)
        }
        return nil
    }

    /// Parses a request body; an empty body counts as `{}` (botocore always sends at least that).
    /// Malformed JSON is `SerializationException` (400). The caller bounds `body`'s size before reading it.
    public static func parseBody(_ body: [UInt8]) throws(WireError) -> WireJSON {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return .object([]) }
        do {
            return try WireJSON(parsing: body)
        } catch {
            throw WireProtocol.serializationError(error)
        }
    }

    /// Parses and decodes a request body into an input shape: `SerializationException` for malformed JSON,
    /// `ValidationException` listing every violation otherwise.
    public static func decode<Input: JSONDecodable>(_ type: Input.Type, body: [UInt8]) throws(WireError) -> Input {
        let json = try parseBody(body)
        do {
            return try Input(json: json)
        } catch {
            throw error.wireError(for: .json)
        }
    }

    /// A success response: 200, the output shape's JSON, or `{}` for operations without output.
    public static func success(_ output: (any JSONEncodable)?, requestID: String, jsonVersion: String = "1.1") -> WireResponse {
        let body = output?.encodeJSON().jsonBytes ?? Array("{}".utf8)
        return WireResponse(status: 200, headers: ["Content-Type": contentType(version: jsonVersion), "x-amzn-RequestId": requestID],
                            body: body)
    }

    /// An error response: the error's status and `{"__type":"Code","message":"…"}`.
    public static func error(_ error: WireError, requestID: String, jsonVersion: String = "1.1") -> WireResponse {
        let body: WireJSON = ["__type": .string(error.code), "message": .string(error.message)]
        return WireResponse(status: error.httpStatus, headers: ["Content-Type": contentType(version: jsonVersion), "x-amzn-RequestId": requestID],
                            body: body.jsonBytes)
    }
}

/// The AWS REST-JSON protocol (Access Analyzer): operations routed by method and URI template (`RESTRouter`), input
/// members bound to the path, query string and headers (`HTTPBindings`) or read from the JSON body; errors carry
/// their code in `x-amzn-ErrorType`.
public enum RESTJSONProtocol {
    /// The content type of REST-JSON bodies.
    public static let contentType = "application/json"

    /// Decodes an input shape from the request's bindings: `ValidationException` listing every violation.
    public static func decode<Input: HTTPBindingDecodable>(_ type: Input.Type, _ bindings: HTTPBindings) throws(WireError) -> Input {
        do {
            return try Input(http: bindings)
        } catch {
            throw error.wireError(for: .restJSON)
        }
    }

    /// A success response with the operation's status (`OperationDescriptor.successStatus`) and the output's JSON
    /// (`{}` without output).
    public static func success(_ output: (any JSONEncodable)?, status: Int = 200, requestID: String) -> WireResponse {
        let body = output?.encodeJSON().jsonBytes ?? Array("{}".utf8)
        return WireResponse(status: status, headers: ["Content-Type": contentType, "x-amzn-RequestId": requestID], body: body)
    }

    /// An error response: the error's status, `x-amzn-ErrorType: Code`, body `{"message":"…"}`.
    public static func error(_ error: WireError, requestID: String) -> WireResponse {
        let body: WireJSON = ["message": .string(error.message)]
        return WireResponse(status: error.httpStatus,
                            headers: ["Content-Type": contentType, "x-amzn-RequestId": requestID, "x-amzn-ErrorType": error.code],
                            body: body.jsonBytes)
    }
}
