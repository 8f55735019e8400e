import WardenCore
import WardenWire

/// Operations of features Warden does not have (AWS Organizations, delegation requests, outbound web identity
/// federation). Each one authorizes like any other call and then answers the error AWS gives an account where
/// the feature is off, so clients see AWS behaviour rather than an unknown action.
extension WardenService {
    static func registerUnavailableFeatures(_ r: inout Registry) {
        // STS: AssumeRoot needs centralized root access, an AWS Organizations feature.
        r.on(.sts, "AssumeRoot") { (i: STS.AssumeRootRequest, call) -> STS.AssumeRootResponse in
            let target = Identifiers.isAccountID(i.targetPrincipal) ? "arn:aws:iam::\(i.targetPrincipal):root" : i.targetPrincipal
            try call.authorize(target)
            throw ServiceError(.accessDenied, accessDeniedMessage(call.caller.principal.arn, action: "sts:AssumeRoot", resource: target,
                reason: "because centralized root access is not enabled: the account is not a member of an organization"))
        }
        // STS: no delegation request exists, so no trade-in token is valid.
        r.on(.sts, "GetDelegatedAccessToken") { (_: STS.GetDelegatedAccessTokenRequest, call) -> STS.GetDelegatedAccessTokenResponse in
            try call.authorize("*")
            throw ServiceError(.expiredTradeInToken, "The trade-in token is not valid or has expired.")
        }
        // STS: outbound web identity federation is disabled in every Warden account.
        r.on(.sts, "GetWebIdentityToken") { (_: STS.GetWebIdentityTokenRequest, call) -> STS.GetWebIdentityTokenResponse in
            try call.authorize("*")
            throw outboundFederationDisabled
        }
        r.on(.iam, "GetOutboundWebIdentityFederationInfo") { (call: Call) -> IAM.GetOutboundWebIdentityFederationInfoResponse in
            try call.authorize("*")
            throw ServiceError(.featureDisabled, "Outbound web identity federation is not enabled for this account.")
        }
        r.on(.iam, "DisableOutboundWebIdentityFederation") { (call: Call) in
            try call.authorize("*")
            throw ServiceError(.featureDisabled, "Outbound web identity federation is already disabled for this account.")
        }
        // IAM: the centralized root access features of AWS Organizations.
        for name in ["ListOrganizationsFeatures", "EnableOrganizationsRootCredentialsManagement", "EnableOrganizationsRootSessions",
                     "DisableOrganizationsRootCredentialsManagement", "DisableOrganizationsRootSessions"] {
            r.on(.iam, name) { (call: Call) in
                try call.authorize("*")
                throw organizationNotFound
            }
        }
        // IAM: the access advisor's reports for AWS Organizations entities need an organization (and its management
        // account). The report's resource is `access-report/ENTITY-PATH`; reading a report has no resource type.
        r.on(.iam, "GenerateOrganizationsAccessReport") {
            (i: IAM.GenerateOrganizationsAccessReportRequest, call) -> IAM.GenerateOrganizationsAccessReportResponse in
            try call.authorize("arn:aws:iam::\(call.account):access-report/\(i.entityPath)")
            throw organizationNotFound
        }
        r.on(.iam, "GetOrganizationsAccessReport") {
            (_: IAM.GetOrganizationsAccessReportRequest, call) -> IAM.GetOrganizationsAccessReportResponse in
            try call.authorize("*")
            throw organizationNotFound
        }
        // IAM: the token version that STS's global endpoint issues (reported in GetAccountSummary). Warden's
        // session tokens are valid in every region whichever version is chosen.
        r.on(.iam, "SetSecurityTokenServicePreferences") { (i: IAM.SetSecurityTokenServicePreferencesRequest, call) in
            try call.authorize("*")
            try call.write { state in state.updateAccount { $0.globalEndpointTokenVersion = i.globalEndpointTokenVersion.rawValue } }
        }
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
