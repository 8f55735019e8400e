import Testing
import WardenPolicy
@testable import WardenValidation

/// A policy with Version 2012-10-17 and these statements (JSON object texts).
func policy(_ statements: String..., version: Bool = true) -> String {
    (version ? "{\"Version\": \"2012-10-17\", " : "{") + "\"Statement\": [" + statements.joined(separator: ", ") + "]}"
}

func codes(_ text: String, _ type: ValidatePolicyType = .identity, _ rt: ValidatePolicyResourceType? = nil) -> Set<String> {
    Set(PolicyChecks.validate(text, type: type, resourceType: rt).map(\.issueCode))
}

/// One check: a policy that triggers it and a close one that does not.
struct CheckCase: CustomTestStringConvertible, Sendable {
    var code: String
    var type: ValidatePolicyType = .identity
    var resourceType: ValidatePolicyResourceType? = nil
    var trigger: String
    var clean: String
    var testDescription: String { code }

    init(_ code: String, _ type: ValidatePolicyType = .identity, _ rt: ValidatePolicyResourceType? = nil,
         trigger: String, clean: String) {
        self.code = code
        self.type = type
        self.resourceType = rt
        self.trigger = trigger
        self.clean = clean
    }
}

let allow = "\"Effect\": \"Allow\""
let getObject = "\"Action\": \"s3:GetObject\""
let bucketObjects = "\"Resource\": \"arn:aws:s3:::bucket/*\""
/// An identity statement with extra members.
func st(_ members: String...) -> String { "{" + members.joined(separator: ", ") + "}" }
/// An identity statement allowing s3:GetObject on bucket objects, with a condition.
func cond(_ condition: String) -> String { st(allow, getObject, bucketObjects, "\"Condition\": " + condition) }
/// A trust statement (allow sts:AssumeRole) for a principal, with optional extra members.
func trustSt(_ principal: String, _ extra: String...) -> String {
    st([allow, "\"Action\": \"sts:AssumeRole\"", "\"Principal\": " + principal] + extra)
}
func st(_ members: [String]) -> String { "{" + members.joined(separator: ", ") + "}" }
let bucketSt = st(allow, "\"Principal\": {\"AWS\": \"arn:aws:iam::123456789012:root\"}", getObject, bucketObjects)

let grammarCases: [CheckCase] = [
    CheckCase("JSON_SYNTAX_ERROR", trigger: "{\"Version\": \"2012-10-17\", ", clean: policy(st(allow, getObject, bucketObjects))),
    CheckCase("INVALID_POLICY_ELEMENT", trigger: policy(st(allow, getObject, bucketObjects, "\"Foo\": \"x\"")),
              clean: policy(st(allow, getObject, bucketObjects, "\"Sid\": \"x\""))),
    CheckCase("DATA_TYPE_MISMATCH", trigger: policy(st("\"Effect\": 1", getObject, bucketObjects)),
              clean: policy(st(allow, getObject, bucketObjects))),
    CheckCase("MISSING_VERSION", trigger: policy(st(allow, getObject, bucketObjects), version: false),
              clean: policy(st(allow, getObject, bucketObjects))),
    CheckCase("INVALID_VERSION", trigger: "{\"Version\": \"2012-10-18\", \"Statement\": " + st(allow, getObject, bucketObjects) + "}",
              clean: "{\"Version\": \"2008-10-17\", \"Statement\": " + st(allow, getObject, bucketObjects) + "}"),
    CheckCase("MISSING_STATEMENT", trigger: "{\"Version\": \"2012-10-17\"}", clean: policy(st(allow, getObject, bucketObjects))),
    CheckCase("MISSING_EFFECT", trigger: policy(st(getObject, bucketObjects)), clean: policy(st(allow, getObject, bucketObjects))),
    CheckCase("INVALID_EFFECT", trigger: policy(st("\"Effect\": \"allow\"", getObject, bucketObjects)),
              clean: policy(st("\"Effect\": \"Deny\"", getObject, bucketObjects))),
    CheckCase("MISSING_ACTION", trigger: policy(st(allow, bucketObjects)), clean: policy(st(allow, "\"NotAction\": \"s3:*\"", bucketObjects))),
    CheckCase("MISSING_RESOURCE", trigger: policy(st(allow, getObject)), clean: policy(st(allow, getObject, "\"NotResource\": \"arn:aws:s3:::b\""))),
    CheckCase("MISSING_PRINCIPAL", .resource, .s3Bucket, trigger: policy(st(allow, getObject, bucketObjects)), clean: policy(bucketSt)),
    CheckCase("UNSUPPORTED_PRINCIPAL", trigger: policy(bucketSt), clean: policy(st(allow, getObject, bucketObjects))),
    CheckCase("UNSUPPORTED_ELEMENT_COMBINATION", trigger: policy(st(allow, getObject, "\"NotAction\": \"s3:PutObject\"", bucketObjects)),
              clean: policy(st(allow, "\"NotAction\": \"s3:PutObject\"", bucketObjects))),
    CheckCase("EMPTY_ARRAY_ACTION", trigger: policy(st(allow, "\"Action\": []", bucketObjects)), clean: policy(st(allow, "\"Action\": [\"s3:GetObject\"]", bucketObjects))),
    CheckCase("EMPTY_ARRAY_RESOURCE", trigger: policy(st(allow, getObject, "\"Resource\": []")), clean: policy(st(allow, getObject, "\"Resource\": [\"arn:aws:s3:::b/*\"]"))),
    CheckCase("EMPTY_ARRAY_PRINCIPAL", .resource, .s3Bucket, trigger: policy(st(allow, "\"Principal\": {\"AWS\": []}", getObject, bucketObjects)), clean: policy(bucketSt)),
    CheckCase("EMPTY_OBJECT_PRINCIPAL", .resource, .s3Bucket, trigger: policy(st(allow, "\"Principal\": {}", getObject, bucketObjects)), clean: policy(bucketSt)),
    CheckCase("EMPTY_OBJECT_CONDITION", trigger: policy(cond("{}")), clean: policy(cond("{\"Bool\": {\"aws:SecureTransport\": \"true\"}}"))),
    CheckCase("EMPTY_SID_VALUE", trigger: policy(st("\"Sid\": \"\"", allow, getObject, bucketObjects)), clean: policy(st("\"Sid\": \"A1\"", allow, getObject, bucketObjects))),
    CheckCase("UNSUPPORTED_SID", trigger: policy(st("\"Sid\": \"read objects\"", allow, getObject, bucketObjects)),
              clean: policy(st("\"Sid\": \"ReadObjects\"", allow, getObject, bucketObjects))),
    CheckCase("UNIQUE_SIDS_REQUIRED", trigger: policy(st("\"Sid\": \"A\"", allow, getObject, bucketObjects), st("\"Sid\": \"A\"", allow, "\"Action\": \"s3:PutObject\"", bucketObjects)),
              clean: policy(st("\"Sid\": \"A\"", allow, getObject, bucketObjects), st("\"Sid\": \"B\"", allow, "\"Action\": \"s3:PutObject\"", bucketObjects))),
    CheckCase("UNIQUE_SIDS_RECOMMENDED", .resource, .s3Bucket,
              trigger: policy(st("\"Sid\": \"A\"", allow, "\"Principal\": \"*\"", getObject, bucketObjects), st("\"Sid\": \"A\"", allow, "\"Principal\": \"*\"", "\"Action\": \"s3:PutObject\"", bucketObjects)),
              clean: policy(st("\"Sid\": \"A\"", allow, "\"Principal\": \"*\"", getObject, bucketObjects), st("\"Sid\": \"B\"", allow, "\"Principal\": \"*\"", "\"Action\": \"s3:PutObject\"", bucketObjects))),
    CheckCase("REDUNDANT_STATEMENT", trigger: policy(st("\"Sid\": \"A\"", allow, getObject, bucketObjects), st("\"Sid\": \"B\"", allow, getObject, bucketObjects)),
              clean: policy(st(allow, getObject, bucketObjects), st(allow, "\"Action\": \"s3:PutObject\"", bucketObjects))),
    CheckCase("INVALID_PRINCIPAL_FORMAT", .resource, .s3Bucket, trigger: policy(st(allow, "\"Principal\": \"someone\"", getObject, bucketObjects)),
              clean: policy(st(allow, "\"Principal\": \"*\"", getObject, bucketObjects))),
    CheckCase("INVALID_PRINCIPAL_KEY", .resource, .s3Bucket, trigger: policy(st(allow, "\"Principal\": {\"Aws\": \"123456789012\"}", getObject, bucketObjects)),
              clean: policy(st(allow, "\"Principal\": {\"AWS\": \"123456789012\"}", getObject, bucketObjects))),
]

