import Foundation
import Synchronization
import WardenCore
import WardenPolicy
import WardenStore

/// Authorization by the policy engine: the principal's policies from memory, compiled once and cached per
/// principal until the account changes, and a request context as AWS builds it.
public final class PolicyAuthorizer: Authorizer {
    /// Compiled policies by id and document text (shared across principals: AWS managed policies compile once).
    private let compiled = Mutex<[String: CompiledPolicy]>([:])
    /// Policy sets by principal, tagged with the account generation they were built from.
    private let sets = Mutex<[String: (generation: UInt64, set: PolicySet, readsResourceTags: Bool)]>([:])

    public init() {}

    func compile(_ id: String, _ document: String) -> CompiledPolicy? {
        // Keyed by id and text: two policies with the same text must still be named apart in explanations.
        let key = id + "\u{0}" + document
        if let c = compiled.withLock({ $0[key] }) { return c }
        guard let doc = try? PolicyDocument.parse(document, kind: .identity) else { return nil }
        let c = CompiledPolicy(doc, id: id)
        compiled.withLock { cache in
            if cache.count > 20_000 { cache.removeAll() }
            cache[key] = c
        }
        return c
    }

    /// The principal's identity policies, boundary and session policies, compiled.
    func policySet(_ call: Call, state: AccountState) -> PolicySet { principalPolicies(call, state: state).set }

    /// The compiled set, and whether any of its documents mentions resource tags (`…ResourceTag/…` in a condition
    /// or a variable): only then is the target entity looked up for `aws:ResourceTag/*` on each request.
    func principalPolicies(_ call: Call, state: AccountState) -> (set: PolicySet, readsResourceTags: Bool) {
        let p = call.caller.principal
        let cacheKey = p.arn + "\u{0}" + (call.caller.session.map { $0.accessKeyID } ?? "")
        if let hit = sets.withLock({ $0[cacheKey] }), hit.generation == state.generation { return (hit.set, hit.readsResourceTags) }
        let sources = PolicySources.forPrincipal(p, session: call.caller.session, state: state, service: call.service)
        var set = PolicySet()
        set.identity = sources.identity.compactMap { compile($0.id, $0.document) }
        set.boundary = sources.boundary.flatMap { compile($0.id, $0.document) }.map { [$0] }
        set.session = sources.session.map { $0.compactMap { compile($0.id, $0.document) } }
        let documents = sources.identity.map(\.document) + (sources.boundary.map { [$0.document] } ?? []) + (sources.session ?? []).map(\.document)
        let readsResourceTags = documents.contains { $0.range(of: "resourcetag/", options: .caseInsensitive) != nil }
        sets.withLock { cache in
            if cache.count > 50_000 { cache.removeAll() }
            cache[cacheKey] = (state.generation, set, readsResourceTags)
        }
        return (set, readsResourceTags)
    }

    public func authorize(_ call: Call, action: String, resource: String, context extra: [String: [String]],
                          grantedBySetting: Bool) throws {
        let p = call.caller.principal
        if action.lowercased() == "sts:getcalleridentity" { return }
        guard let state = call.service.store.account(p.account) else { throw denied(call, action, resource, "because the principal's account does not exist") }
        if let s = call.caller.session, let reason = Self.sessionRestriction(s, action: action.lowercased()) {
            throw ServiceError(.accessDenied, accessDeniedMessage(p.arn, action: action, resource: resource, reason: reason))
        }
        let policies = principalPolicies(call, state: state)
        var context = requestContext(call, state: state, extra: extra)
        if policies.readsResourceTags { addResourceTags(&context, resource: resource, state: state, extra: extra) }
        let request = AuthorizationRequest(principal: requestPrincipal(call, state: state), action: action, resource: resource,
                                           resourceAccount: call.account, context: context)
        let decision = WardenPolicy.Authorizer.evaluate(request, policies: policies.set)
        guard decision.effect == .allowed || (grantedBySetting && decision.effect != .explicitDeny) else {
            throw ServiceError(.accessDenied, decision.denialMessage(principalARN: p.arn, action: action, resourceARN: resource))
        }
    }

