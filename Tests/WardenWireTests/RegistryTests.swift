import Testing
@testable import WardenWire

@Suite("Generated registry")
struct RegistryTests {
    @Test func namespaces() {
        #expect(IAM.namespace == "https://iam.amazonaws.com/doc/2010-05-08/")
        #expect(IAM.version == "2010-05-08")
        #expect(STS.namespace == "https://sts.amazonaws.com/doc/2011-06-15/")
        #expect(STS.version == "2011-06-15")
    }

    @Test func operationCounts() {
        #expect(IAM.operations.count == 176)
        #expect(STS.operations.count == 11)
        let create = IAM.operations["CreateUser"]
        #expect(create?.inputShape == "CreateUserRequest")
        #expect(create?.outputShape == "CreateUserResponse")
        #expect(create?.resultWrapper == "CreateUserResult")
        #expect(create?.errors.contains("EntityAlreadyExists") == true)
        #expect(create?.isPaginated == false)
        #expect(create?.documentation == "Creates a new IAM user for your Amazon Web Services account.")
        #expect(IAM.operations["ListUsers"]?.isPaginated == true)
        #expect(IAM.operations["DeleteUser"]?.outputShape == nil)
        #expect(IAM.operations["GetAccountSummary"]?.inputShape == nil)
        #expect(STS.operations["GetCallerIdentity"]?.resultWrapper == "GetCallerIdentityResult")
        for op in IAM.operations.values {
            #expect(!op.documentation.isEmpty)
            #expect(!op.documentation.contains("<"))
        }
    }

    @Test func errors() {
        #expect(IAM.errorStatus["NoSuchEntity"] == 404)
        #expect(IAM.errorStatus["EntityAlreadyExists"] == 409)
        #expect(IAM.errors["ServiceFailure"]?.isSender == false)
        #expect(IAM.errors["ServiceFailure"]?.httpStatus == 500)
        #expect(IAM.errors["NoSuchEntity"]?.shapeName == "NoSuchEntityException")
        #expect(IAM.errors["ReportNotPresent"]?.httpStatus == 410)
        #expect(STS.errorStatus["RegionDisabledException"] == 403)
        #expect(STS.errors["MalformedPolicyDocument"]?.wireError("bad").isSender == true)
    }

    @Test func enumNaming() {
        #expect(IAM.StatusType.allCases.map(\.rawValue) == ["Active", "Inactive", "Expired"])
        #expect(IAM.StatusType.active.rawValue == "Active")
        #expect(IAM.PolicyScopeType.aws.rawValue == "AWS")
        #expect(IAM.PolicyScopeType.all.rawValue == "All")
        #expect(IAM.PolicyScopeType.local.rawValue == "Local")
        #expect(IAM.JobStatusType.inProgress.rawValue == "IN_PROGRESS")
        #expect(IAM.ReportFormatType.textCsv.rawValue == "text/csv")
        #expect(IAM.PolicySourceType.awsManaged.rawValue == "aws-managed")
        #expect(IAM.SummaryKeyType.mfaDevicesInUse.rawValue == "MFADevicesInUse")
        #expect(IAM.EntityType.awsManagedPolicy.rawValue == "AWSManagedPolicy")
    }

    @Test func memberNaming() {
        // Compile-time checks of the naming rules the server is written against.
        let provider = IAM.GetOpenIDConnectProviderRequest(openIDConnectProviderArn: "arn")
        #expect(provider.openIDConnectProviderArn == "arn")
        let saml = IAM.CreateSAMLProviderRequest(samlMetadataDocument: "doc", name: "n")
        #expect(saml.samlMetadataDocument == "doc")
        let mfa = IAM.ListMFADevicesResponse(mfaDevices: [], isTruncated: false)
        #expect(mfa.mfaDevices.isEmpty)
        let summary = IAM.GetAccountSummaryResponse(summaryMap: ["Users": 1])
        #expect(summary.summaryMap?["Users"] == 1)
        let key = IAM.AccessKeyMetadata(userName: "u", accessKeyId: "AKIA", status: .active)
        #expect(key.accessKeyId == "AKIA")
    }

    @Test func everyModelPatternCompiles() {
        #expect(IAM.Rules.all().count > 50)
        #expect(STS.Rules.all().count > 10)
    }
}