let actionAndResourceCases: [CheckCase] = [
    CheckCase("INVALID_ACTION", trigger: policy(st(allow, "\"Action\": \"s3:GetObjekt\"", bucketObjects)), clean: policy(st(allow, getObject, bucketObjects))),
    CheckCase("INVALID_SERVICE_IN_ACTION", trigger: policy(st(allow, "\"Action\": \"s4:GetObject\"", bucketObjects)), clean: policy(st(allow, getObject, bucketObjects))),
    CheckCase("WILDCARD_IN_SERVICE_NAME", trigger: policy(st(allow, "\"Action\": \"s*:GetObject\"", bucketObjects)), clean: policy(st(allow, "\"Action\": \"s3:Get*\"", bucketObjects))),
    CheckCase("REDUNDANT_ACTION", trigger: policy(st(allow, "\"Action\": [\"s3:GetObject\", \"s3:Get*\"]", bucketObjects)),
              clean: policy(st(allow, "\"Action\": [\"s3:GetObject\", \"s3:PutObject\"]", bucketObjects))),
    CheckCase("REDUNDANT_RESOURCE", trigger: policy(st(allow, getObject, "\"Resource\": [\"arn:aws:s3:::b/*\", \"arn:aws:s3:::b/x\"]")),
              clean: policy(st(allow, getObject, "\"Resource\": [\"arn:aws:s3:::b/*\", \"arn:aws:s3:::c/x\"]"))),
    CheckCase("INVALID_ARN_PREFIX", trigger: policy(st(allow, getObject, "\"Resource\": \"bucket/*\"")), clean: policy(st(allow, getObject, bucketObjects))),
    CheckCase("MISSING_ARN_FIELD", trigger: policy(st(allow, getObject, "\"Resource\": \"arn:aws:s3:bucket\"")), clean: policy(st(allow, getObject, bucketObjects))),
    CheckCase("INVALID_PARTITION", trigger: policy(st(allow, getObject, "\"Resource\": \"arn:awz:s3:::b/*\"")), clean: policy(st(allow, getObject, "\"Resource\": \"arn:aws-cn:s3:::b/*\""))),
    CheckCase("INVALID_ARN_SERVICE_CASE", trigger: policy(st(allow, getObject, "\"Resource\": \"arn:aws:S3:::b/*\"")), clean: policy(st(allow, getObject, bucketObjects))),
    CheckCase("INVALID_SERVICE", trigger: policy(st(allow, getObject, "\"Resource\": \"arn:aws:s4:::b/*\"")), clean: policy(st(allow, getObject, bucketObjects))),
    CheckCase("INVALID_ARN_RESOURCE", trigger: policy(st(allow, "\"Action\": \"iam:GetRole\"", "\"Resource\": \"arn:aws:iam::123456789012:rolez/x\"")),
              clean: policy(st(allow, "\"Action\": \"iam:GetRole\"", "\"Resource\": \"arn:aws:iam::123456789012:role/x\""))),
    CheckCase("ARN_REGION_NOT_ALLOWED", trigger: policy(st(allow, "\"Action\": \"iam:GetRole\"", "\"Resource\": \"arn:aws:iam:us-east-1:123456789012:role/x\"")),
              clean: policy(st(allow, "\"Action\": \"iam:GetRole\"", "\"Resource\": \"arn:aws:iam::123456789012:role/x\""))),
    CheckCase("INVALID_ARN_REGION", trigger: policy(st(allow, "\"Action\": \"dynamodb:GetItem\"", "\"Resource\": \"arn:aws:dynamodb:mars:123456789012:table/t\"")),
              clean: policy(st(allow, "\"Action\": \"dynamodb:GetItem\"", "\"Resource\": \"arn:aws:dynamodb:eu-west-1:123456789012:table/t\""))),
    CheckCase("MISSING_ARN_REGION", trigger: policy(st(allow, "\"Action\": \"dynamodb:GetItem\"", "\"Resource\": \"arn:aws:dynamodb::123456789012:table/t\"")),
              clean: policy(st(allow, "\"Action\": \"dynamodb:GetItem\"", "\"Resource\": \"arn:aws:dynamodb:*:123456789012:table/t\""))),
    CheckCase("ARN_ACCOUNT_NOT_ALLOWED", trigger: policy(st(allow, getObject, "\"Resource\": \"arn:aws:s3::123456789012:bucket/*\"")), clean: policy(st(allow, getObject, bucketObjects))),
    CheckCase("INVALID_ARN_ACCOUNT", trigger: policy(st(allow, "\"Action\": \"iam:GetRole\"", "\"Resource\": \"arn:aws:iam::1234:role/x\"")),
              clean: policy(st(allow, "\"Action\": \"iam:GetRole\"", "\"Resource\": \"arn:aws:iam::${aws:PrincipalAccount}:role/x\""))),
    CheckCase("UNSUPPORTED_ACTION_IN_POLICY", .resource, .s3Bucket, trigger: policy(st(allow, "\"Principal\": \"*\"", "\"Action\": \"ec2:RunInstances\"", bucketObjects)),
              clean: policy(bucketSt)),
    CheckCase("UNSUPPORTED_RESOURCE_ARN_IN_POLICY", .resource, .s3Bucket,
              trigger: policy(st(allow, "\"Principal\": \"*\"", getObject, "\"Resource\": \"arn:aws:dynamodb:eu-west-1:123456789012:table/t\"")), clean: policy(bucketSt)),
    CheckCase("FEDERATED_PRINCIPAL_NOT_SUPPORTED", .resource, .s3Bucket,
              trigger: policy(st(allow, "\"Principal\": {\"Federated\": \"accounts.google.com\"}", getObject, bucketObjects)), clean: policy(bucketSt)),
    CheckCase("ALLOW_WITH_NOT_PRINCIPAL", .resource, .s3Bucket,
              trigger: policy(st(allow, "\"NotPrincipal\": {\"AWS\": \"123456789012\"}", getObject, bucketObjects)),
              clean: policy(st("\"Effect\": \"Deny\"", "\"NotPrincipal\": {\"AWS\": \"123456789012\"}", getObject, bucketObjects))),
]

