import WardenCore
import WardenWire

/// Operations of features Warden does not have (AWS Organizations, delegation requests, outbound web identity
/// federation). Each one authorizes like any other call and then answers the error AWS gives an account where
/// the feature is off, so clients see AWS behaviour rather than an unknown action.
extension WardenService {
    static func registerUnavailableFeatures(_ r: inout Registry) {
        // STS: AssumeRoot needs centralized root access, an AWS Organizations feature.
        r.on(.sts, "AssumeRoot", authorize: .resource { i, _ in assumeRootTarget(i) }) { (i: STS.AssumeRootRequest, call) -> STS.AssumeRootResponse in
            let target = assumeRootTarget(i)
            throw ServiceError(.accessDenied, accessDeniedMessage(call.caller.principal.arn, action: "sts:AssumeRoot", resource: target,
                reason: "because centralized root access is not enabled: the account is not a member of an organization"))
        }
        // STS: no delegation request exists, so no trade-in token is valid.
        r.on(.sts, "GetDelegatedAccessToken", authorize: .anyResource) { (_: STS.GetDelegatedAccessTokenRequest, call) -> STS.GetDelegatedAccessTokenResponse in
            throw ServiceError(.expiredTradeInToken, "The trade-in token is not valid or has expired.")
        }
        // STS: outbound web identity federation is disabled in every Warden account.
        r.on(.sts, "GetWebIdentityToken", authorize: .anyResource) { (_: STS.GetWebIdentityTokenRequest, call) -> STS.GetWebIdentityTokenResponse in
            throw outboundFederationDisabled
        }
        r.on(.iam, "GetOutboundWebIdentityFederationInfo", authorize: .anyResource) { (call: Call) -> IAM.GetOutboundWebIdentityFederationInfoResponse in
            throw ServiceError(.featureDisabled, "Outbound web identity federation is not enabled for this account.")
        }
        r.on(.iam, "DisableOutboundWebIdentityFederation", authorize: .anyResource) { (call: Call) in
            throw ServiceError(.featureDisabled, "Outbound web identity federation is already disabled for this account.")
        }
        // IAM: the centralized root access features of AWS Organizations.
        for name in ["ListOrganizationsFeatures", "EnableOrganizationsRootCredentialsManagement", "EnableOrganizationsRootSessions",
                     "DisableOrganizationsRootCredentialsManagement", "DisableOrganizationsRootSessions"] {
            r.on(.iam, name, authorize: .anyResource) { (call: Call) in
                throw organizationNotFound
            }
        }
        // IAM: the access advisor's reports for AWS Organizations entities need an organization (and its management
        // account). The report's resource is `access-report/ENTITY-PATH`; reading a report has no resource type.
        r.on(.iam, "GenerateOrganizationsAccessReport", authorize: .resource { i, call in "arn:aws:iam::\(call.account):access-report/\(i.entityPath)" }) {
            (i: IAM.GenerateOrganizationsAccessReportRequest, call) -> IAM.GenerateOrganizationsAccessReportResponse in
            throw organizationNotFound
        }
        r.on(.iam, "GetOrganizationsAccessReport", authorize: .anyResource) {
            (_: IAM.GetOrganizationsAccessReportRequest, call) -> IAM.GetOrganizationsAccessReportResponse in
            throw organizationNotFound
        }
        // IAM: the token version that STS's global endpoint issues (reported in GetAccountSummary). Warden's
        // session tokens are valid in every region whichever version is chosen.
        r.on(.iam, "SetSecurityTokenServicePreferences", authorize: .anyResource) { (i: IAM.SetSecurityTokenServicePreferencesRequest, call) in
            try call.write { state in state.updateAccount { $0.globalEndpointTokenVersion = i.globalEndpointTokenVersion.rawValue } }
        }
    }

    /// The member account (or principal) AssumeRoot is authorized on.
    static func assumeRootTarget(_ i: STS.AssumeRootRequest) -> String {
        Identifiers.isAccountID(i.targetPrincipal) ? "arn:aws:iam::\(i.targetPrincipal):root" : i.targetPrincipal
    }

    /// The operations registered here, for the compatibility matrix.
    static let featureOffOperations: Set<String> = [
        "AssumeRoot", "GetDelegatedAccessToken", "GetWebIdentityToken", "GetOutboundWebIdentityFederationInfo",
        "DisableOutboundWebIdentityFederation", "ListOrganizationsFeatures", "EnableOrganizationsRootCredentialsManagement",
        "EnableOrganizationsRootSessions", "DisableOrganizationsRootCredentialsManagement", "DisableOrganizationsRootSessions",
        "GenerateOrganizationsAccessReport", "GetOrganizationsAccessReport",
    ]

    static let organizationNotFound = ServiceError(
        .organizationNotFound, "The request failed because your account is not a member of an organization.")

    static let outboundFederationDisabled = ServiceError(
        .outboundWebIdentityFederationDisabled,
        "The outbound web identity federation feature is not enabled for this account.")
}
