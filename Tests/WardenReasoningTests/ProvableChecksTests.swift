import Testing
import WardenReasoning

/// A policy document from statement JSON fragments.
func doc(_ statements: String...) -> String {
    #"{"Version":"2012-10-17","Statement":["# + statements.joined(separator: ",") + "]}"
}

func noNew(_ old: String, _ new: String, _ type: PolicyCheckType = .identityPolicy) throws -> CheckResult {
    try ProvableChecks.checkNoNewAccess(existing: old, new: new, type: type)
}

@Suite struct CheckNoNewAccessTests {
    let old = doc(#"{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::data/*"}"#)

    @Test func narrowerPassesWiderFails() throws {
        #expect(try noNew(old, doc(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/reports/*"}"#)).passed)
        let wider = try noNew(old, doc(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data*"}"#))
        #expect(!wider.passed)
        #expect(wider.reasons.first?.statementIndex == 0)
        #expect(wider.result == "FAIL")
    }

    @Test func denyWithNotResourceCutsTheNewPartAway() throws {
        let cut = doc(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data*"}"#,
                      #"{"Effect":"Deny","Action":"*","NotResource":"arn:aws:s3:::data/*"}"#)
        #expect(try noNew(old, cut).passed)
    }

    @Test func actionsMatchIgnoringCaseResourcesDoNot() throws {
        #expect(try noNew(old, doc(#"{"Effect":"Allow","Action":"S3:GETOBJECT","Resource":"arn:aws:s3:::data/x"}"#)).passed)
        // The resource part is case-sensitive: DATA is another bucket.
        #expect(try !noNew(old, doc(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::DATA/x"}"#)).passed)
        // The service segment is not.
        #expect(try noNew(old, doc(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:S3:::data/x"}"#)).passed)
    }

    @Test func questionMarkIsOneCharacterAndStarStaysInItsSegment() throws {
        let one = doc(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/?"}"#)
        #expect(try noNew(old, one).passed)
        #expect(try !noNew(one, old).passed)
        // A `*` in the account segment cannot span colons, so it stays within s3 ARNs.
        let anyAccount = doc(#"{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:1*:q*"}"#)
        let s3Only = doc(#"{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:*:*"}"#)
        #expect(try noNew(s3Only, anyAccount).passed)
        #expect(try !noNew(anyAccount, s3Only).passed)
    }

    @Test func notActionAndNotResource() throws {
        let all = doc(#"{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}"#)
        #expect(try noNew(all, doc(#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#)).passed)
        #expect(try !noNew(all, doc(#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}"#)).passed)
        let notSecret = doc(#"{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::secret/*"}"#)
        #expect(try noNew(notSecret, doc(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::public/*"}"#)).passed)
        #expect(try !noNew(notSecret, doc(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::secret/a"}"#)).passed)
    }

    @Test func ipRanges() throws {
        func ip(_ cidr: String) -> String {
            doc(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"\#(cidr)"}}}"#)
        }
        #expect(try !noNew(ip("10.0.0.0/8"), ip("10.0.0.0/7")).passed)
        #expect(try noNew(ip("10.0.0.0/8"), ip("10.1.0.0/16")).passed)
        #expect(try noNew(ip("2001:db8::/32"), ip("2001:db8:1::/48")).passed)
        #expect(try !noNew(ip("2001:db8::/32"), ip("2001:db9::/32")).passed)
        // IPv4 networks never contain IPv6 addresses, even ::/0 against 0.0.0.0/0.
        #expect(try !noNew(ip("0.0.0.0/0"), ip("::/0")).passed)
        // Dropping the condition is new access.
        #expect(try !noNew(ip("10.0.0.0/8"), doc(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#)).passed)
        // NotIpAddress: outside 10/8 is more than outside 10/7.
        func notIP(_ cidr: String) -> String {
            doc(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"\#(cidr)"}}}"#)
        }
        #expect(try noNew(notIP("10.0.0.0/8"), notIP("10.0.0.0/7")).passed)
        #expect(try !noNew(notIP("10.0.0.0/7"), notIP("10.0.0.0/8")).passed)
    }

    @Test func numbersAndDates() throws {
        func cond(_ op: String, _ key: String, _ v: String) -> String {
            doc(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"\#(op)":{"\#(key)":"\#(v)"}}}"#)
        }
        #expect(try noNew(cond("NumericLessThan", "s3:max-keys", "10"), cond("NumericLessThan", "s3:max-keys", "5")).passed)
        #expect(try !noNew(cond("NumericLessThan", "s3:max-keys", "10"), cond("NumericLessThanEquals", "s3:max-keys", "10")).passed)
        #expect(try noNew(cond("NumericLessThan", "s3:max-keys", "10.5"), cond("NumericLessThanEquals", "s3:max-keys", "10.25")).passed)
        #expect(try noNew(cond("DateLessThan", "aws:CurrentTime", "2030-01-01T00:00:00Z"),
                          cond("DateLessThan", "aws:CurrentTime", "2029-12-31")).passed)
        #expect(try !noNew(cond("DateLessThan", "aws:CurrentTime", "2029-12-31"),
                           cond("DateLessThan", "aws:CurrentTime", "2030-01-01T00:00:00Z")).passed)
    }