let passRoleStar = "\"Resource\": \"*\""
let passRoleCases: [CheckCase] = [
    CheckCase("PASS_ROLE_WITH_STAR_IN_RESOURCE", trigger: policy(st(allow, "\"Action\": \"iam:PassRole\"", passRoleStar)),
              clean: policy(st(allow, "\"Action\": \"iam:PassRole\"", "\"Resource\": \"arn:aws:iam::123456789012:role/app\""))),
    CheckCase("PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE", trigger: policy(st(allow, "\"Action\": \"iam:Pass*\"", passRoleStar)),
              clean: policy(st(allow, "\"Action\": \"iam:Get*\"", passRoleStar))),
    CheckCase("PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION", trigger: policy(st(allow, "\"NotAction\": \"s3:*\"", passRoleStar)),
              clean: policy(st(allow, "\"NotAction\": \"iam:*\"", passRoleStar))),
    CheckCase("PASS_ROLE_WITH_NOT_RESOURCE", trigger: policy(st(allow, "\"Action\": \"iam:PassRole\"", "\"NotResource\": \"arn:aws:iam::123456789012:role/admin\"")),
              clean: policy(st(allow, "\"Action\": \"iam:PassRole\"", "\"NotResource\": \"arn:aws:iam::123456789012:role/admin\"",
                               "\"Condition\": {\"StringEquals\": {\"iam:PassedToService\": \"ec2.amazonaws.com\"}}"))),
    CheckCase("PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE", trigger: policy(st(allow, "\"Action\": \"iam:*\"", "\"NotResource\": \"arn:aws:iam::123456789012:role/admin\"")),
              clean: policy(st(allow, "\"Action\": \"iam:Get*\"", "\"NotResource\": \"arn:aws:iam::123456789012:role/admin\""))),
    CheckCase("PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE", trigger: policy(st(allow, "\"NotAction\": \"s3:*\"", "\"NotResource\": \"arn:aws:s3:::b\"")),
              clean: policy(st("\"Effect\": \"Deny\"", "\"NotAction\": \"s3:*\"", "\"NotResource\": \"arn:aws:s3:::b\""))),
    CheckCase("CREATE_SLR_WITH_STAR_IN_RESOURCE", trigger: policy(st(allow, "\"Action\": \"iam:CreateServiceLinkedRole\"", passRoleStar)),
              clean: policy(st(allow, "\"Action\": \"iam:CreateServiceLinkedRole\"", "\"Resource\": \"arn:aws:iam::123456789012:role/aws-service-role/x.amazonaws.com/R\""))),
    CheckCase("CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE", trigger: policy(st(allow, "\"Action\": \"iam:Create*\"", passRoleStar)),
              clean: policy(st(allow, "\"Action\": \"iam:Get*\"", passRoleStar))),
    CheckCase("CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION", trigger: policy(st(allow, "\"NotAction\": \"s3:*\"", passRoleStar)),
              clean: policy(st(allow, "\"NotAction\": \"iam:*\"", passRoleStar))),
    CheckCase("CREATE_SLR_WITH_NOT_RESOURCE", trigger: policy(st(allow, "\"Action\": \"iam:CreateServiceLinkedRole\"", "\"NotResource\": \"arn:aws:s3:::b\"")),
              clean: policy(st(allow, "\"Action\": \"iam:CreateServiceLinkedRole\"", "\"Resource\": \"arn:aws:iam::123456789012:role/aws-service-role/x.amazonaws.com/R\""))),
    CheckCase("CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE", trigger: policy(st(allow, "\"Action\": \"*\"", "\"NotResource\": \"arn:aws:s3:::b\"")),
              clean: policy(st(allow, "\"Action\": \"s3:*\"", "\"NotResource\": \"arn:aws:s3:::b\""))),
    CheckCase("CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE", trigger: policy(st(allow, "\"NotAction\": \"s3:*\"", "\"NotResource\": \"arn:aws:s3:::b\"")),
              clean: policy(st(allow, "\"NotAction\": \"iam:*\"", "\"NotResource\": \"arn:aws:s3:::b\""))),
]