    /// What AWS forbids a kind of temporary credentials to call, whatever the policies say: credentials from
    /// GetSessionToken call IAM only with MFA and STS only for AssumeRole and GetCallerIdentity; credentials from
    /// GetFederationToken call no IAM operation and no STS operation but GetCallerIdentity.
    static func sessionRestriction(_ s: SessionClaims, action: String) -> String? {
        switch s.type {
        case "user", "root":
            if s.console == true { return nil }
            if action.hasPrefix("iam:"), !s.mfaAuthenticated {
                return "because temporary credentials from GetSessionToken can call the IAM API only when MFA information was included in the request"
            }
            if action.hasPrefix("sts:"), action != "sts:assumerole", action != "sts:getcalleridentity" {
                return "because temporary credentials from GetSessionToken can call only AssumeRole and GetCallerIdentity in the STS API"
            }
        case "federated":
            if action.hasPrefix("iam:") { return "because temporary credentials from GetFederationToken cannot call the IAM API" }
            if action.hasPrefix("sts:"), action != "sts:getcalleridentity" {
                return "because temporary credentials from GetFederationToken can call only GetCallerIdentity in the STS API"
            }
        default: break
        }
        return nil
    }

    public func authorizeTrust(_ call: Call, role: RoleRecord, roleARN: String, action: String, context extra: [String: [String]]) throws {
        let p = call.caller.principal
        if let s = call.caller.session, let reason = Self.sessionRestriction(s, action: action.lowercased()) {
            throw ServiceError(.accessDenied, accessDeniedMessage(p.arn, action: action, resource: roleARN, reason: reason))
        }
        guard let callerState = call.service.store.account(p.account),
              let trust = try? PolicyDocument.parse(role.assumeRolePolicy, kind: .trust) else {
            throw denied(call, action, roleARN, "")
        }
        let roleAccount = ARN.parse(roleARN)?.account ?? p.account
        var set = policySet(call, state: callerState)
        set.resource = CompiledPolicy(trust, id: roleARN + " trust policy")
        var context = requestContext(call, state: callerState, extra: extra)
        if !extra.keys.contains(where: { $0.hasPrefix("aws:ResourceTag/") }) {
            for t in role.tags {
                context.set("aws:ResourceTag/\(t.key)", .string(t.value))
                context.set("iam:ResourceTag/\(t.key)", .string(t.value))
            }
        }
        let request = AuthorizationRequest(principal: requestPrincipal(call, state: callerState), action: action, resource: roleARN,
                                           resourceAccount: roleAccount, context: context)
        let decision = WardenPolicy.Authorizer.evaluate(request, policies: set)
        // A role's trust policy must allow explicitly, even within the account: identity policies alone are not enough.
        let trustMatched = decision.matchedStatements.contains { $0.policyID == roleARN + " trust policy" && $0.effect == .allow }
        guard decision.effect == .allowed, trustMatched else {
            // AWS's message says nothing of why. Warden appends an encoded authorization message (as AWS does for
            // other services' denials) that a principal allowed sts:DecodeAuthorizationMessage can read.
            let message = AuthorizationMessage(
                allowed: false, explicitDeny: decision.effect == .explicitDeny,
                matchedStatements: decision.matchedStatements.map {
                    // The statement named by its policy and position (and Sid): `arn:…:role/R trust policy#2 (Sid)`.
                    AuthorizationMessage.Statement(statementId: "\($0.policyID)#\($0.index + 1)" + ($0.sid.map { " (\($0))" } ?? ""),
                                                   effect: $0.effect == .allow ? "Allow" : "Deny")
                },
                failures: decision.effect == .explicitDeny ? ["explicit deny"]
                    : trustMatched ? ["no identity-based policy allows \(action)"] : ["the role's trust policy does not allow \(action) for this principal"],
                context: .init(principal: .init(id: p.userID, name: p.name, arn: p.arn), action: action, resource: roleARN,
                               conditions: context.keys.map { .init(key: $0, values: context[$0]?.values ?? []) }))
            let encoded = call.service.encodeAuthorizationMessage(message, account: p.account)
            throw ServiceError(.accessDenied, "User: \(p.arn) is not authorized to perform: \(action) on resource: \(roleARN) Encoded authorization failure message: \(encoded)")
        }
    }