    @Test func stringOperatorsIfExistsAndNull() throws {
        func cond(_ c: String) -> String {
            doc(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":\#(c)}"#)
        }
        let team = cond(#"{"StringEquals":{"aws:PrincipalTag/team":"blue"}}"#)
        let teamLike = cond(#"{"StringLike":{"aws:PrincipalTag/team":"bl*"}}"#)
        #expect(try noNew(teamLike, team).passed)
        #expect(try !noNew(team, teamLike).passed)
        // IfExists also allows a missing key.
        #expect(try !noNew(team, cond(#"{"StringEqualsIfExists":{"aws:PrincipalTag/team":"blue"}}"#)).passed)
        #expect(try noNew(cond(#"{"StringEqualsIfExists":{"aws:PrincipalTag/team":"blue"}}"#), team).passed)
        // StringNotEquals matches a missing key; so does Null true, exactly.
        #expect(try noNew(cond(#"{"StringNotEquals":{"aws:PrincipalTag/team":"red"}}"#), cond(#"{"Null":{"aws:PrincipalTag/team":"true"}}"#)).passed)
        #expect(try !noNew(cond(#"{"Null":{"aws:PrincipalTag/team":"true"}}"#), cond(#"{"StringNotEquals":{"aws:PrincipalTag/team":"red"}}"#)).passed)
        // Equal ignoring case is wider than equal.
        #expect(try !noNew(team, cond(#"{"StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"blue"}}"#)).passed)
        #expect(try noNew(cond(#"{"StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"blue"}}"#), team).passed)
        // Bool compares true/false ignoring case.
        #expect(try noNew(cond(#"{"Bool":{"aws:SecureTransport":"true"}}"#), cond(#"{"Bool":{"aws:SecureTransport":"TRUE"}}"#)).passed)
        #expect(try !noNew(cond(#"{"Bool":{"aws:SecureTransport":"true"}}"#), cond(#"{"Bool":{"aws:SecureTransport":"false"}}"#)).passed)
    }

    @Test func setOperators() throws {
        func cond(_ c: String) -> String {
            doc(#"{"Effect":"Allow","Action":"iam:TagUser","Resource":"*","Condition":\#(c)}"#)
        }
        let allAB = cond(#"{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}"#)
        let allA = cond(#"{"ForAllValues:StringEquals":{"aws:TagKeys":["a"]}}"#)
        let anyA = cond(#"{"ForAnyValue:StringEquals":{"aws:TagKeys":["a"]}}"#)
        #expect(try noNew(allAB, allA).passed)
        #expect(try !noNew(allA, allAB).passed)
        // ForAllValues holds for a missing key; ForAnyValue does not.
        #expect(try !noNew(anyA, allA).passed)
        // {a, c} has a value `a` but not every value in {a, b}.
        #expect(try !noNew(allAB, anyA).passed)
        let both = cond(#"{"ForAnyValue:StringEquals":{"aws:TagKeys":["a"]},"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}"#)
        #expect(try noNew(allAB, both).passed)
        #expect(try noNew(anyA, both).passed)
        // Without a qualifier a multivalued key never matches, so StringEquals is narrower than ForAnyValue.
        let plain = cond(#"{"StringEquals":{"aws:TagKeys":"a"}}"#)
        #expect(try noNew(anyA, plain).passed)
        #expect(try !noNew(plain, anyA).passed)
    }

    @Test func policyVariables() throws {
        let own = doc(#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:PrincipalTag/home}/*"}"#)
        let bob = doc(#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/bob/*"}"#)
        #expect(try !noNew(own, bob).passed)  // someone other than bob
        #expect(try !noNew(bob, own).passed)
        #expect(try noNew(own, own).passed)
        let ownPrefix = doc(#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:PrincipalTag/home}*"}"#)
        #expect(try noNew(ownPrefix, own).passed)
        #expect(try !noNew(own, ownPrefix).passed)
        // The legacy version reads `${…}` literally.
        let legacy = #"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:PrincipalTag/home}/*"}]}"#
        #expect(try !noNew(legacy, own).passed)
    }

    @Test func principalKeysAreTiedToThePrincipal() throws {
        let account = doc(#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}}"#)
        let arn = doc(#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:*"}}}"#)
        #expect(try noNew(account, arn).passed)
        let otherArn = doc(#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::444455556666:*"}}}"#)
        #expect(try !noNew(account, otherArn).passed)
    }

    @Test func resourcePoliciesComparePrincipals() throws {
        func trust(_ principal: String) -> String {
            doc(#"{"Effect":"Allow","Action":"sts:AssumeRole","Principal":\#(principal)}"#)
        }
        let account = trust(#"{"AWS":"111122223333"}"#)
        let role = trust(#"{"AWS":"arn:aws:iam::111122223333:role/admin"}"#)
        #expect(try noNew(account, role, .resourcePolicy).passed)
        #expect(try !noNew(role, account, .resourcePolicy).passed)
        #expect(try !noNew(account, trust(#""*""#), .resourcePolicy).passed)
        #expect(try !noNew(account, trust(#"{"Service":"ec2.amazonaws.com"}"#), .resourcePolicy).passed)
    }

    @Test func invalidDocumentsAndLimits() {
        #expect(throws: ReasoningError.self) { try noNew("{", self.old) }
        do {
            _ = try noNew(old, #"{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Action":"*","Resource":"*"}]}"#)
            Issue.record("expected an error")
        } catch let error as ReasoningError {
            #expect(error.code == .invalidPolicy)
            #expect(error.policyError != nil)
        } catch {
            Issue.record("unexpected \(error)")
        }
        var limits = ReasoningLimits.default
        limits.maxStatements = 1
        let two = doc(#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#, #"{"Effect":"Allow","Action":"iam:*","Resource":"*"}"#)
        #expect(throws: ReasoningError.self) { try ProvableChecks.checkNoNewAccess(existing: self.old, new: two, type: .identityPolicy, limits: limits) }
    }
}

@Suite struct CheckAccessNotGrantedTests {
    let p = doc(#"{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}"#)

    @Test func notAction() throws {
        #expect(try ProvableChecks.checkAccessNotGranted(policy: p, type: .identityPolicy, access: [AccessQuery(actions: ["iam:CreateUser"])]).passed)
        let r = try ProvableChecks.checkAccessNotGranted(policy: p, type: .identityPolicy, access: [AccessQuery(actions: ["s3:DeleteBucket"])])
        #expect(!r.passed)
        #expect(r.reasons.map(\.statementIndex) == [0])
    }

    @Test func resourcesAndDenies() throws {
        let q = doc(#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#,
                    #"{"Sid":"NoSecrets","Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::secret/*"}"#)
        #expect(try ProvableChecks.checkAccessNotGranted(policy: q, type: .identityPolicy,
                                                         access: [AccessQuery(resources: ["arn:aws:s3:::secret/key"])]).passed)
        #expect(try !ProvableChecks.checkAccessNotGranted(policy: q, type: .identityPolicy,
                                                          access: [AccessQuery(actions: ["s3:GetObject"], resources: ["arn:aws:s3:::open/key"])]).passed)
        #expect(throws: ReasoningError.self) {
            try ProvableChecks.checkAccessNotGranted(policy: q, type: .identityPolicy, access: [AccessQuery()])
        }
    }
}

@Suite struct CheckNoPublicAccessTests {
    func check(_ statement: String, _ type: String = "AWS::IAM::AssumeRolePolicyDocument") throws -> CheckResult {
        try ProvableChecks.checkNoPublicAccess(policy: doc(statement), resourceType: type)
    }

    @Test func trustPolicies() throws {
        #expect(try !check(#"{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"*"}}"#).passed)
        #expect(try check(#"{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"*"},"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abcdefghij"}}}"#).passed)
        // A wildcard or a negation does not confine the caller.
        #expect(try !check(#"{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"*"},"Condition":{"StringLike":{"aws:PrincipalOrgID":"o-*"}}}"#).passed)
        #expect(try !check(#"{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"*"},"Condition":{"StringNotEquals":{"aws:PrincipalAccount":"111122223333"}}}"#).passed)
        #expect(try check(#"{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"arn:aws:iam::111122223333:root"}}"#).passed)
        #expect(try check(#"{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"ec2.amazonaws.com"}}"#).passed)
        // An unrelated condition does not confine it either.
        #expect(try !check(#"{"Effect":"Allow","Action":"sts:AssumeRole","Principal":"*","Condition":{"StringEquals":{"sts:ExternalId":"x"}}}"#).passed)
    }

    @Test func bucketPolicies() throws {
        #expect(try !check(#"{"Effect":"Allow","Action":"s3:GetObject","Principal":"*","Resource":"arn:aws:s3:::b/*"}"#, "AWS::S3::Bucket").passed)
        #expect(try check(#"{"Effect":"Allow","Action":"s3:GetObject","Principal":"*","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}"#, "AWS::S3::Bucket").passed)
        #expect(throws: ReasoningError.self) { try self.check(#"{"Effect":"Allow","Action":"s3:GetObject","Principal":"*","Resource":"*"}"#, "AWS::Nope") }
    }
}

@Suite struct ExternalAccessTests {
    let account = "111122223333"
    func analyze(_ statement: String, org: String? = nil) throws -> [ExternalAccess] {
        try ExternalAccessAnalysis.analyze(policy: doc(statement), account: account, organizationID: org)
    }

    @Test func anotherAccountIsExternal() throws {
        let f = try analyze(#"{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"arn:aws:iam::444455556666:root"}}"#)
        #expect(f == [ExternalAccess(principal: ["AWS": "arn:aws:iam::444455556666:root"], actions: ["sts:AssumeRole"], condition: [:], isPublic: false)])
    }

    @Test func ownAccountIsNot() throws {
        #expect(try analyze(#"{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"arn:aws:iam::111122223333:root"}}"#).isEmpty)
        #expect(try analyze(#"{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"lambda.amazonaws.com"}}"#).isEmpty)
    }

    @Test func conditionsDecide() throws {
        #expect(try analyze(#"{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"*"},"Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}}"#).isEmpty)
        #expect(try analyze(#"{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"*"},"Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}"#).isEmpty)
        let like = try analyze(#"{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"*"},"Condition":{"StringLike":{"aws:PrincipalAccount":"*"}}}"#)
        #expect(like.count == 1)
        #expect(like.first?.isPublic == true)
        #expect(like.first?.condition == ["aws:PrincipalAccount": "*"])
        let external = try analyze(#"{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Condition":{"StringEquals":{"sts:ExternalId":"abc"}}}"#)
        #expect(external.first?.condition == ["sts:ExternalId": "abc"])
        #expect(external.first?.isPublic == false)
    }

    @Test func organizationIsTheZone() throws {
        let s = #"{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"*"},"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abcdefghij"}}}"#
        #expect(try analyze(s, org: "o-abcdefghij").isEmpty)
        #expect(try analyze(s).count == 1)
    }

    @Test func federatedAndPublic() throws {
        let f = try analyze(#"{"Effect":"Allow","Action":"sts:AssumeRoleWithWebIdentity","Principal":{"Federated":"cognito-identity.amazonaws.com"}}"#)
        #expect(f.map(\.principal) == [["Federated": "cognito-identity.amazonaws.com"]])
        let own = try analyze(#"{"Effect":"Allow","Action":"sts:AssumeRoleWithSAML","Principal":{"Federated":"arn:aws:iam::111122223333:saml-provider/corp"}}"#)
        #expect(own.isEmpty)
        let everyone = try analyze(#"{"Effect":"Allow","Action":"sts:AssumeRole","Principal":"*"}"#)
        #expect(everyone == [ExternalAccess(principal: ["AWS": "*"], actions: ["sts:AssumeRole"], condition: [:], isPublic: true)])
        // A Deny of everything outside the account removes the way in.
        let denied = try ExternalAccessAnalysis.analyze(policy: doc(
            #"{"Effect":"Allow","Action":"sts:AssumeRole","Principal":"*"}"#,
            #"{"Effect":"Deny","Action":"sts:AssumeRole","Principal":"*","Condition":{"StringNotEquals":{"aws:PrincipalAccount":"111122223333"}}}"#),
            account: account, organizationID: nil)
        #expect(denied.isEmpty)
    }
}