let github = "{\"Federated\": \"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com\"}"
let principalCases: [CheckCase] = [
    CheckCase("ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE", .resource, .roleTrustPolicy,
              trigger: policy(trustSt("{\"AWS\": \"123456789012\"}", "\"Resource\": \"*\"")), clean: policy(trustSt("{\"AWS\": \"123456789012\"}"))),
    CheckCase("ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL", .resource, .roleTrustPolicy,
              trigger: policy(st("\"Effect\": \"Deny\"", "\"Action\": \"sts:AssumeRole\"", "\"NotPrincipal\": {\"AWS\": \"123456789012\"}")),
              clean: policy(trustSt("{\"AWS\": \"123456789012\"}"))),
    CheckCase("ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL", .resource, .roleTrustPolicy,
              trigger: policy(trustSt("\"*\"")), clean: policy(trustSt("{\"AWS\": \"123456789012\"}"))),
    CheckCase("UNSUPPORTED_WILDCARD_IN_PRINCIPAL", .resource, .roleTrustPolicy,
              trigger: policy(trustSt("{\"AWS\": \"arn:aws:iam::*:root\"}")), clean: policy(trustSt("{\"AWS\": \"arn:aws:iam::123456789012:root\"}"))),
    CheckCase("INVALID_ROLE_REFERENCE", .resource, .roleTrustPolicy,
              trigger: policy(trustSt("{\"AWS\": \"AROAEXAMPLEID12345678\"}")), clean: policy(trustSt("{\"AWS\": \"arn:aws:iam::123456789012:role/r\"}"))),
    CheckCase("INVALID_USER_REFERENCE", .resource, .roleTrustPolicy,
              trigger: policy(trustSt("{\"AWS\": \"AIDAEXAMPLEID12345678\"}")), clean: policy(trustSt("{\"AWS\": \"arn:aws:iam::123456789012:user/u\"}"))),
    CheckCase("INVALID_SERVICE_PRINCIPAL_FORMAT", .resource, .roleTrustPolicy,
              trigger: policy(trustSt("{\"Service\": \"EC2\"}")), clean: policy(trustSt("{\"Service\": \"ec2.amazonaws.com\"}"))),
    CheckCase("REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY", .resource, .roleTrustPolicy,
              trigger: policy(trustSt("{\"AWS\": [\"arn:aws:iam::123456789012:role/R\", \"arn:aws:sts::123456789012:assumed-role/R/s\"]}")),
              clean: policy(trustSt("{\"AWS\": [\"arn:aws:iam::123456789012:role/R\", \"arn:aws:sts::123456789012:assumed-role/Other/s\"]}"))),
    CheckCase("MISMATCHED_ACTION_FOR_PRINCIPAL", .resource, .roleTrustPolicy,
              trigger: policy(st(allow, "\"Action\": \"sts:AssumeRoleWithWebIdentity\"", "\"Principal\": {\"Federated\": \"arn:aws:iam::123456789012:saml-provider/idp\"}")),
              clean: policy(st(allow, "\"Action\": \"sts:AssumeRoleWithSAML\"", "\"Principal\": {\"Federated\": \"arn:aws:iam::123456789012:saml-provider/idp\"}"))),
    CheckCase("INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY", .resource, .roleTrustPolicy,
              trigger: policy(st(allow, "\"Action\": \"sts:AssumeRoleWithSAML\"", "\"Principal\": {\"Federated\": \"arn:aws:iam::123456789012:user/u\"}")),
              clean: policy(st(allow, "\"Action\": \"sts:AssumeRoleWithSAML\"", "\"Principal\": {\"Federated\": \"arn:aws:iam::123456789012:saml-provider/idp\"}"))),
    CheckCase("MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY", .resource, .roleTrustPolicy,
              trigger: policy(trustSt("{\"Service\": \"rolesanywhere.amazonaws.com\"}")),
              clean: policy(st(allow, "\"Action\": [\"sts:AssumeRole\", \"sts:SetSourceIdentity\", \"sts:TagSession\"]", "\"Principal\": {\"Service\": \"rolesanywhere.amazonaws.com\"}"))),
    CheckCase("MISSING_GITHUB_REPO_CONDITION_KEY", .resource, .roleTrustPolicy,
              trigger: policy(st(allow, "\"Action\": \"sts:AssumeRoleWithWebIdentity\"", "\"Principal\": " + github)),
              clean: policy(st(allow, "\"Action\": \"sts:AssumeRoleWithWebIdentity\"", "\"Principal\": " + github,
                               "\"Condition\": {\"StringLike\": {\"token.actions.githubusercontent.com:sub\": \"repo:org/app:ref:refs/heads/main\"}}"))),
    CheckCase("SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED", .resource, .roleTrustPolicy,
              trigger: policy(st(allow, "\"Action\": \"sts:AssumeRoleWithWebIdentity\"", "\"Principal\": " + github,
                                 "\"Condition\": {\"StringLike\": {\"token.actions.githubusercontent.com:sub\": \"repo:org/*\"}}")),
              clean: policy(st(allow, "\"Action\": \"sts:AssumeRoleWithWebIdentity\"", "\"Principal\": " + github,
                               "\"Condition\": {\"StringLike\": {\"token.actions.githubusercontent.com:sub\": \"repo:org/app:*\"}}"))),
    CheckCase("MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL", .resource, .roleTrustPolicy,
              trigger: policy(st(allow, "\"Action\": \"sts:AssumeRoleWithWebIdentity\"", "\"Principal\": {\"Federated\": \"accounts.google.com\"}")),
              clean: policy(st(allow, "\"Action\": \"sts:AssumeRoleWithWebIdentity\"", "\"Principal\": {\"Federated\": \"accounts.google.com\"}",
                               "\"Condition\": {\"StringEquals\": {\"accounts.google.com:aud\": \"app\"}}"))),
    CheckCase("RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL", .resource, .s3Bucket,
              trigger: policy(st(allow, "\"Principal\": {\"Service\": \"logging.s3.amazonaws.com\"}", "\"Action\": \"s3:PutObject\"", bucketObjects)),
              clean: policy(st(allow, "\"Principal\": {\"Service\": \"logging.s3.amazonaws.com\"}", "\"Action\": \"s3:PutObject\"", bucketObjects,
                               "\"Condition\": {\"StringEquals\": {\"aws:SourceAccount\": \"123456789012\"}}"))),
    CheckCase("RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL", .resource, .s3Bucket,
              trigger: policy(st(allow, "\"Principal\": {\"Service\": \"logging.s3.amazonaws.com\"}", "\"Action\": \"s3:PutObject\"", bucketObjects,
                                 "\"Condition\": {\"StringEquals\": {\"aws:SourceAccount\": \"123456789012\", \"aws:PrincipalAccount\": \"123456789012\"}}")),
              clean: policy(st(allow, "\"Principal\": {\"Service\": \"logging.s3.amazonaws.com\"}", "\"Action\": \"s3:PutObject\"", bucketObjects,
                               "\"Condition\": {\"StringEquals\": {\"aws:SourceAccount\": \"123456789012\"}}"))),
]