    /// `aws:ResourceTag/…` and `iam:ResourceTag/…` for the entity the request acts on, looked up in one place so
    /// that every operation on a tagged user, role, policy, instance profile, provider, certificate or MFA device
    /// carries them (an operation may pass its own, e.g. the tags before an untag).
    func addResourceTags(_ context: inout RequestContext, resource: String, state: AccountState, extra: [String: [String]]) {
        if extra.keys.contains(where: { $0.hasPrefix("aws:ResourceTag/") }) { return }
        guard let tags = state.resourceTags(resource) else { return }
        for t in tags {
            context.set("aws:ResourceTag/\(t.key)", .string(t.value))
            context.set("iam:ResourceTag/\(t.key)", .string(t.value))
        }
    }

    /// The engine's view of the caller: a role session knows its role (with path) and unique id.
    func requestPrincipal(_ call: Call, state: AccountState) -> RequestPrincipal {
        let p = call.caller.principal
        switch p.kind {
        case .assumedRole:
            let role = state.roles[p.name.lowercased()]
            return RequestPrincipal(arn: p.arn, parentARN: role.map(state.roleARN), uniqueID: role?.id)
        case .federatedUser:
            let parent = call.caller.session?.parentUser.flatMap { state.users[$0.lowercased()] }
            return RequestPrincipal(arn: p.arn, parentARN: parent.map(state.userARN))
        case .user:
            return RequestPrincipal(arn: p.arn, uniqueID: p.userID)
        case .root:
            return RequestPrincipal(arn: p.arn)
        }
    }

    func denied(_ call: Call, _ action: String, _ resource: String, _ reason: String) -> ServiceError {
        ServiceError(.accessDenied, accessDeniedMessage(call.caller.principal.arn, action: action, resource: resource, reason: reason))
    }

    /// The request context AWS builds for a call: principal keys, network and time keys, session keys, and the
    /// operation's own keys.
    func requestContext(_ call: Call, state: AccountState, extra: [String: [String]]) -> RequestContext {
        let p = call.caller.principal
        var c = RequestContext()
        // AssumeRoleWithWebIdentity and AssumeRoleWithSAML are unsigned: AWS's context has no principal keys for
        // them (the provider's own keys and aws:FederatedProvider stand in).
        let unsignedFederation = call.caller.federatedProvider != nil
        if !unsignedFederation {
            c.set("aws:PrincipalAccount", .string(p.account))
            c.set("aws:PrincipalType", .string(p.kind.rawValue))
            c.set("aws:userid", .string(p.userID))
        }
        var principalTags: [EntityTag] = []
        switch p.kind {
        case .user:
            c.set("aws:username", .string(p.name))
            c.set("aws:PrincipalArn", .string(p.arn))
            principalTags = state.users[p.name.lowercased()]?.tags ?? []
        case .assumedRole:
            if let r = state.roles[p.name.lowercased()] {
                c.set("aws:PrincipalArn", .string(state.roleARN(r)))
                principalTags = r.tags
            }
        case .root, .federatedUser:
            if !unsignedFederation { c.set("aws:PrincipalArn", .string(p.arn)) }
        }
        if let s = call.caller.session {
            principalTags.merge(s.tags)
            c.set("aws:MultiFactorAuthPresent", .string(s.mfaAuthenticated ? "true" : "false"))
            if s.mfaAuthenticated {
                c.set("aws:MultiFactorAuthAge", .string(String(Int(call.now.timeIntervalSince(s.mfaAuthenticatedAt ?? s.issued)))))
            }
            c.set("aws:TokenIssueTime", .string(WireTime.iso(s.issued)))
            if let si = s.sourceIdentity { c.set("aws:SourceIdentity", .string(si)) }
            if let fp = s.federatedProvider { c.set("aws:FederatedProvider", .string(fp)) }
        }
        for t in principalTags { c.set("aws:PrincipalTag/\(t.key)", .string(t.value)) }
        c.set("aws:SourceIp", .string(call.meta.sourceIP))
        c.set("aws:CurrentTime", .string(WireTime.iso(call.now)))
        c.set("aws:EpochTime", .string(String(Int(call.now.timeIntervalSince1970))))
        c.set("aws:SecureTransport", .string(call.meta.secureTransport ? "true" : "false"))
        c.set("aws:UserAgent", .string(call.meta.userAgent))
        c.set("aws:RequestedRegion", .string(call.meta.region))
        for (k, v) in extra { c.set(k, v.count == 1 && !k.lowercased().hasSuffix("tagkeys") ? .string(v[0]) : .strings(v)) }
        return c
    }
}

enum WireTime {
    static func iso(_ d: Date) -> String { d.formatted(.iso8601) }
}
