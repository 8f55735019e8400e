import Foundation
import WardenCore
import WardenStore
import WardenWire

extension WardenService {
    static func registerSTSSessions(_ r: inout Registry) {
        // The federation operations issue role sessions too; they live in their own files.
        registerSTSWebIdentity(&r)
        registerSTSSAML(&r)
        registerSTSDecodeAuthorizationMessage(&r)

        r.on(.sts, "AssumeRole", authorize: .inBody(because: trustPolicyCheck)) { (i: STS.AssumeRoleRequest, call) -> STS.AssumeRoleResponse in
            try assumeRole(i, call)
        }

        r.on(.sts, "GetSessionToken", authorize: .documentedFree) { (i: STS.GetSessionTokenRequest, call) -> STS.GetSessionTokenResponse in
            let p = call.caller.principal
            guard call.caller.session == nil, p.kind == .user || p.kind == .root else {
                throw ServiceError(.accessDenied, "Cannot call GetSessionToken with session credentials")
            }
            // The root user's sessions last at most an hour: a longer request is shortened, as in AWS.
            let requested = i.durationSeconds ?? 43_200
            let duration = p.kind == .root ? min(requested, 3600) : requested
            // No permission is needed: GetSessionToken authenticates (AWS: policies cannot control it).
            var mfa = false
            if let serial = i.serialNumber {
                guard let code = i.tokenCode, try verifyMFA(call, serial: serial, code: code, owner: p.kind == .root ? "root" : p.name) else {
                    throw ServiceError(.accessDenied, "MultiFactorAuthentication failed with invalid MFA one time pass code. ")
                }
                mfa = true
            }
            var claims = SessionClaims(account: call.account, type: p.kind == .root ? "root" : "user", name: p.name,
                                       accessKeyID: Identifiers.accessKeyID(temporary: true, account: call.account), secret: Identifiers.secretAccessKey(),
                                       issued: call.now, expires: call.now.addingTimeInterval(TimeInterval(duration)), mfaAuthenticated: mfa)
            claims.mfaAuthenticatedAt = mfa ? call.now : nil
            claims.userID = p.kind == .user ? p.userID : nil
            claims.sourceARN = p.arn
            return STS.GetSessionTokenResponse(credentials: call.service.credentials(claims))
        }

        r.on(.sts, "GetFederationToken", authorize: .declared { i, call in
            let p = call.caller.principal
            guard call.caller.session == nil, p.kind == .user || p.kind == .root else {
                throw ServiceError(.accessDenied, "Cannot call GetFederationToken with session credentials")
            }
            return [Requirement(ARN.federatedUser(call.account, name: i.name), tags: try sessionTags(i.tags))]
        }) { (i: STS.GetFederationTokenRequest, call) -> STS.GetFederationTokenResponse in
            let p = call.caller.principal
            let requested = i.durationSeconds ?? 43_200
            let duration = p.kind == .root ? min(requested, 3600) : requested
            let arn = ARN.federatedUser(call.account, name: i.name)
            let tags = try sessionTags(i.tags)
            let (policies, arns, packed) = try sessionPolicies(i.policy, i.policyArns, tags: tags, call)
            var claims = SessionClaims(account: call.account, type: "federated", name: i.name,
                                       accessKeyID: Identifiers.accessKeyID(temporary: true, account: call.account), secret: Identifiers.secretAccessKey(),
                                       issued: call.now, expires: call.now.addingTimeInterval(TimeInterval(duration)), mfaAuthenticated: false)
            claims.parentUser = p.kind == .user ? p.name : nil
            claims.userID = p.kind == .user ? p.userID : nil
            claims.sessionPolicies = policies
            claims.sessionPolicyArns = arns
            claims.tags = tags
            claims.sourceARN = p.arn
            return STS.GetFederationTokenResponse(
                credentials: call.service.credentials(claims),
                federatedUser: STS.FederatedUser(federatedUserId: "\(call.account):\(i.name)", arn: arn), packedPolicySize: packed)
        }

        r.on(.sts, "GetAccessKeyInfo", authorize: .anyResource) { (i: STS.GetAccessKeyInfoRequest, call) -> STS.GetAccessKeyInfoResponse in
            if let state = call.service.store.accountForAccessKey(i.accessKeyId) {
                return STS.GetAccessKeyInfoResponse(account: state.account.id)
            }
            // Warden's key ids encode their account as AWS's do, so session keys and deleted keys answer too.
            if let account = Identifiers.account(ofAccessKeyID: i.accessKeyId) { return STS.GetAccessKeyInfoResponse(account: account) }
            throw ServiceError(.invalidParameterValue, "The access key \(i.accessKeyId) is not in a format that names an account.")
        }
    }

