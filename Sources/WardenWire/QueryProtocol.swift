/// The AWS Query protocol response envelopes.
public enum QueryProtocol {
    /// A success response:
    /// `<{Op}Response xmlns=NS><{Op}Result>…</{Op}Result><ResponseMetadata><RequestId>ID</RequestId></ResponseMetadata></{Op}Response>`.
    /// Without a result (operations with no output shape) the `Result` element is omitted.
    public static func success(operation: String, namespace: String, result: (any XMLEncodable)?, requestID: String) -> String {
        successWriter(operation: operation, namespace: namespace, result: result, requestID: requestID).string
    }

    /// The success response as UTF-8 bytes (saves a copy when the server writes bytes).
    public static func successBytes(operation: String, namespace: String, result: (any XMLEncodable)?, requestID: String) -> [UInt8] {
        successWriter(operation: operation, namespace: namespace, result: result, requestID: requestID).bytes
    }

    /// The error response:
    /// `<ErrorResponse xmlns=NS><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error><RequestId>…</RequestId></ErrorResponse>`.
    public static func error(_ error: WireError, namespace: String, requestID: String) -> String {
        errorWriter(error, namespace: namespace, requestID: requestID).string
    }

    /// The error response as UTF-8 bytes; without a namespace (a service Warden does not serve) the `xmlns`
    /// attribute is left out.
    public static func errorBytes(_ error: WireError, namespace: String?, requestID: String) -> [UInt8] {
        errorWriter(error, namespace: namespace, requestID: requestID).bytes
    }

    private static func errorWriter(_ error: WireError, namespace: String?, requestID: String) -> XMLWriter {
        var w = XMLWriter(capacity: 256 + error.message.utf8.count)
        if let namespace { w.open("ErrorResponse", attributes: ["xmlns": namespace]) } else { w.open("ErrorResponse") }
        w.open("Error")
        w.element("Type", error.isSender ? "Sender" : "Receiver")
        w.element("Code", error.code)
        w.element("Message", error.message)
        w.close("Error")
        w.element("RequestId", requestID)
        w.close("ErrorResponse")
        return w
    }

    private static func successWriter(operation: String, namespace: String, result: (any XMLEncodable)?, requestID: String) -> XMLWriter {
        var w = XMLWriter(capacity: 1024)
        let response = operation + "Response"
        w.open(response, attributes: ["xmlns": namespace])
        if let result {
            let wrapper = operation + "Result"
            w.open(wrapper)
            result.encodeXML(to: &w)
            w.close(wrapper)
        }
        w.open("ResponseMetadata")
        w.element("RequestId", requestID)
        w.close("ResponseMetadata")
        w.close(response)
        return w
    }
}
