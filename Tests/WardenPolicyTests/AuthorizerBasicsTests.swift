import Testing
@testable import WardenPolicy

/// Hand-written checks of the combining rules and the denial messages the service relies on.
@Suite struct AuthorizerBasicsTests {
    static let bob = "arn:aws:iam::123456789012:user/bob"
    static let carol = "arn:aws:iam::123456789012:user/carol"

    func policy(_ json: String, _ kind: PolicyKind = .identity, id: String = "p") throws -> CompiledPolicy {
        try CompiledPolicy(json: json, kind: kind, id: id)
    }

    @Test func implicitDenyMessage() throws {
        let p = try policy(#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:Get*","Resource":"*"}}"#)
        let r = AuthorizationRequest(principalARN: Self.bob, action: "iam:CreateUser", resourceARN: Self.carol)
        let d = Authorizer.evaluate(r, policies: PolicySet(identity: [p]))
        #expect(d.effect == .implicitDeny)
        #expect(d.denialMessage == "User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/carol because no identity-based policy allows the iam:CreateUser action")
    }

    @Test func explicitDenyMessage() throws {
        let p = try policy(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"No","Effect":"Deny","Action":"iam:CreateUser","Resource":"*"}]}"#)
        let r = AuthorizationRequest(principalARN: Self.bob, action: "iam:CreateUser", resourceARN: Self.carol)
        let d = Authorizer.evaluate(r, policies: PolicySet(identity: [p]))
        #expect(d.effect == .explicitDeny)
        #expect(d.denialMessage.hasSuffix("with an explicit deny in an identity-based policy"))
        #expect(d.matchedStatements.map(\.sid) == ["No"])
    }

    @Test func boundaryMessage() throws {
        let p = try policy(#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#)
        let b = try policy(#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#, .boundary)
        let r = AuthorizationRequest(principalARN: Self.bob, action: "iam:CreateUser", resourceARN: Self.carol)
        let d = Authorizer.evaluate(r, policies: PolicySet(identity: [p], boundary: [b]))
        #expect(d.effect == .implicitDeny)
        #expect(d.reason == .permissionsBoundary)
        #expect(d.denialMessage.contains("permissions boundary"))
        #expect(d.denialMessage.hasSuffix("because no permissions boundary allows the iam:CreateUser action"))
    }

    @Test func getCallerIdentityAlwaysAllowed() throws {
        let p = try policy(#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}"#)
        let r = AuthorizationRequest(principalARN: Self.bob, action: "sts:GetCallerIdentity", resourceARN: "*")
        #expect(Authorizer.evaluate(r, policies: PolicySet(identity: [p])).isAllowed)
    }

    @Test func rootAllowedUnlessSCPDenies() throws {
        let root = "arn:aws:iam::123456789012:root"
        let r = AuthorizationRequest(principalARN: root, action: "iam:CreateUser", resourceARN: Self.carol)
        #expect(Authorizer.evaluate(r, policies: PolicySet()).isAllowed)
        let scp = try policy(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}"#, .serviceControl)
        let d = Authorizer.evaluate(r, policies: PolicySet(serviceControl: [[scp]]))
        #expect(d.effect == .explicitDeny)
        #expect(d.denialMessage.hasSuffix("with an explicit deny in a service control policy"))
    }
}
