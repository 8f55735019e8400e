import Foundation
import Testing
import WardenService
import WardenStore

/// The role and account checks: each fails on one account state and passes on another.
@Suite struct SecurityCheckRoleAccountTests {
    /// The ARN of role `partner`.
    let partner = SecurityFixture.arn("role", "partner")
    /// The ARN of role `lambda-exec`.
    let lambda = SecurityFixture.arn("role", "lambda-exec")

    /// A trust policy letting Lambda assume the role, under a condition if given.
    func lambdaTrust(_ condition: String? = nil) -> String { SecurityFixture.trust(#"{"Service":"lambda.amazonaws.com"}"#, condition: condition) }

    /// `trust-any-principal`: trusting everyone without a condition fails.
    @Test func trustAnyPrincipal() throws {
        var f = SecurityFixture()
        f.role("partner", trust: SecurityFixture.trust(#"{"AWS":"*"}"#, condition: #"{"StringEquals":{"aws:PrincipalOrgID":"o-abcdefghij"}}"#))
        try f.expectPass("trust-any-principal")
        f.role("partner", trust: SecurityFixture.trust(#""*""#))
        try f.expectFail("trust-any-principal", on: partner)
        f.role("partner", trust: SecurityFixture.trust(#"{"AWS":"*"}"#))
        try f.expectFail("trust-any-principal", on: partner)
    }

    /// `trust-cross-account-conditions`: another account without an external id or MFA condition fails.
    @Test func trustCrossAccountConditions() throws {
        var f = SecurityFixture()
        f.role("partner", trust: SecurityFixture.trust(#"{"AWS":"arn:aws:iam::210987654321:root"}"#))
        try f.expectFail("trust-cross-account-conditions", on: partner)
        f.role("partner", trust: SecurityFixture.trust(#"{"AWS":"210987654321"}"#, condition: #"{"StringEquals":{"sts:ExternalId":"shared-secret"}}"#))
        try f.expectPass("trust-cross-account-conditions")
        f.role("partner", trust: SecurityFixture.trust(#"{"AWS":"arn:aws:iam::210987654321:user/ops"}"#, condition: #"{"Bool":{"aws:MultiFactorAuthPresent":"true"}}"#))
        try f.expectPass("trust-cross-account-conditions")
        // The same account, and a unique id left by a deleted principal, are not other accounts.
        f.role("partner", trust: SecurityFixture.trust(#"{"AWS":["arn:aws:iam::123456789012:root","AIDAGONE1234567890"]}"#))
        try f.expectPass("trust-cross-account-conditions")
    }

    /// `confused-deputy-prevention`: a service trusted without a source condition fails; service-linked roles are exempt.
    @Test func confusedDeputyPrevention() throws {
        var f = SecurityFixture()
        f.role("lambda-exec", trust: lambdaTrust())
        try f.expectFail("confused-deputy-prevention", on: lambda)
        f.role("lambda-exec", trust: lambdaTrust(#"{"StringEquals":{"aws:SourceAccount":"123456789012"}}"#))
        try f.expectPass("confused-deputy-prevention")
        // Service-linked roles are AWS's to write and are not judged.
        f.role("lambda-exec", trust: lambdaTrust()) {
            $0.path = "/aws-service-role/lambda.amazonaws.com/"
            $0.serviceLinkedService = "lambda.amazonaws.com"
        }
        try f.expectPass("confused-deputy-prevention")
    }

    /// `service-trust-source-account`: conditions that pin no source fail; accounts, ARNs and organizations pass.
    @Test func serviceTrustSourceAccount() throws {
        var f = SecurityFixture()
        // A condition that pins nothing (a prefix of an account) fails.
        f.role("lambda-exec", trust: lambdaTrust(#"{"StringLike":{"aws:SourceAccount":"1234*"}}"#))
        try f.expectFail("service-trust-source-account", on: lambda)
        f.role("lambda-exec", trust: lambdaTrust(#"{"ArnLike":{"aws:SourceArn":"arn:aws:lambda:us-east-1:123456789012:function:*"}}"#))
        try f.expectPass("service-trust-source-account")
        // `…IfExists` holds when the key is absent: only with a `Null: false` test does it pin.
        f.role("lambda-exec", trust: lambdaTrust(#"{"StringEqualsIfExists":{"aws:SourceAccount":"123456789012"},"StringEquals":{"aws:SourceVpc":"vpc-1"}}"#))
        try f.expectFail("service-trust-source-account", on: lambda)
        f.role("lambda-exec", trust: lambdaTrust(#"{"StringEqualsIfExists":{"aws:SourceAccount":"123456789012"},"Null":{"aws:SourceAccount":"false"}}"#))
        try f.expectPass("service-trust-source-account")
        // An organization pins the source too.
        f.role("lambda-exec", trust: lambdaTrust(#"{"StringEquals":{"aws:SourceOrgID":"o-abcdefghij"}}"#))
        try f.expectPass("service-trust-source-account")
    }

    /// `cross-account-readonly`: `ReadOnlyAccess` on a role another account trusts fails.
    @Test func crossAccountReadOnly() throws {
        var f = SecurityFixture()
        f.role("partner", trust: SecurityFixture.trust(#"{"AWS":"arn:aws:iam::123456789012:root"}"#)) { $0.attachedPolicies = ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }
        try f.expectPass("cross-account-readonly")
        f.role("partner", trust: SecurityFixture.trust(#"{"AWS":"arn:aws:iam::210987654321:root"}"#)) { $0.attachedPolicies = ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }
        try f.expectFail("cross-account-readonly", on: partner)
    }

    /// `support-role` and `security-audit-role`: fail until a role has the policy attached.
    @Test func supportAndSecurityAuditRoles() throws {
        var f = SecurityFixture()
        f.role("support")
        f.role("audit")
        try f.expectFail("support-role", on: SecurityFixture.root)
        try f.expectFail("security-audit-role", on: SecurityFixture.root)
        f.state.roles["support"]?.attachedPolicies = ["arn:aws:iam::aws:policy/AWSSupportAccess"]
        f.state.roles["audit"]?.attachedPolicies = ["arn:aws:iam::aws:policy/SecurityAudit"]
        try f.expectPass("support-role")
        try f.expectPass("security-audit-role")
    }

    /// `expired-server-certificates`: an expired certificate fails.
    @Test func expiredServerCertificates() throws {
        var f = SecurityFixture()
        let arn = "arn:aws:iam::123456789012:server-certificate/web"
        func certificate(expiring days: Double) -> ServerCertificateRecord {
            ServerCertificateRecord(id: "ASCAWEB", name: "web", path: "/", arn: arn, body: "", chain: nil, encryptedPrivateKey: [],
                                    uploadDate: SecurityFixture.daysAgo(400), expiration: SecurityFixture.daysAgo(-days))
        }
        f.state.serverCertificates["web"] = certificate(expiring: 30)
        try f.expectPass("expired-server-certificates")
        f.state.serverCertificates["web"] = certificate(expiring: -2)
        try f.expectFail("expired-server-certificates", on: arn)
    }

    /// `saml-providers`: an account without a SAML provider fails.
    @Test func samlProviders() throws {
        var f = SecurityFixture()
        try f.expectFail("saml-providers", on: SecurityFixture.root)
        let arn = "arn:aws:iam::123456789012:saml-provider/corp"
        f.state.samlProviders[arn] = SAMLProviderRecord(arn: arn, name: "corp", metadataDocument: "<md/>", createDate: SecurityFixture.daysAgo(10),
                                                        validUntil: SecurityFixture.daysAgo(-300))
        try f.expectPass("saml-providers")
    }

    /// Warden has no AWS Organizations, so this check can neither fail nor pass: it always says why, as INFO.
    @Test func rootCredentialsManagement() throws {
        let result = try SecurityFixture().run("root-credentials-management")
        #expect(result.status == .info)
        #expect(result.findings.map(\.resource) == [SecurityFixture.root])
    }
}
