import Foundation
import WardenCore
import WardenStore
import WardenWire

extension WardenService {
    /// Clock skew tolerated on `exp`, `nbf` and `iat`.
    static let webIdentitySkew: TimeInterval = 60

    static func registerSTSWebIdentity(_ r: inout Registry) {
        r.on(.sts, "AssumeRoleWithWebIdentity", authorize: .inBody(because: trustPolicyCheck)) {
            (i: STS.AssumeRoleWithWebIdentityRequest, call) -> STS.AssumeRoleWithWebIdentityResponse in
            try await assumeRoleWithWebIdentity(i, call, keys: OIDCKeyFetcher.shared)
        }
    }

    static func invalidToken(_ message: String) -> ServiceError { ServiceError(.invalidIdentityToken, message) }

    /// The provider URL as IAM keys it (`host/path`, no scheme, no trailing slash).
    static func oidcProviderKey(_ url: String) -> String {
        var u = url
        for scheme in ["https://", "http://"] where u.lowercased().hasPrefix(scheme) { u = String(u.dropFirst(scheme.count)) }
        while u.hasSuffix("/") { u.removeLast() }
        return u
    }

    static func assumeRoleWithWebIdentity(_ i: STS.AssumeRoleWithWebIdentityRequest, _ call: Call, keys: OIDCKeyFetcher) async throws
        -> STS.AssumeRoleWithWebIdentityResponse {
        let action = "sts:AssumeRoleWithWebIdentity"
        let (account, _) = try federationRole(i.roleArn, action: action)
        if i.providerId != nil {
            throw invalidToken("ProviderId names an OAuth 2.0 provider (Login with Amazon, Facebook); Warden accepts OpenID Connect ID tokens from IAM OIDC providers only.")
        }
        let token: JWT
        do { token = try JWT.parse(i.webIdentityToken) } catch {
            throw invalidToken("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)")
        }
        guard let issuer = token.string("iss"), !issuer.isEmpty else { throw invalidToken("The ID Token has no iss claim.") }
        let key = oidcProviderKey(issuer)
        guard let state = call.service.store.account(account),
              let provider = state.oidcProviders.rows.values.first(where: { oidcProviderKey($0.url) == key }) else {
            throw invalidToken("No OpenIDConnect provider found in your account for \(issuer)")
        }
        // Time claims first, as AWS does: an expired token is ExpiredTokenException whatever else is wrong.
        let now = call.now
        guard let exp = token.date("exp") else { throw invalidToken("The ID Token has no exp claim.") }
        if now.timeIntervalSince(exp) > webIdentitySkew {
            throw ServiceError(.expiredTokenException, "Token expired: current date/time \(Int(now.timeIntervalSince1970)) must be before the expiration date/time\(Int(exp.timeIntervalSince1970))")
        }
        if let nbf = token.date("nbf"), nbf.timeIntervalSince(now) > webIdentitySkew {
            throw invalidToken("Token is not yet valid: nbf \(Int(nbf.timeIntervalSince1970)) is after the current time \(Int(now.timeIntervalSince1970)).")
        }
        if let iat = token.date("iat"), iat.timeIntervalSince(now) > webIdentitySkew {
            throw invalidToken("Token was issued in the future: iat \(Int(iat.timeIntervalSince1970)).")
        }
        // The audience: AWS uses `azp` when the token has one, otherwise `aud`, and requires a registered client id.
        let clientIDs = Set(provider.clientIDs)
        let audiences = token.audiences
        let audience: String
        if let azp = token.string("azp"), clientIDs.contains(azp) {
            audience = azp
        } else if let a = audiences.first(where: { clientIDs.contains($0) }) {
            audience = a
        } else {
            throw invalidToken("Incorrect token audience")
        }
        guard let subject = token.string("sub"), !subject.isEmpty else {
            throw ServiceError(.idpRejectedClaim, "The ID Token has no sub claim.")
        }
        // Keys come from the registered provider's URL, never from wherever the token points: https, or plain
        // http to loopback when WARDEN_ALLOW_INSECURE_OIDC_ISSUERS=1 (tests), in which case the token's issuer
        // may use either scheme.
        let secureIssuer = "https://\(key)"
        let insecureIssuer = "http://\(key)"
        let fetchFrom: String
        if issuer == secureIssuer || issuer == secureIssuer + "/" {
            fetchFrom = (URL(string: insecureIssuer).map(keys.allowed) ?? false) ? insecureIssuer : secureIssuer
        } else if issuer == insecureIssuer || issuer == insecureIssuer + "/", (URL(string: insecureIssuer).map(keys.allowed) ?? false) {
            fetchFrom = insecureIssuer
        } else {
            throw invalidToken("No OpenIDConnect provider found in your account for \(issuer)")
        }
        let candidates: [JWK]
        do { candidates = try await keys.keys(issuer: fetchFrom, for: token, now: now) } catch {
            throw ServiceError(.idpCommunicationError, "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements")
        }
        guard candidates.contains(where: { token.verify(with: $0) }) else {
            throw invalidToken("Couldn't verify the signature of the ID Token with the keys of the identity provider (algorithm `\(token.algorithm)`).")
        }

        // Condition keys of the trust policy: `<provider>:sub`, `:aud`, `:oaud`, `:amr`, `:azp`, `:email`, …
        var context: [String: [String]] = [:]
        context["\(key):sub"] = [subject]
        context["\(key):aud"] = [audience]
        let other = audiences.filter { $0 != audience }
        if !other.isEmpty { context["\(key):oaud"] = other }
        for claim in ["amr", "azp", "email", "iss", "oaud"] where context["\(key):\(claim)"] == nil {
            let v = token.stringValues(claim)
            if !v.isEmpty { context["\(key):\(claim)"] = v }
        }
        // Session tags and source identity from the AWS claims namespace.
        var tagPairs: [(String, String)] = []
        var transitive: [String] = []
        if let t = token.claims["https://aws.amazon.com/tags"] as? [String: Any] {
            for (k, v) in (t["principal_tags"] as? [String: Any]) ?? [:] {
                if let s = v as? String { tagPairs.append((k, s)) } else if let a = v as? [Any], let s = a.first as? String { tagPairs.append((k, s)) }
            }
            transitive = (t["transitive_tag_keys"] as? [Any])?.compactMap { $0 as? String } ?? []
        }
        let (tags, trans) = try providerTags(tagPairs.sorted { $0.0 < $1.0 }, transitive: transitive)
        let sourceIdentity = token.string("https://aws.amazon.com/source_identity")

        let issued = try issueFederatedSession(call, roleArn: i.roleArn, action: action, provider: provider.arn, subject: subject,
                                               sessionName: i.roleSessionName, durationSeconds: i.durationSeconds, context: context,
                                               tags: tags, transitive: trans, sourceIdentity: sourceIdentity,
                                               policy: i.policy, policyArns: i.policyArns)
        return STS.AssumeRoleWithWebIdentityResponse(
            credentials: issued.credentials, subjectFromWebIdentityToken: subject, assumedRoleUser: issued.user,
            packedPolicySize: issued.packed, provider: provider.arn, audience: audience, sourceIdentity: sourceIdentity)
    }
}
