import Foundation
import Testing
@testable import WardenWire

/// Sample responses shared by the golden tests and the botocore cross-check dump.
enum SampleResponses {
    static let created = Date(timeIntervalSince1970: 1_704_164_645)  // 2024-01-02T03:04:05Z
    static let requestID = "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE"
    static let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringLike":{"aws:PrincipalTag/team":"a&b <c> 100% +x"}}}]}"#

    static func user(_ i: Int) -> IAM.User {
        IAM.User(path: "/", userName: "user\(i)", userId: "AIDA\(String(repeating: "X", count: 13))\(1000 + i)",
                 arn: "arn:aws:iam::123456789012:user/user\(i)", createDate: created)
    }

    static let createUser = IAM.CreateUserResponse(user: IAM.User(
        path: "/dev/", userName: "alice", userId: "AIDAJQABLZS4A3QDU576Q", arn: "arn:aws:iam::123456789012:user/dev/alice",
        createDate: created, tags: [IAM.Tag(key: "team", value: "a&b"), IAM.Tag(key: "empty", value: "")]))

    static let listUsers = IAM.ListUsersResponse(users: (1...3).map(user), isTruncated: true, marker: "user3")

    static let getRole = IAM.GetRoleResponse(role: IAM.Role(
        path: "/service/", roleName: "app", roleId: "AROADBQP57FF2AEXAMPLE", arn: "arn:aws:iam::123456789012:role/service/app",
        createDate: created, assumeRolePolicyDocument: trust, description: "Role <for> \"app\" & co",
        maxSessionDuration: 3600, permissionsBoundary: IAM.AttachedPermissionsBoundary(
            permissionsBoundaryType: .permissionsBoundaryPolicy, permissionsBoundaryArn: "arn:aws:iam::aws:policy/PowerUserAccess"),
        roleLastUsed: IAM.RoleLastUsed(lastUsedDate: created, region: "us-east-1")))

    static let accountSummary = IAM.GetAccountSummaryResponse(summaryMap: ["Users": 3, "UsersQuota": 5000, "AccountMFAEnabled": 0])