    /// Why the role-session operations authorize in their body: the role's trust policy (and, for AssumeRole, the
    /// caller's identity policies) decide, with the role and its account known only once the request's role ARN
    /// is found, and the session's context (tags, source identity, MFA) built from the request and the caller's
    /// session.
    static let trustPolicyCheck = "the role's trust policy decides, on a role found from the request's role ARN"

    /// Validates session tags: at most 50, keys unique case-insensitively.
    static func sessionTags(_ tags: [STS.Tag]?) throws -> [EntityTag] {
        guard let tags else { return [] }
        if tags.count > 50 { throw ServiceError(.validationError, "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50") }
        var seen = Set<String>()
        for t in tags where !seen.insert(t.key.lowercased()).inserted {
            throw ServiceError.invalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
        }
        return tags.map { EntityTag(key: $0.key, value: $0.value) }
    }

    /// Validates an inline session policy and managed session policy ARNs; returns them and the packed size
    /// (percent of the limit AWS allows for session policies and tags).
    /// Session tags count too: their keys and values are packed with the policies, so many long tags can exceed
    /// the limit on their own.
    static func sessionPolicies(_ policy: String?, _ arns: [STS.PolicyDescriptorType]?, tags: [EntityTag], _ call: Call) throws -> ([String], [String], Int?) {
        var docs: [String] = []
        if let policy {
            do { try PolicyDocuments.validate(policy, kind: .session) } catch let e as ServiceError {
                throw ServiceError(.malformedPolicyDocument, e.message)
            }
            docs.append(policy)
        }
        let list = (arns ?? []).compactMap(\.arn)
        if list.count > 10 { throw ServiceError(.validationError, "1 validation error detected: Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10") }
        let state = try call.state()
        for arn in list { try state.checkPolicyExists(arn, service: call.service) }
        if docs.isEmpty && list.isEmpty && tags.isEmpty { return ([], [], nil) }
        let size = docs.reduce(0) { $0 + PolicyDocuments.size($1) } + list.reduce(0) { $0 + $1.utf8.count / 4 }
            + tags.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count + 2 }
        let packed = max(1, size * 100 / 2048)
        if packed > 100 {
            throw ServiceError(.packedPolicyTooLarge, "Packed policy consumes \(packed)% of allotted space, please use smaller policy.")
        }
        return (docs, list, packed)
    }

    static func assumeRole(_ i: STS.AssumeRoleRequest, _ call: Call) throws -> STS.AssumeRoleResponse {
        let p = call.caller.principal
        let denied = ServiceError(.accessDenied, "User: \(p.arn) is not authorized to perform: sts:AssumeRole on resource: \(i.roleArn)")
        if p.kind == .root { throw ServiceError(.accessDenied, "Roles may not be assumed by root accounts.") }
        guard let parts = ARN.parse(i.roleArn), parts.service == "iam", let pn = ARN.pathAndName(ofResource: parts.resource), pn.type == "role" else {
            throw ServiceError(.validationError, "\(i.roleArn) is invalid")
        }
        guard let roleAccount = call.service.store.account(parts.account), let role = roleAccount.roles[pn.name.lowercased()],
              roleAccount.roleARN(role) == i.roleArn || "arn:aws:iam::\(parts.account):role/\(role.name)" == i.roleArn else { throw denied }
        let roleARN = roleAccount.roleARN(role)

        let chained = call.caller.session?.type == "role"
        let maxDuration = chained ? 3600 : role.maxSessionDuration
        let duration = i.durationSeconds ?? 3600
        if duration > maxDuration {
            throw ServiceError(.validationError, "The requested DurationSeconds exceeds the \(chained ? "1 hour session limit for roles assumed by role chaining" : "MaxSessionDuration set for this role").")
        }
        var tags = try sessionTags(i.tags)
        // Transitive tags of a chained session carry over and cannot be overridden.
        if let parent = call.caller.session, chained {
            for key in parent.transitiveTagKeys {
                if let t = parent.tags.first(where: { $0.key.lowercased() == key.lowercased() }) {
                    if tags.contains(where: { $0.key.lowercased() == key.lowercased() && $0.value != t.value }) {
                        throw ServiceError.invalidInput("One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.")
                    }
                    tags.merge([t])
                }
            }
        }
        let transitive = (i.transitiveTagKeys ?? []) + (chained ? call.caller.session!.transitiveTagKeys : [])
        for key in i.transitiveTagKeys ?? [] where !tags.contains(where: { $0.key.lowercased() == key.lowercased() }) {
            throw ServiceError.invalidInput("The specified transitive tag key must be included in the requested tags.")
        }

        var mfa = call.caller.session?.mfaAuthenticated ?? false
        var mfaAt = call.caller.session.flatMap { $0.mfaAuthenticated ? ($0.mfaAuthenticatedAt ?? $0.issued) : nil }
        if let serial = i.serialNumber {
            guard p.kind == .user || p.kind == .root, let code = i.tokenCode,
                  try verifyMFA(call, serial: serial, code: code, owner: p.kind == .root ? "root" : p.name) else {
                throw ServiceError(.accessDenied, "MultiFactorAuthentication failed with invalid MFA one time pass code. ")
            }
            mfa = true
            mfaAt = call.now
        }
        // A source identity, once set, stays with every session chained from it.
        let parentSourceIdentity = call.caller.session?.sourceIdentity
        if let parentSourceIdentity, let requested = i.sourceIdentity, requested != parentSourceIdentity {
            throw ServiceError(.accessDenied, "User: \(p.arn) is not authorized to perform: sts:SetSourceIdentity on resource: \(roleARN) because the source identity of the calling session cannot be changed")
        }
        let sourceIdentity = i.sourceIdentity ?? parentSourceIdentity

        var context: [String: [String]] = ["sts:RoleSessionName": [i.roleSessionName]]
        if let e = i.externalId { context["sts:ExternalId"] = [e] }
        if let s = sourceIdentity { context["sts:SourceIdentity"] = [s] }
        if i.serialNumber != nil {
            context["aws:MultiFactorAuthPresent"] = ["true"]
            context["aws:MultiFactorAuthAge"] = ["0"]
        }
        for t in tags { context["aws:RequestTag/\(t.key)"] = [t.value] }
        if !tags.isEmpty { context["aws:TagKeys"] = tags.map(\.key) }
        if !transitive.isEmpty { context["sts:TransitiveTagKeys"] = transitive }
        try call.authorizeTrust(role: role, roleARN: roleARN, action: "sts:AssumeRole", context: context)
        if !tags.isEmpty {
            try call.authorizeTrust(role: role, roleARN: roleARN, action: "sts:TagSession", context: context)
        }
        // A chained session that carries a source identity needs sts:SetSourceIdentity in each later trust policy.
        if sourceIdentity != nil {
            try call.authorizeTrust(role: role, roleARN: roleARN, action: "sts:SetSourceIdentity", context: context)
        }
        let (policies, arns, packed) = try sessionPolicies(i.policy, i.policyArns, tags: tags, call)

        var claims = SessionClaims(account: parts.account, type: "role", name: role.name,
                                   accessKeyID: Identifiers.accessKeyID(temporary: true, account: parts.account), secret: Identifiers.secretAccessKey(),
                                   issued: call.now, expires: call.now.addingTimeInterval(TimeInterval(duration)), mfaAuthenticated: mfa)
        claims.mfaAuthenticatedAt = mfaAt
        claims.roleID = role.id
        claims.sessionName = i.roleSessionName
        claims.sessionPolicies = policies
        claims.sessionPolicyArns = arns
        claims.tags = tags
        claims.transitiveTagKeys = transitive
        claims.sourceIdentity = sourceIdentity
        claims.chained = chained
        claims.sourceARN = p.arn
        try? call.service.store.write(account: parts.account) { state in
            if var r = state.roles[role.name.lowercased()] {
                r.lastUsedDate = call.now
                r.lastUsedRegion = call.meta.region
                state.roles[r.name.lowercased()] = r
            }
        }
        return STS.AssumeRoleResponse(
            credentials: call.service.credentials(claims),
            assumedRoleUser: STS.AssumedRoleUser(assumedRoleId: "\(role.id):\(i.roleSessionName)",
                                                 arn: ARN.assumedRole(parts.account, role: role.name, session: i.roleSessionName)),
            packedPolicySize: packed, sourceIdentity: sourceIdentity)
    }

    /// STS credentials for a session.
    func credentials(_ claims: SessionClaims) -> STS.Credentials {
        STS.Credentials(accessKeyId: claims.accessKeyID, secretAccessKey: claims.secret, sessionToken: sessionToken(for: claims), expiration: claims.expires)
    }
}
