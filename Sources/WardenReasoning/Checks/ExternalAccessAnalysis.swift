import WardenPolicy

/// One way into a resource from outside the zone of trust, in the shape of Access Analyzer's
/// `ExternalAccessDetails`.
public struct ExternalAccess: Sendable, Equatable {
    /// The principal as the policy names it, e.g. `["AWS": "arn:aws:iam::444455556666:root"]`, `["AWS": "*"]`,
    /// `["Federated": "cognito-identity.amazonaws.com"]`.
    public var principal: [String: String]
    /// The actions this principal is allowed, e.g. `["sts:AssumeRole"]`.
    public var actions: [String]
    /// The statement's conditions (key → values joined by `,`) that confine the access but not to the zone.
    public var condition: [String: String]
    /// Whether anyone at all (an anonymous or arbitrary caller) gets this access (`PublicPrincipal`).
    public var isPublic: Bool

    /// Creates a finding detail.
    public init(principal: [String: String], actions: [String], condition: [String: String], isPublic: Bool) {
        self.principal = principal
        self.actions = actions
        self.condition = condition
        self.isPublic = isPublic
    }
}

/// Access Analyzer's external-access analysis of a resource policy (for now: a role trust policy), decided by
/// the solver rather than by reading the `Principal` element: a condition such as
/// `StringEquals aws:PrincipalAccount <own account>` removes a finding because no outside caller satisfies it.
public enum ExternalAccessAnalysis {
    /// The actions a role trust policy can grant (the STS calls that read it).
    static let trustActions = [
        "sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity", "sts:TagSession",
        "sts:SetSourceIdentity", "sts:SetContext",
    ]

    /// The ways a principal outside the zone of trust (the account `account`, or the organization `organizationID`
    /// when given) can get access through this resource policy. One entry per way in: per Allow statement and per
    /// principal it names, when some caller outside the zone matching that principal is allowed by the whole
    /// policy (its Deny statements included).
    ///
    /// Outside the zone: an IAM principal of another account (not in the organization, when one is given), an
    /// anonymous caller, or a web-identity or SAML provider that is not the account's own. AWS service principals
    /// are not external.
    public static func analyze(policy: String, account: String, organizationID: String?,
                               limits: ReasoningLimits = .default) throws(ReasoningError) -> [ExternalAccess] {
        let document: PolicyDocument
        do {
            document = try PolicyInput.parse(policy, kind: .trust, limits: limits)
        } catch {
            guard error.code == .invalidPolicy, let d = try? PolicyInput.parse(policy, kind: .resource, limits: limits) else { throw error }
            document = d
        }
        let z = Z3Session(limits: limits)
        let e = try PolicyEncoder(session: z, documents: [document], limits: limits)
        let encoded = e.encode(document)
        let outside = external(e, account: account, organizationID: organizationID)
        let isPublic = PublicPrincipal.constraint(e, documents: [document])
        let variables = document.substitutesVariables
        e.flush()
        z.assert(z.not(encoded.anyDeny))
        z.assert(outside)

        var findings: [ExternalAccess] = []
        for (i, s) in document.statements.enumerated() where s.effect == .allow {
            guard let element = s.principal else { continue }
            let ways: [(type: String, value: String, match: Term)]
            if element.negated {
                ways = [("AWS", "*", e.principalMatches(element))]
            } else {
                ways = PrincipalEntryKind.entries(element.value).map { entry in
                    let spec = PrincipalSpec.map([PrincipalEntry(type: entry.type, values: ValueList([entry.value]))])
                    return (entry.type, entry.value, e.principalMatches(Negatable(spec)))
                }
            }
            for way in ways {
                e.flush()
                z.push()
                z.assert(encoded.statements[i])
                z.assert(way.match)
                defer { z.pop() }
                guard try e.solve() == .satisfiable else { continue }
                var actions: [String] = []
                for action in candidateActions(s) {
                    let t = e.actionMatches(action)
                    e.flush()
                    z.push()
                    z.assert(t)
                    let outcome: Z3Session.Outcome
                    do { outcome = try e.solve() } catch { z.pop(); throw error }
                    z.pop()
                    if outcome == .satisfiable { actions.append(action) }
                }
                z.push()
                z.assert(isPublic)
                let publicOutcome: Z3Session.Outcome
                do { publicOutcome = try e.solve() } catch { z.pop(); throw error }
                z.pop()
                let finding = ExternalAccess(principal: [way.type: way.value], actions: actions,
                                             condition: conditions(s), isPublic: publicOutcome == .satisfiable)
                if !findings.contains(finding) { findings.append(finding) }
            }
        }
        _ = variables
        return findings
    }

    /// The caller is outside the zone of trust.
    static func external(_ e: PolicyEncoder, account: String, organizationID: String?) -> Term {
        let z = e.z
        let p = e.principal
        var iamOutside = z.and(p.isIAM(z), z.not(z.eq(p.account, z.string(account))))
        if let organizationID {
            iamOutside = z.and(iamOutside, z.not(z.and(p.inOrganization, z.eq(p.orgID, z.string(organizationID)))))
        }
        let provider = z.and(p.is(.federatedProvider, z), z.not(z.eq(p.account, z.string(account))))
        return z.or([iamOutside, p.is(.anonymous, z), provider])
    }

    /// The actions to report for a statement: its literal actions, or the trust actions its patterns cover.
    static func candidateActions(_ s: PolicyStatement) -> [String] {
        guard let a = s.action else { return trustActions }
        let literal = !a.negated && a.value.values.allSatisfy { !$0.contains("*") && !$0.contains("?") }
        if literal { return a.value.values }
        var out = trustActions
        if !a.negated {
            for v in a.value.values where !v.contains("*") && !v.contains("?") && !out.contains(v) { out.append(v) }
        }
        return out
    }

    /// The statement's condition entries as a finding shows them.
    static func conditions(_ s: PolicyStatement) -> [String: String] {
        var out: [String: String] = [:]
        for block in s.conditions {
            for e in block.entries {
                let joined = e.values.map(\.text).joined(separator: ",")
                out[e.key] = out[e.key].map { $0 + "," + joined } ?? joined
            }
        }
        return out
    }
}