let conditionCases: [CheckCase] = [
    CheckCase("INVALID_CONDITION_OPERATOR", trigger: policy(cond("{\"StringEqual\": {\"aws:PrincipalTag/team\": \"a\"}}")),
              clean: policy(cond("{\"StringEquals\": {\"aws:PrincipalTag/team\": \"a\"}}"))),
    CheckCase("DUPLICATE_KEYS_WITH_DIFFERENT_CASE", trigger: policy(cond("{\"StringEquals\": {\"aws:PrincipalTag/team\": \"a\", \"aws:principaltag/team\": \"b\"}}")),
              clean: policy(cond("{\"StringEquals\": {\"aws:PrincipalTag/team\": \"a\"}, \"StringLike\": {\"aws:principaltag/team\": \"b\"}}"))),
    CheckCase("INVALID_CONDITION_KEY_FORMAT", trigger: policy(cond("{\"StringEquals\": {\"SourceAccount\": \"123456789012\"}}")),
              clean: policy(cond("{\"StringEquals\": {\"aws:SourceAccount\": \"123456789012\"}}"))),
    CheckCase("DEPRECATED_GLOBAL_CONDITION_KEY", trigger: policy(cond("{\"ArnEquals\": {\"aws:ARN\": \"arn:aws:iam::123456789012:user/u\"}}")),
              clean: policy(cond("{\"ArnEquals\": {\"aws:PrincipalArn\": \"arn:aws:iam::123456789012:user/u\"}}"))),
    CheckCase("INVALID_GLOBAL_CONDITION_KEY", trigger: policy(cond("{\"StringEquals\": {\"aws:SourceAcount\": \"123456789012\"}}")),
              clean: policy(cond("{\"StringEquals\": {\"aws:SourceAccount\": \"123456789012\"}}"))),
    CheckCase("INVALID_SERVICE_CONDITION_KEY", trigger: policy(cond("{\"StringEquals\": {\"s3:nosuchkey\": \"x\"}}")),
              clean: policy(cond("{\"StringEquals\": {\"s3:x-amz-server-side-encryption\": \"AES256\"}}"))),
    CheckCase("MISSING_TAG_KEY_IN_CONDITION", trigger: policy(cond("{\"StringEquals\": {\"aws:PrincipalTag\": \"x\"}}")),
              clean: policy(cond("{\"StringEquals\": {\"aws:PrincipalTag/team\": \"x\"}}"))),
    CheckCase("NULL_WITH_IF_EXISTS", trigger: policy(cond("{\"NullIfExists\": {\"aws:PrincipalTag/team\": \"true\"}}")),
              clean: policy(cond("{\"Null\": {\"aws:PrincipalTag/team\": \"true\"}}"))),
    CheckCase("NULL_WITH_QUALIFIER", trigger: policy(cond("{\"ForAnyValue:Null\": {\"aws:PrincipalTag/team\": \"true\"}}")),
              clean: policy(cond("{\"Null\": {\"aws:PrincipalTag/team\": \"true\"}}"))),
    CheckCase("MISSING_QUALIFIER", trigger: policy(cond("{\"StringEquals\": {\"aws:PrincipalOrgPaths\": \"o-a/r-b/\"}}")),
              clean: policy(cond("{\"ForAnyValue:StringEquals\": {\"aws:PrincipalOrgPaths\": \"o-a/r-b/\"}}"))),
    CheckCase("FORALLVALUES_WITH_SINGLE_VALUED_KEY", trigger: policy(cond("{\"ForAllValues:StringEquals\": {\"aws:PrincipalAccount\": \"123456789012\"}}")),
              clean: policy(cond("{\"StringEquals\": {\"aws:PrincipalAccount\": \"123456789012\"}}"))),
    CheckCase("TYPE_MISMATCH", trigger: policy(cond("{\"StringEquals\": {\"aws:SourceIp\": \"203.0.113.0\"}}")),
              clean: policy(cond("{\"IpAddress\": {\"aws:SourceIp\": \"203.0.113.0/24\"}}"))),
    CheckCase("TYPE_MISMATCH_NUMBER", trigger: policy(cond("{\"NumericLessThan\": {\"aws:MultiFactorAuthAge\": \"an hour\"}}")),
              clean: policy(cond("{\"NumericLessThan\": {\"aws:MultiFactorAuthAge\": \"3600\"}}"))),
    CheckCase("TYPE_MISMATCH_DATE", trigger: policy(cond("{\"DateLessThan\": {\"aws:CurrentTime\": \"tomorrow\"}}")),
              clean: policy(cond("{\"DateLessThan\": {\"aws:CurrentTime\": \"2030-01-01T00:00:00Z\"}}"))),
    CheckCase("TYPE_MISMATCH_BOOLEAN", trigger: policy(cond("{\"Bool\": {\"aws:SecureTransport\": \"yes\"}}")),
              clean: policy(cond("{\"Bool\": {\"aws:SecureTransport\": \"true\"}}"))),
    CheckCase("TYPE_MISMATCH_STRING", trigger: policy(cond("{\"BinaryEquals\": {\"aws:PrincipalTag/blob\": \"not base64!\"}}")),
              clean: policy(cond("{\"BinaryEquals\": {\"aws:PrincipalTag/blob\": \"QmluYXJ5\"}}"))),
    CheckCase("TYPE_MISMATCH_IP_RANGE", trigger: policy(cond("{\"IpAddress\": {\"aws:SourceIp\": \"203.0.113.0/33\"}}")),
              clean: policy(cond("{\"IpAddress\": {\"aws:SourceIp\": \"203.0.113.0/24\"}}"))),
    CheckCase("INVALID_CONDITION_MULTIPLE_BOOLEAN", trigger: policy(cond("{\"Bool\": {\"aws:SecureTransport\": [\"true\", \"false\"]}}")),
              clean: policy(cond("{\"Bool\": {\"aws:SecureTransport\": [\"true\"]}}"))),
    CheckCase("INVALID_CONDITION_DATA_TYPE", trigger: policy(cond("{\"NumericLessThan\": {\"aws:MultiFactorAuthAge\": [\"3600\", 7200]}}")),
              clean: policy(cond("{\"NumericLessThan\": {\"aws:MultiFactorAuthAge\": 3600}}"))),
    CheckCase("REDUNDANT_CONDITION_VALUE_NUM", trigger: policy(cond("{\"NumericLessThan\": {\"aws:MultiFactorAuthAge\": [\"3600\", \"7200\"]}}")),
              clean: policy(cond("{\"NumericEquals\": {\"aws:MultiFactorAuthAge\": [\"3600\", \"7200\"]}}"))),
    CheckCase("IMPROVE_IP_RANGE", trigger: policy(cond("{\"IpAddress\": {\"aws:SourceIp\": \"203.0.113.7/24\"}}")),
              clean: policy(cond("{\"IpAddress\": {\"aws:SourceIp\": \"203.0.113.7\"}}"))),
    CheckCase("PRIVATE_IP_ADDRESS", trigger: policy(cond("{\"IpAddress\": {\"aws:SourceIp\": \"10.1.0.0/16\"}}")),
              clean: policy(cond("{\"IpAddress\": {\"aws:VpcSourceIp\": \"10.1.0.0/16\"}}"))),
    CheckCase("PRIVATE_NOT_IP_ADDRESS", trigger: policy(cond("{\"NotIpAddress\": {\"aws:SourceIp\": \"192.168.0.0/16\"}}")),
              clean: policy(cond("{\"NotIpAddress\": {\"aws:SourceIp\": \"203.0.113.0/24\"}}"))),
    CheckCase("PRIVATE_IP_ADDRESS_SUBSET", trigger: policy(cond("{\"IpAddress\": {\"aws:SourceIp\": [\"10.1.0.0/16\", \"203.0.113.0/24\"]}}")),
              clean: policy(cond("{\"IpAddress\": {\"aws:SourceIp\": [\"198.51.100.0/24\", \"203.0.113.0/24\"]}}"))),
    CheckCase("PRIVATE_NOT_IP_ADDRESS_SUBSET", trigger: policy(cond("{\"NotIpAddress\": {\"aws:SourceIp\": [\"10.1.0.0/16\", \"203.0.113.0/24\"]}}")),
              clean: policy(cond("{\"NotIpAddress\": {\"aws:SourceIp\": [\"198.51.100.0/24\"]}}"))),
    CheckCase("WILDCARD_WITHOUT_LIKE_OPERATOR", trigger: policy(cond("{\"StringEquals\": {\"aws:PrincipalTag/team\": \"dev*\"}}")),
              clean: policy(cond("{\"StringLike\": {\"aws:PrincipalTag/team\": \"dev*\"}}"))),
    CheckCase("INVALID_REGION", trigger: policy(cond("{\"StringEquals\": {\"aws:RequestedRegion\": \"europe\"}}")),
              clean: policy(cond("{\"StringEquals\": {\"aws:RequestedRegion\": \"eu-west-1\"}}"))),
    CheckCase("INVALID_VPC_FORMAT", trigger: policy(cond("{\"StringEquals\": {\"aws:SourceVpc\": \"vpc-123\"}}")),
              clean: policy(cond("{\"StringEquals\": {\"aws:SourceVpc\": \"vpc-1a2b3c4d\"}}"))),
    CheckCase("INVALID_VPCE_FORMAT", trigger: policy(cond("{\"StringEquals\": {\"aws:SourceVpce\": \"endpoint\"}}")),
              clean: policy(cond("{\"StringEquals\": {\"aws:SourceVpce\": \"vpce-1a2b3c4d\"}}"))),
    CheckCase("EMPTY_ARRAY_CONDITION", trigger: policy(cond("{\"StringEquals\": {\"aws:PrincipalTag/team\": []}}")),
              clean: policy(cond("{\"StringEquals\": {\"aws:PrincipalTag/team\": [\"a\"]}}"))),
    CheckCase("EMPTY_ARRAY_CONDITION_FORALLVALUES", trigger: policy(cond("{\"ForAllValues:StringEquals\": {\"aws:TagKeys\": []}}")),
              clean: policy(cond("{\"ForAllValues:StringEquals\": {\"aws:TagKeys\": [\"a\"]}}"))),
    CheckCase("EMPTY_ARRAY_CONDITION_FORANYVALUE", trigger: policy(cond("{\"ForAnyValue:StringEquals\": {\"aws:TagKeys\": []}}")),
              clean: policy(cond("{\"ForAnyValue:StringEquals\": {\"aws:TagKeys\": [\"a\"]}}"))),
    CheckCase("EMPTY_ARRAY_CONDITION_IFEXISTS", trigger: policy(cond("{\"StringEqualsIfExists\": {\"aws:PrincipalTag/team\": []}}")),
              clean: policy(cond("{\"StringEqualsIfExists\": {\"aws:PrincipalTag/team\": \"a\"}}"))),
    CheckCase("UNSUPPORTED_ACTION_FOR_CONDITION_KEY", trigger: policy(cond("{\"StringLike\": {\"s3:prefix\": \"home/\"}}")),
              clean: policy(st(allow, "\"Action\": \"s3:ListBucket\"", "\"Resource\": \"arn:aws:s3:::bucket\"", "\"Condition\": {\"StringLike\": {\"s3:prefix\": \"home/\"}}"))),
    CheckCase("ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
              trigger: policy(st(allow, "\"Action\": [\"ec2:StartInstances\", \"pricing:GetProducts\"]", "\"Resource\": \"*\"",
                                 "\"Condition\": {\"StringEquals\": {\"aws:ResourceTag/team\": \"a\"}}")),
              clean: policy(st(allow, "\"Action\": \"ec2:StartInstances\"", "\"Resource\": \"*\"", "\"Condition\": {\"StringEquals\": {\"aws:ResourceTag/team\": \"a\"}}"))),
    CheckCase("DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
              trigger: policy(st("\"Effect\": \"Deny\"", "\"Action\": [\"ec2:StartInstances\", \"pricing:GetProducts\"]", "\"Resource\": \"*\"",
                                 "\"Condition\": {\"StringEquals\": {\"aws:ResourceTag/team\": \"a\"}}")),
              clean: policy(st("\"Effect\": \"Deny\"", "\"Action\": \"ec2:StartInstances\"", "\"Resource\": \"*\"", "\"Condition\": {\"StringEquals\": {\"aws:ResourceTag/team\": \"a\"}}"))),
    CheckCase("ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
              trigger: policy(st(allow, "\"NotAction\": \"iam:*\"", "\"Resource\": \"*\"", "\"Condition\": {\"StringEquals\": {\"aws:ResourceTag/team\": \"a\"}}")),
              clean: policy(st(allow, "\"NotAction\": \"iam:*\"", "\"Resource\": \"*\"", "\"Condition\": {\"StringEquals\": {\"aws:PrincipalTag/team\": \"a\"}}"))),
    CheckCase("DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
              trigger: policy(st("\"Effect\": \"Deny\"", "\"NotAction\": \"iam:*\"", "\"Resource\": \"*\"", "\"Condition\": {\"StringEquals\": {\"aws:ResourceTag/team\": \"a\"}}")),
              clean: policy(st("\"Effect\": \"Deny\"", "\"NotAction\": \"iam:*\"", "\"Resource\": \"*\"", "\"Condition\": {\"StringEquals\": {\"aws:PrincipalTag/team\": \"a\"}}"))),
    CheckCase("INVALID_DATE_VALUE", trigger: policy(cond("{\"DateLessThan\": {\"aws:CurrentTime\": \"1893456000\"}}")),
              clean: policy(cond("{\"DateLessThan\": {\"aws:CurrentTime\": \"2030-01-01\"}}"))),
    CheckCase("MISSING_PAIRED_CONDITION_KEYS", trigger: policy(cond("{\"IpAddress\": {\"aws:VpcSourceIp\": \"10.0.0.0/16\"}}")),
              clean: policy(cond("{\"IpAddress\": {\"aws:VpcSourceIp\": \"10.0.0.0/16\"}, \"StringEquals\": {\"aws:SourceVpc\": \"vpc-1a2b3c4d\"}}"))),
    CheckCase("IRRELEVANT_CONDITION_KEY_IN_POLICY", .resource, .s3Bucket,
              trigger: policy(st(allow, "\"Principal\": {\"AWS\": \"arn:aws:iam::123456789012:root\"}", getObject, bucketObjects, "\"Condition\": {\"StringEquals\": {\"s3:ResourceAccount\": \"123456789012\"}}")),
              clean: policy(st(allow, "\"Principal\": {\"AWS\": \"arn:aws:iam::123456789012:root\"}", getObject, bucketObjects, "\"Condition\": {\"StringEquals\": {\"aws:PrincipalAccount\": \"123456789012\"}}"))),
    CheckCase("CONFIRM_AUDIENCE_CLAIM_TYPE", .resource, .roleTrustPolicy,
              trigger: policy(st(allow, "\"Action\": \"sts:AssumeRoleWithWebIdentity\"", "\"Principal\": {\"Federated\": \"accounts.google.com\"}",
                                 "\"Condition\": {\"ForAnyValue:StringEquals\": {\"accounts.google.com:aud\": \"app\"}}")),
              clean: policy(st(allow, "\"Action\": \"sts:AssumeRoleWithWebIdentity\"", "\"Principal\": {\"Federated\": \"accounts.google.com\"}",
                               "\"Condition\": {\"StringEquals\": {\"accounts.google.com:aud\": \"app\"}}"))),
    CheckCase("UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL", .resource, .s3Bucket,
              trigger: policy(st(allow, "\"Principal\": {\"Service\": \"cloudfront.amazonaws.com\"}", getObject, bucketObjects,
                                 "\"Condition\": {\"StringEquals\": {\"aws:SourceAccount\": \"123456789012\", \"aws:PrincipalOrgID\": \"o-abcdefghij\"}}")),
              clean: policy(st(allow, "\"Principal\": {\"Service\": \"cloudfront.amazonaws.com\"}", getObject, bucketObjects,
                               "\"Condition\": {\"StringEquals\": {\"aws:SourceAccount\": \"123456789012\"}}"))),
    CheckCase("MISSING_ACTION_FOR_CONDITION_KEY", .resource, .roleTrustPolicy,
              trigger: policy(trustSt("{\"AWS\": \"123456789012\"}", "\"Condition\": {\"StringEquals\": {\"sts:SourceIdentity\": \"me\"}}")),
              clean: policy(st(allow, "\"Action\": [\"sts:AssumeRole\", \"sts:SetSourceIdentity\"]", "\"Principal\": {\"AWS\": \"123456789012\"}",
                               "\"Condition\": {\"StringEquals\": {\"sts:SourceIdentity\": \"me\"}}"))),
]

