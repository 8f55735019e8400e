import Foundation
import Testing
@testable import WardenWire

private struct Sample: XMLEncodable {
    var name: String
    func encodeXML(to writer: inout XMLWriter) { writer.element("Name", name) }
}

@Suite("Envelopes and scalars")
struct EnvelopeTests {
    @Test func successWithResult() {
        let xml = QueryProtocol.success(operation: "GetThing", namespace: "https://iam.amazonaws.com/doc/2010-05-08/",
                                        result: Sample(name: "a&b"), requestID: "rid-1")
        #expect(xml == #"<GetThingResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetThingResult><Name>a&amp;b</Name></GetThingResult><ResponseMetadata><RequestId>rid-1</RequestId></ResponseMetadata></GetThingResponse>"#)
    }

    @Test func successWithoutResult() {
        let xml = QueryProtocol.success(operation: "DeleteUser", namespace: "ns", result: nil, requestID: "r")
        #expect(xml == #"<DeleteUserResponse xmlns="ns"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteUserResponse>"#)
    }

    @Test func errorEnvelope() {
        let e = WireError(code: "NoSuchEntity", message: "The user with name <bob> cannot be found.", httpStatus: 404, isSender: true)
        let xml = QueryProtocol.error(e, namespace: "ns", requestID: "r")
        #expect(xml == #"<ErrorResponse xmlns="ns"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The user with name &lt;bob&gt; cannot be found.</Message></Error><RequestId>r</RequestId></ErrorResponse>"#)
        let r = QueryProtocol.error(WireError(code: "ServiceFailure", message: "x", httpStatus: 500, isSender: false), namespace: "ns", requestID: "r")
        #expect(r.contains("<Type>Receiver</Type>"))
    }

    @Test func xmlEscaping() {
        var w = XMLWriter()
        w.element("T", "<a href=\"x\">&amp;</a>\r\n\t\u{01}é")
        #expect(w.string == "<T>&lt;a href=&quot;x&quot;&gt;&amp;amp;&lt;/a&gt;&#xD;\n\t\u{FFFD}é</T>")
        var a = XMLWriter()
        a.open("R", attributes: ["xmlns": "a\"b"])
        a.close("R")
        #expect(a.string == "<R xmlns=\"a&quot;b\"></R>")
    }

    @Test func writerHelpers() {
        var w = XMLWriter()
        w.element("I", 42)
        w.element("B", true)
        w.list("L", ["x", "y"]) { w, e in w.element("member", e) }
        w.map("M", ["b": 2, "a": 1]) { w, v in w.text(String(v)) }
        #expect(w.string == "<I>42</I><B>true</B><L><member>x</member><member>y</member></L><M><entry><key>a</key><value>1</value></entry><entry><key>b</key><value>2</value></entry></M>")
    }

    @Test func timestamps() {
        #expect(WireFormat.timestamp(Date(timeIntervalSince1970: 1_704_164_645)) == "2024-01-02T03:04:05Z")
        #expect(WireFormat.timestamp(Date(timeIntervalSince1970: 0.9)) == "1970-01-01T00:00:00Z")
        #expect(WireFormat.timestamp(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
        #expect(WireFormat.timestamp(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
        #expect(WireFormat.parseTimestamp("2024-01-02T03:04:05Z") == Date(timeIntervalSince1970: 1_704_164_645))
        #expect(WireFormat.parseTimestamp("2024-01-02T03:04:05.5Z") == Date(timeIntervalSince1970: 1_704_164_645.5))
        #expect(WireFormat.parseTimestamp("2024-01-02T05:04:05+02:00") == Date(timeIntervalSince1970: 1_704_164_645))
        #expect(WireFormat.parseTimestamp("2024-01-02T03:04:05") == Date(timeIntervalSince1970: 1_704_164_645))
        #expect(WireFormat.parseTimestamp("2024-01-02") == Date(timeIntervalSince1970: 1_704_153_600))
        #expect(WireFormat.parseTimestamp("1704164645") == Date(timeIntervalSince1970: 1_704_164_645))
        #expect(WireFormat.parseTimestamp("yesterday") == nil)
        #expect(WireFormat.parseTimestamp("2024-13-02T03:04:05Z") == nil)
        #expect(WireFormat.parseTimestamp("2024-01-02T03:04:05Zjunk") == nil)
    }

    @Test func percentEncoding() {
        let doc = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/k ~x+é"}]}"#
        let enc = WireFormat.percentEncode(doc)
        #expect(enc.hasPrefix("%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B"))
        #expect(enc.contains("s3%3A%2A"))
        #expect(enc.contains("b%2Fk%20~x%2B%C3%A9"))
        #expect(WireFormat.percentDecode(enc) == doc)
    }

    @Test func base64() {
        #expect(WireFormat.base64(Array("hello".utf8)) == "aGVsbG8=")
        #expect(WireFormat.decodeBase64("aGVsbG8=") == Array("hello".utf8))
        #expect(WireFormat.decodeBase64("aGVsbG8") == Array("hello".utf8))
        #expect(WireFormat.decodeBase64("!!!") == nil)
    }

    @Test func validationMessage() {
        let one = ValidationFailure(messages: [ValidationFailure.violation(value: "bad name", at: "userName",
            constraint: #"Member must satisfy regular expression pattern: [\w+=,.@-]+"#)])
        #expect(one.message == #"1 validation error detected: Value 'bad name' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+"#)
        let two = ValidationFailure(messages: [
            ValidationFailure.violation(value: nil, at: "userName", constraint: "Member must not be null"),
            ValidationFailure.violation(value: "x", at: "path", constraint: "Member must have length less than or equal to 512"),
        ])
        #expect(two.message == "2 validation errors detected: Value null at 'userName' failed to satisfy constraint: Member must not be null; Value 'x' at 'path' failed to satisfy constraint: Member must have length less than or equal to 512")
        #expect(two.wireError.code == "ValidationError")
        #expect(two.wireError.httpStatus == 400)
    }
}
