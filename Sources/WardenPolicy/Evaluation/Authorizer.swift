/// AWS's policy evaluation logic for a single decision (User Guide, "Policy evaluation logic" and
/// "Cross-account policy evaluation logic").
///
/// 1. An explicit Deny in any applicable policy wins (RCPs, SCPs, resource-based, identity-based, permissions
///    boundary, session policies, checked in that order).
/// 2. Every RCP level, then every SCP level, must allow.
/// 3. The root user is allowed (within its account; a cross-account resource still needs its resource policy).
/// 4. Cross-account: the identity side (identity ∩ boundary ∩ session) and the resource policy must both allow.
/// 5. Same account: a resource policy that names the caller directly allows on its own; one that names the
///    caller's role (for a role session) or IAM user (for a federated session) replaces the identity policies
///    but not the boundary or session policy; otherwise identity policies must allow, then the boundary, then
///    the session policy. A role trust policy must always allow.
///
/// Evaluation never throws: anything it cannot interpret simply does not match, which denies.
public enum Authorizer {
    /// Decides `request` against `policies`.
    public static func evaluate(_ request: AuthorizationRequest, policies: PolicySet) -> Decision {
        // GetCallerIdentity needs no permission and cannot be denied (STS API reference).
        if request.actionKey == "sts:getcalleridentity" { return Decision(.allowed, nil, request, policies) }

        let hasBoundary = policies.boundary != nil
        func explicit(_ type: PolicyType) -> Decision { Decision(.explicitDeny, type, request, policies) }
        func implicit(_ type: PolicyType) -> Decision { Decision(.implicitDeny, type, request, policies) }

        var rcpAllows = true
        if let levels = policies.resourceControl {
            for level in levels {
                var levelAllows = false
                for p in level {
                    let s = p.scan(request, hasBoundary: hasBoundary)
                    if s.denied { return explicit(.resourceControlPolicy) }
                    if s.allow != .none { levelAllows = true }
                }
                if !levelAllows { rcpAllows = false }
            }
        }
        var scpAllows = true
        if let levels = policies.serviceControl {
            for level in levels {
                var levelAllows = false
                for p in level {
                    let s = p.scan(request, hasBoundary: hasBoundary)
                    if s.denied { return explicit(.serviceControlPolicy) }
                    if s.allow != .none { levelAllows = true }
                }
                if !levelAllows { scpAllows = false }
            }
        }
        var resourceAllow = PrincipalMatch.none
        if let resource = policies.resource {
            let s = resource.scan(request, hasBoundary: hasBoundary)
            if s.denied { return explicit(.resourceBased) }
            resourceAllow = s.allow
        }
        var identityAllows = false
        for p in policies.identity {
            let s = p.scan(request, hasBoundary: hasBoundary)
            if s.denied { return explicit(.identityBased) }
            if s.allow != .none { identityAllows = true }
        }
        var boundaryAllows = true
        if let boundary = policies.boundary {
            boundaryAllows = false
            for p in boundary {
                let s = p.scan(request, hasBoundary: hasBoundary)
                if s.denied { return explicit(.permissionsBoundary) }
                if s.allow != .none { boundaryAllows = true }
            }
        }
        var sessionAllows = true
        if let session = policies.session {
            sessionAllows = false
            for p in session {
                let s = p.scan(request, hasBoundary: hasBoundary)
                if s.denied { return explicit(.sessionPolicy) }
                if s.allow != .none { sessionAllows = true }
            }
        }

        if !rcpAllows { return implicit(.resourceControlPolicy) }
        if !scpAllows { return implicit(.serviceControlPolicy) }

        let crossAccount = request.isCrossAccount
        let mustNameCaller = policies.resource?.kind == .trust
        if request.isRoot {
            if (crossAccount || mustNameCaller) && resourceAllow == .none { return implicit(.resourceBased) }
            return Decision(.allowed, nil, request, policies)
        }
        if crossAccount {
            if !identityAllows { return implicit(.identityBased) }
            if !boundaryAllows { return implicit(.permissionsBoundary) }
            if !sessionAllows { return implicit(.sessionPolicy) }
            if resourceAllow == .none { return implicit(.resourceBased) }
            return Decision(.allowed, nil, request, policies)
        }
        if mustNameCaller && resourceAllow == .none { return implicit(.resourceBased) }
        switch resourceAllow {
        case .direct:
            return Decision(.allowed, nil, request, policies)
        case .parent:
            break
        case .account, .none:
            if !identityAllows { return implicit(.identityBased) }
        }
        if !boundaryAllows { return implicit(.permissionsBoundary) }
        if !sessionAllows { return implicit(.sessionPolicy) }
        return Decision(.allowed, nil, request, policies)
    }

    /// Calls `body` for each policy in `set` with its type, in explanation order.
    static func forEachPolicy(_ set: PolicySet, _ body: (CompiledPolicy, PolicyType) -> Void) {
        for p in set.identity { body(p, .identityBased) }
        if let r = set.resource { body(r, .resourceBased) }
        for p in set.boundary ?? [] { body(p, .permissionsBoundary) }
        for p in set.session ?? [] { body(p, .sessionPolicy) }
        for level in set.serviceControl ?? [] { for p in level { body(p, .serviceControlPolicy) } }
        for level in set.resourceControl ?? [] { for p in level { body(p, .resourceControlPolicy) } }
    }
}