let variableCases: [CheckCase] = [
    CheckCase("VARIABLE_UNSUPPORTED_IN_ELEMENT", trigger: policy(st(allow, "\"Action\": \"s3:${aws:username}\"", bucketObjects)),
              clean: policy(st(allow, getObject, "\"Resource\": \"arn:aws:s3:::bucket/${aws:username}/*\""))),
    CheckCase("VARIABLE_UNSUPPORTED_IN_VERSION", trigger: policy(st(allow, getObject, "\"Resource\": \"arn:aws:s3:::bucket/${aws:username}/*\""), version: false),
              clean: policy(st(allow, getObject, "\"Resource\": \"arn:aws:s3:::bucket/${aws:username}/*\""))),
    CheckCase("MISSING_BRACE_IN_VARIABLE", trigger: policy(st(allow, getObject, "\"Resource\": \"arn:aws:s3:::bucket/${aws:username/*\"")),
              clean: policy(st(allow, getObject, "\"Resource\": \"arn:aws:s3:::bucket/${aws:username}/*\""))),
    CheckCase("MISSING_QUOTE_IN_VARIABLE", trigger: policy(cond("{\"StringEquals\": {\"aws:PrincipalTag/team\": \"${aws:PrincipalTag/dept, none}\"}}")),
              clean: policy(cond("{\"StringEquals\": {\"aws:PrincipalTag/team\": \"${aws:PrincipalTag/dept, 'none'}\"}}"))),
    CheckCase("UNSUPPORTED_SPACE_IN_VARIABLE", trigger: policy(st(allow, getObject, "\"Resource\": \"arn:aws:s3:::bucket/${aws: username}/*\"")),
              clean: policy(st(allow, getObject, "\"Resource\": \"arn:aws:s3:::bucket/${aws:username}/*\""))),
    CheckCase("EMPTY_VARIABLE", trigger: policy(st(allow, getObject, "\"Resource\": \"arn:aws:s3:::bucket/${ }/*\"")),
              clean: policy(st(allow, getObject, "\"Resource\": \"arn:aws:s3:::bucket/${*}/*\""))),
    CheckCase("INVALID_VARIABLE_FOR_OPERATOR", trigger: policy(cond("{\"NumericLessThan\": {\"aws:MultiFactorAuthAge\": \"${aws:PrincipalTag/age}\"}}")),
              clean: policy(cond("{\"StringEquals\": {\"aws:PrincipalTag/team\": \"${aws:PrincipalTag/dept}\"}}"))),
]