    static let accessKey = IAM.CreateAccessKeyResponse(accessKey: IAM.AccessKey(
        userName: "alice", accessKeyId: "AKIAIOSFODNN7EXAMPLE", status: .active,
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY", createDate: created))

    static let virtualMFA = IAM.CreateVirtualMFADeviceResponse(virtualMFADevice: IAM.VirtualMFADevice(
        serialNumber: "arn:aws:iam::123456789012:mfa/alice", base32StringSeed: Array("JBSWY3DPEHPK3PXP".utf8), qrCodePNG: [0x89, 0x50, 0x4E, 0x47]))

    static let policyVersions = IAM.ListPolicyVersionsResponse(versions: [
        IAM.PolicyVersion(document: trust, versionId: "v2", isDefaultVersion: true, createDate: created),
        IAM.PolicyVersion(versionId: "v1", isDefaultVersion: false, createDate: created),
    ], isTruncated: false)

    static let aliases = IAM.ListAccountAliasesResponse(accountAliases: ["my-alias"], isTruncated: false)
    static let noAliases = IAM.ListAccountAliasesResponse(accountAliases: [], isTruncated: false)

    static let assumeRole = STS.AssumeRoleResponse(
        credentials: STS.Credentials(accessKeyId: "ASIAIOSFODNN7EXAMPLE", secretAccessKey: "secret", sessionToken: "token==", expiration: created),
        assumedRoleUser: STS.AssumedRoleUser(assumedRoleId: "AROADBQP57FF2AEXAMPLE:s1", arn: "arn:aws:sts::123456789012:assumed-role/app/s1"),
        packedPolicySize: 6, sourceIdentity: "alice")

    /// (operation, service namespace, result) for every sample.
    static let all: [(String, String, (any XMLEncodable)?)] = [
        ("CreateUser", IAM.namespace, createUser), ("ListUsers", IAM.namespace, listUsers), ("GetRole", IAM.namespace, getRole),
        ("GetAccountSummary", IAM.namespace, accountSummary), ("CreateAccessKey", IAM.namespace, accessKey),
        ("CreateVirtualMFADevice", IAM.namespace, virtualMFA), ("ListPolicyVersions", IAM.namespace, policyVersions),
        ("ListAccountAliases", IAM.namespace, aliases), ("DeleteUser", IAM.namespace, nil), ("AssumeRole", STS.namespace, assumeRole),
    ]
}

@Suite("Generated response encoding")
struct GeneratedEncodingTests {
    @Test func goldenCreateUser() {
        let xml = QueryProtocol.success(operation: "CreateUser", namespace: IAM.namespace, result: SampleResponses.createUser,
                                        requestID: SampleResponses.requestID)
        #expect(xml == #"<CreateUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><CreateUserResult><User><Path>/dev/</Path><UserName>alice</UserName><UserId>AIDAJQABLZS4A3QDU576Q</UserId><Arn>arn:aws:iam::123456789012:user/dev/alice</Arn><CreateDate>2024-01-02T03:04:05Z</CreateDate><Tags><member><Key>team</Key><Value>a&amp;b</Value></member><member><Key>empty</Key><Value></Value></member></Tags></User></CreateUserResult><ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata></CreateUserResponse>"#)
    }

    @Test func goldenListUsers() {
        let r = IAM.ListUsersResponse(users: [SampleResponses.user(1)], isTruncated: false)
        let xml = QueryProtocol.success(operation: "ListUsers", namespace: IAM.namespace, result: r, requestID: "r1")
        #expect(xml == #"<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult><Users><member><Path>/</Path><UserName>user1</UserName><UserId>AIDAXXXXXXXXXXXXX1001</UserId><Arn>arn:aws:iam::123456789012:user/user1</Arn><CreateDate>2024-01-02T03:04:05Z</CreateDate></member></Users><IsTruncated>false</IsTruncated></ListUsersResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></ListUsersResponse>"#)
    }

    @Test func policyDocumentsArePercentEncoded() {
        var w = XMLWriter()
        SampleResponses.getRole.encodeXML(to: &w)
        let xml = w.string
        #expect(xml.contains("<AssumeRolePolicyDocument>\(WireFormat.percentEncode(SampleResponses.trust))</AssumeRolePolicyDocument>"))
        #expect(xml.contains("%7B%22Version%22%3A%222012-10-17%22"))
        #expect(xml.contains("a%26b%20%3Cc%3E%20100%25%20%2Bx"))
        #expect(xml.contains("<Description>Role &lt;for&gt; &quot;app&quot; &amp; co</Description>"))
        #expect(xml.contains("<PermissionsBoundary><PermissionsBoundaryType>PermissionsBoundaryPolicy</PermissionsBoundaryType>"))
        #expect(xml.contains("<MaxSessionDuration>3600</MaxSessionDuration>"))
    }

    @Test func summaryMapAndBlobs() {
        var w = XMLWriter()
        SampleResponses.accountSummary.encodeXML(to: &w)
        #expect(w.string == "<SummaryMap><entry><key>AccountMFAEnabled</key><value>0</value></entry><entry><key>Users</key><value>3</value></entry><entry><key>UsersQuota</key><value>5000</value></entry></SummaryMap>")
        var m = XMLWriter()
        SampleResponses.virtualMFA.encodeXML(to: &m)
        #expect(m.string.contains("<Base32StringSeed>SkJTV1kzRFBFSFBLM1BYUA==</Base32StringSeed><QRCodePNG>iVBORw==</QRCodePNG>"))
    }

    @Test func emptyListAndEnums() {
        var w = XMLWriter()
        SampleResponses.noAliases.encodeXML(to: &w)
        #expect(w.string == "<AccountAliases></AccountAliases><IsTruncated>false</IsTruncated>")
        var k = XMLWriter()
        SampleResponses.accessKey.encodeXML(to: &k)
        #expect(k.string.contains("<Status>Active</Status>"))
    }

    @Test func stsResponse() {
        let xml = QueryProtocol.success(operation: "AssumeRole", namespace: STS.namespace, result: SampleResponses.assumeRole, requestID: "r")
        #expect(xml.hasPrefix(#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>"#))
        #expect(xml.contains("<PackedPolicySize>6</PackedPolicySize>"))
    }

    /// Writes every sample response to `$WARDEN_WIRE_DUMP/<Operation>.xml` for scripts/codegen/check_parse.py.
    @Test func dumpForBotocore() throws {
        guard let dir = ProcessInfo.processInfo.environment["WARDEN_WIRE_DUMP"] else { return }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (op, ns, result) in SampleResponses.all {
            let xml = QueryProtocol.success(operation: op, namespace: ns, result: result, requestID: SampleResponses.requestID)
            try xml.write(toFile: dir + "/" + op + ".xml", atomically: true, encoding: .utf8)
        }
        let err = QueryProtocol.error(WireError(code: "NoSuchEntity", message: "The user with name <bob> cannot be found.", httpStatus: 404),
                                      namespace: IAM.namespace, requestID: SampleResponses.requestID)
        try err.write(toFile: dir + "/Error.xml", atomically: true, encoding: .utf8)
    }
}
