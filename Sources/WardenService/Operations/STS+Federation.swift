import Foundation
import WardenCore
import WardenStore
import WardenWire

extension Caller {
    /// The caller of an unsigned federation call (AssumeRoleWithWebIdentity, AssumeRoleWithSAML) before its
    /// token is checked: nobody. No operation but those two accepts it (see `WardenService.handleUnsigned`).
    static let anonymous = Caller(principal: Principal(kind: .federatedUser, account: "", arn: "", userID: "", name: ""), accessKeyID: "")

    /// The caller of a federation call once its token or assertion verified: the identity provider, as a trust
    /// policy names it in `"Principal": {"Federated": ARN}`. INVARIANT: `accessKeyID` is empty and `principal.arn`
    /// is the provider's ARN; `federatedProvider` tells authorizers to match `Principal.Federated`.
    static func federated(provider: String, account: String, subject: String) -> Caller {
        Caller(principal: Principal(kind: .federatedUser, account: account, arn: provider, userID: provider, name: subject),
               accessKeyID: "")
    }

    /// For federation calls (web identity, SAML): the provider ARN the trust policy must name as `Federated`.
    public var federatedProvider: String? {
        guard accessKeyID.isEmpty, principal.kind == .federatedUser,
              principal.arn.contains(":oidc-provider/") || principal.arn.contains(":saml-provider/") else { return nil }
        return principal.arn
    }
}

extension WardenService {
    /// The STS actions AWS serves without a signature: their token or assertion is the credential.
    public static let unsignedSTSActions: Set<String> = ["AssumeRoleWithWebIdentity", "AssumeRoleWithSAML"]

    /// Runs an unsigned STS call; only the actions in `unsignedSTSActions` are accepted.
    public func handleUnsigned(params: QueryParameters, meta: RequestMeta) async -> Response {
        guard let action = params.action, Self.unsignedSTSActions.contains(action) else {
            return queryErrorResponse(.sts, ServiceError(.missingAuthenticationToken, "Request is missing Authentication Token"), meta)
        }
        return await handle(.sts, params: params, caller: .anonymous, meta: meta)
    }

    /// The role a federation call names, looked up in its own account; AWS answers AccessDenied for a role that
    /// does not exist, without saying so.
    static func federationRole(_ roleArn: String, action: String) throws -> (account: String, arnParts: ARN.Parts) {
        guard let parts = ARN.parse(roleArn), parts.service == "iam", let pn = ARN.pathAndName(ofResource: parts.resource),
              pn.type == "role", parts.account.count == 12 else {
            throw ServiceError(.validationError, "\(roleArn) is invalid")
        }
        return (parts.account, parts)
    }

    /// Checks DurationSeconds against the role's maximum.
    static func federationDuration(_ requested: Int?, role: RoleRecord) throws -> Int {
        let duration = requested ?? 3600
        if duration > role.maxSessionDuration {
            throw ServiceError(.validationError, "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
        }
        return duration
    }

    /// Session tags from an identity provider: `principal_tags` / `transitive_tag_keys` (web identity) or the
    /// PrincipalTag and TransitiveTagKeys attributes (SAML). AWS limits: 50 tags, keys up to 128, values up to 256.
    static func providerTags(_ tags: [(String, String)], transitive: [String]) throws -> (tags: [EntityTag], transitive: [String]) {
        if tags.count > 50 { throw ServiceError(.invalidParameterValue, "The number of session tags exceeds 50.") }
        var seen = Set<String>()
        var out: [EntityTag] = []
        for (k, v) in tags {
            guard !k.isEmpty, k.count <= 128, v.count <= 256, seen.insert(k.lowercased()).inserted else {
                throw ServiceError(.invalidParameterValue, "The session tag `\(k)` is invalid or duplicated.")
            }
            out.append(EntityTag(key: k, value: v))
        }
        return (out, transitive.filter { k in out.contains { $0.key.lowercased() == k.lowercased() } })
    }

    /// Authorizes and issues a role session for a verified federated identity; shared by web identity and SAML.
    static func issueFederatedSession(_ call: Call, roleArn: String, action: String, provider: String, subject: String,
                                      sessionName: String, durationSeconds: Int?, context baseContext: [String: [String]],
                                      tags: [EntityTag], transitive: [String], sourceIdentity: String?,
                                      policy: String?, policyArns: [STS.PolicyDescriptorType]?) throws
        -> (credentials: STS.Credentials, user: STS.AssumedRoleUser, packed: Int?) {
        let (account, parts) = try federationRole(roleArn, action: action)
        let denied = ServiceError(.accessDenied, "Not authorized to perform \(action)")
        guard let state = call.service.store.account(account), let pn = ARN.pathAndName(ofResource: parts.resource),
              let role = state.roles[pn.name.lowercased()], state.roleARN(role) == roleArn || "arn:aws:iam::\(account):role/\(role.name)" == roleArn else {
            throw denied
        }
        let roleARN = state.roleARN(role)
        let duration = try federationDuration(durationSeconds, role: role)
        let fedCall = Call(service: call.service, caller: .federated(provider: provider, account: account, subject: subject),
                           meta: call.meta, action: action)
        var context = baseContext
        context["sts:RoleSessionName"] = [sessionName]
        context["aws:FederatedProvider"] = [provider]
        for t in tags { context["aws:RequestTag/\(t.key)"] = [t.value] }
        if !tags.isEmpty { context["aws:TagKeys"] = tags.map(\.key) }
        if !transitive.isEmpty { context["sts:TransitiveTagKeys"] = transitive }
        if let s = sourceIdentity { context["sts:SourceIdentity"] = [s] }
        do {
            try fedCall.authorizeTrust(role: role, roleARN: roleARN, action: action, context: context)
            if !tags.isEmpty { try fedCall.authorizeTrust(role: role, roleARN: roleARN, action: "sts:TagSession", context: context) }
            if sourceIdentity != nil {
                try fedCall.authorizeTrust(role: role, roleARN: roleARN, action: "sts:SetSourceIdentity", context: context)
            }
        } catch let e as ServiceError where e.code == .accessDenied {
            throw denied
        }
        call.authorizations.allow(roleARN)  // the provider's identity passed the trust policy
        // Session policies are resolved in the role's account (the caller has none).
        let policyCall = Call(service: call.service, caller: Caller(principal: .root(account), accessKeyID: ""), meta: call.meta, action: action)
        let (policies, arns, packed) = try sessionPolicies(policy, policyArns, tags: tags, policyCall)
        var claims = SessionClaims(account: account, type: "role", name: role.name,
                                   accessKeyID: Identifiers.accessKeyID(temporary: true, account: account), secret: Identifiers.secretAccessKey(),
                                   issued: call.now, expires: call.now.addingTimeInterval(TimeInterval(duration)), mfaAuthenticated: false)
        claims.roleID = role.id
        claims.sessionName = sessionName
        claims.sessionPolicies = policies
        claims.sessionPolicyArns = arns
        claims.tags = tags
        claims.transitiveTagKeys = transitive
        claims.sourceIdentity = sourceIdentity
        claims.sourceARN = provider
        claims.federatedProvider = provider
        try? call.service.store.write(account: account) { state in
            if var r = state.roles[role.name.lowercased()] {
                r.lastUsedDate = call.now
                r.lastUsedRegion = call.meta.region
                state.roles[r.name.lowercased()] = r
            }
        }
        let user = STS.AssumedRoleUser(assumedRoleId: "\(role.id):\(sessionName)",
                                       arn: ARN.assumedRole(account, role: role.name, session: sessionName))
        return (call.service.credentials(claims), user, packed)
    }
}
