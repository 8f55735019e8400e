import Foundation
import Testing
import WardenCore
import WardenWire
@testable import WardenService

@Suite struct AuthorizationMessageTests {
    static func message() -> AuthorizationMessage {
        AuthorizationMessage(
            allowed: false, explicitDeny: true,
            matchedStatements: [.init(statementId: "DenyAll", effect: "DENY", actions: ["iam:*"], resources: ["*"])],
            failures: [],
            context: .init(principal: .init(id: "AIDAEXAMPLE", name: "bob", arn: "arn:aws:iam::123456789012:user/bob"),
                           action: "iam:CreateUser", resource: "arn:aws:iam::123456789012:user/x",
                           conditions: [.init(key: "aws:SourceIp", values: ["127.0.0.1"])]))
    }

    @Test func decodesForTheAccountThatEncodedIt() async throws {
        let h = try ServiceHarness()
        let encoded = h.service.encodeAuthorizationMessage(Self.message(), account: ServiceHarness.account)
        let r = await h.call("DecodeAuthorizationMessage", ["EncodedMessage": encoded], api: .sts)
        #expect(r.status == 200)
        let decoded = try #require(xmlValue(r.body, "DecodedMessage"))
        let json = decoded.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
        let parsed = try JSONDecoder().decode(AuthorizationMessage.self, from: Data(json.utf8))
        #expect(parsed == Self.message())
        #expect(json.contains(#""matchedStatements":{"items":[{"#))
    }

    @Test func refusesForeignAlteredAndInventedMessages() async throws {
        let h = try ServiceHarness()
        let foreign = h.service.encodeAuthorizationMessage(Self.message(), account: "999999999999")
        var altered = Array(h.service.encodeAuthorizationMessage(Self.message(), account: ServiceHarness.account).utf8)
        altered[altered.count / 2] = altered[altered.count / 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        for m in [foreign, String(decoding: altered, as: UTF8.self), "not-a-message", JWT.base64URLEncode(Array("{}".utf8))] {
            let r = await h.call("DecodeAuthorizationMessage", ["EncodedMessage": m], api: .sts)
            #expect(r.status == 400)
            #expect(r.body.contains("InvalidAuthorizationMessageException"))
        }
    }
}