func bigPolicy(statements: Int) -> String {
    policy((0..<statements).map { i in st(allow, "\"Action\": \"s3:GetObject\"", "\"Resource\": \"arn:aws:s3:::bucket-number-\(i)/*\"") }.joined(separator: ", "))
}

let scpAllow = st(allow, "\"Action\": \"s3:*\"", "\"Resource\": \"*\"")
let policyTypeCases: [CheckCase] = [
    CheckCase("SCP_SYNTAX_ERROR_PRINCIPAL", .serviceControl, trigger: policy(st(allow, "\"Principal\": \"*\"", "\"Action\": \"s3:*\"", "\"Resource\": \"*\"")), clean: policy(scpAllow)),
    CheckCase("SCP_SYNTAX_ERROR_NOTRESOURCE", .serviceControl, trigger: policy(st("\"Effect\": \"Deny\"", "\"Action\": \"s3:*\"", "\"NotResource\": \"arn:aws:s3:::b\"")),
              clean: policy(st("\"Effect\": \"Deny\"", "\"Action\": \"s3:*\"", "\"Resource\": \"arn:aws:s3:::b\""))),
    CheckCase("SCP_SYNTAX_ERROR_ALLOW_NOTACTION", .serviceControl, trigger: policy(st(allow, "\"NotAction\": \"iam:*\"", "\"Resource\": \"*\"")),
              clean: policy(st("\"Effect\": \"Deny\"", "\"NotAction\": \"iam:*\"", "\"Resource\": \"*\""))),
    CheckCase("SCP_SYNTAX_ERROR_ALLOW_CONDITION", .serviceControl,
              trigger: policy(st(allow, "\"Action\": \"s3:*\"", "\"Resource\": \"*\"", "\"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"true\"}}")),
              clean: policy(st("\"Effect\": \"Deny\"", "\"Action\": \"s3:*\"", "\"Resource\": \"*\"", "\"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"false\"}}"))),
    CheckCase("SCP_SYNTAX_ERROR_ALLOW_RESOURCE", .serviceControl, trigger: policy(st(allow, "\"Action\": \"s3:*\"", "\"Resource\": \"arn:aws:s3:::b\"")), clean: policy(scpAllow)),
    CheckCase("SCP_SYNTAX_ERROR_ACTION_WILDCARD", .serviceControl, trigger: policy(st(allow, "\"Action\": \"s3:*Object\"", "\"Resource\": \"*\"")), clean: policy(scpAllow)),
    CheckCase("POLICY_SIZE_EXCEEDS_SCP_QUOTA", .serviceControl, trigger: bigPolicy(statements: 80), clean: bigPolicy(statements: 2)),
    CheckCase("POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA", trigger: bigPolicy(statements: 100), clean: bigPolicy(statements: 2)),
    CheckCase("POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA", .resource, .roleTrustPolicy,
              trigger: policy((0..<40).map { _ in trustSt("{\"AWS\": \"arn:aws:iam::123456789012:role/a-rather-long-role-name\"}") }.joined(separator: ", ")),
              clean: policy(trustSt("{\"AWS\": \"123456789012\"}"))),
    CheckCase("POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA", .resource, .s3Bucket,
              trigger: policy((0..<200).map { i in st("\"Sid\": \"S\(i)\"", allow, "\"Principal\": {\"AWS\": \"arn:aws:iam::123456789012:root\"}", getObject, bucketObjects) }.joined(separator: ", ")),
              clean: policy(bucketSt)),
]

@Suite struct PolicyChecksTests {
    @Test(arguments: grammarCases + actionAndResourceCases + passRoleCases + principalCases + conditionCases + variableCases + policyTypeCases)
    func check(_ c: CheckCase) {
        let triggered = PolicyChecks.validate(c.trigger, type: c.type, resourceType: c.resourceType)
        #expect(triggered.contains { $0.issueCode == c.code }, "\(c.code) not raised; got \(triggered.map(\.issueCode))")
        if let f = triggered.first(where: { $0.issueCode == c.code }) {
            #expect(!f.locations.isEmpty)
            #expect(f.learnMoreLink.hasPrefix(ValidationFinding.referenceURL + "#access-analyzer-reference-policy-checks-"))
            #expect(!f.findingDetails.isEmpty)
        }
        let clean = codes(c.clean, c.type, c.resourceType)
        #expect(!clean.contains(c.code), "\(c.code) raised on the clean policy: \(clean)")
    }
}
