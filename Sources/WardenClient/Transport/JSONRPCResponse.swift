import WardenWire

/// Reading a JSON 1.1 response as botocore does: a 2xx body is the output shape as a JSON object (empty means
/// `{}`); any other status is an error whose code is `__type` (after any `namespace#`) or the
/// `x-amzn-ErrorType` header (before any `:`), and whose message is `message` or `Message`.
public enum JSONRPCResponse {
    /// The most of a non-JSON error body quoted in a message.
    static let quotedBodyLimit = 200

    /// The output object of a success, or the error the response carries.
    public static func decode(status: Int, headers: [(name: String, value: String)], body: [UInt8]) throws(WardenClientError) -> WireJSON {
        if (200..<300).contains(status) {
            if body.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return .object([]) }
            let json: WireJSON
            do {
                json = try WireJSON(parsing: body)
            } catch {
                throw .malformed("The response body is not JSON (\(error)).", status: status)
            }
            guard case .object = json else { throw .malformed("The response body is not a JSON object.", status: status) }
            return json
        }
        throw error(status: status, headers: headers, body: body)
    }

    /// The error of a non-2xx response.
    public static func error(status: Int, headers: [(name: String, value: String)], body: [UInt8]) -> WardenClientError {
        let json = try? WireJSON(parsing: body)
        var code = json?["__type"]?.stringValue.flatMap(nonEmpty)
        if let c = code, let hash = c.lastIndex(of: "#") { code = String(c[c.index(after: hash)...]) }
        if code == nil, let header = headers.first(where: { $0.name.lowercased() == "x-amzn-errortype" })?.value {
            code = nonEmpty(String(header.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""))
        }
        let message = json?["message"]?.stringValue ?? json?["Message"]?.stringValue
        if let code {
            return WardenClientError(kind: .service, code: code, message: message ?? "", httpStatus: status)
        }
        // Not an AWS error: a proxy's page, or a server that is not Warden. Quote the start of it.
        let text = String(decoding: body.prefix(quotedBodyLimit), as: UTF8.self)
            .split(whereSeparator: \.isNewline).joined(separator: " ")
        return WardenClientError(kind: .service, code: "HTTP\(status)",
                                 message: message ?? (text.isEmpty ? "The server answered with HTTP status \(status)." : text),
                                 httpStatus: status)
    }
}
