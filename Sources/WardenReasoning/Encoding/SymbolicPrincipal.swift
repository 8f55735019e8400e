import WardenPolicy

/// The caller of the symbolic request, with the structure of its ARN so that the keys describing it
/// (`aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:username`, …) are tied to the `Principal` element.
///
/// Kinds follow `RequestPrincipal.Kind`: an account root, an IAM user, a role session, a federated-user session,
/// an AWS service, a web-identity or SAML provider, or an anonymous caller. Accounts of IAM principals are twelve
/// digits; service principals are lowercase `….amazonaws.com` names.
struct SymbolicPrincipal {
    enum Kind: Int, CaseIterable {
        case root = 0, user, assumedRole, federatedUser, service, federatedProvider, anonymous

        /// `aws:PrincipalType`.
        var typeKey: String {
            switch self {
            case .root: return "Account"
            case .user: return "User"
            case .assumedRole: return "AssumedRole"
            case .federatedUser: return "FederatedUser"
            case .service: return "Service"
            case .federatedProvider: return "WebIdentityUser"
            case .anonymous: return "Anonymous"
            }
        }
    }

    let kind: Term
    let arn: Term
    let account: Term
    /// A role session's role ARN (`aws:PrincipalArn`), or a federated user's IAM user.
    let parent: Term
    let uniqueID: Term
    let orgID: Term
    let inOrganization: Term
    let hasBoundary: Term
    let userName: Term

    init(_ e: PolicyEncoder) {
        let z = e.z
        e.principalUsed = true
        kind = z.intVar("p:kind")
        arn = z.stringVar("p:arn")
        account = z.stringVar("p:account")
        parent = z.stringVar("p:parent")
        uniqueID = z.stringVar("p:unique")
        orgID = z.stringVar("p:org")
        inOrganization = z.boolVar("p:inOrg")
        hasBoundary = z.boolVar("p:boundary")
        userName = z.stringVar("p:username")
        let partition = z.stringVar("p:partition")
        let roleName = z.stringVar("p:role")
        let rolePath = z.stringVar("p:rolepath")
        let userPath = z.stringVar("p:userpath")
        let session = z.stringVar("p:session")
        let provider = z.stringVar("p:provider")

        func lit(_ s: String) -> Term { z.string(s) }
        // Shapes are stated with `contains`/`prefix`/`suffix` rather than regular expressions with character
        // classes, which Z3 4.8 handles slowly.
        let digits12 = z.inRegex(account, z.reConcat(Array(repeating: z.reRange(0x30, 0x39), count: 12)))
        func name(_ t: Term) -> Term { z.and(z.not(z.contains(t, lit("/"))), z.gt(z.length(t), z.int(0))) }
        func path(_ t: Term) -> Term { z.or(z.eq(t, lit("")), z.suffix(lit("/"), of: t)) }
        func word(_ t: Term) -> Term { z.and(z.not(z.contains(t, lit(":"))), z.gt(z.length(t), z.int(0))) }
        func `is`(_ k: Kind) -> Term { z.eq(kind, z.int(k.rawValue)) }
        let iam = z.le(kind, z.int(Kind.federatedUser.rawValue))

        e.constrain(z.and(z.ge(kind, z.int(0)), z.le(kind, z.int(Kind.allCases.count - 1))))
        e.constrain(z.implies(iam, z.and(digits12, word(partition))))
        e.constrain(z.implies(`is`(.root), z.eq(arn, z.concat([lit("arn:"), partition, lit(":iam::"), account, lit(":root")]))))
        e.constrain(z.implies(`is`(.user), z.and([
            z.eq(arn, z.concat([lit("arn:"), partition, lit(":iam::"), account, lit(":user/"), userPath, userName])),
            path(userPath), name(userName),
        ])))
        e.constrain(z.implies(`is`(.assumedRole), z.and([
            z.eq(arn, z.concat([lit("arn:"), partition, lit(":sts::"), account, lit(":assumed-role/"), roleName, lit("/"), session])),
            z.eq(parent, z.concat([lit("arn:"), partition, lit(":iam::"), account, lit(":role/"), rolePath, roleName])),
            path(rolePath), name(roleName), name(session),
        ])))
        e.constrain(z.implies(`is`(.federatedUser), z.and([
            z.eq(arn, z.concat([lit("arn:"), partition, lit(":sts::"), account, lit(":federated-user/"), session])),
            name(session),
        ])))
        e.constrain(z.implies(`is`(.service), z.and([
            z.eq(account, lit("")), z.not(z.contains(arn, lit(":"))),
            z.or(z.suffix(lit(".amazonaws.com"), of: arn), z.suffix(lit(".amazonaws.com.cn"), of: arn)),
        ])))
        let providerARN = z.and([
            z.eq(arn, z.concat([lit("arn:"), partition, lit(":iam::"), account, lit(":"), provider])),
            digits12, word(partition),
            z.or(z.prefix(lit("saml-provider/"), of: provider), z.prefix(lit("oidc-provider/"), of: provider)),
        ])
        let providerHost = z.and([
            z.eq(account, lit("")), z.not(z.contains(arn, lit(":"))), z.contains(arn, lit(".")),
        ])
        e.constrain(z.implies(`is`(.federatedProvider), z.or(providerARN, providerHost)))
        e.constrain(z.implies(`is`(.anonymous), z.and(z.eq(account, lit("")),
                                                      z.or([lit("*"), lit("anonymous"), lit("Anonymous")].map { z.eq(arn, $0) }))))
    }

    /// The principal is of kind `k`.
    func `is`(_ k: Kind, _ z: Z3Session) -> Term { z.eq(kind, z.int(k.rawValue)) }
    /// An IAM principal (root, user, role session, federated user): it has an account.
    func isIAM(_ z: Z3Session) -> Term { z.le(kind, z.int(Kind.federatedUser.rawValue)) }
    /// `aws:PrincipalArn`: a role session reports its role.
    func principalARNKey(_ z: Z3Session) -> Term { z.ite(`is`(.assumedRole, z), parent, arn) }
}

extension PolicyEncoder {
    /// Ties a key that describes the caller to the principal (and keeps keys only services send away from others).
    func tie(_ k: KeyVars) {
        let presentOne = { (when: Term, value: Term) in
            self.constrain(self.z.ite(when, self.z.and(self.z.eq(k.count, self.z.int(1)), self.z.eq(k.elements[0], value)),
                                      self.z.eq(k.count, self.z.int(0))))
        }
        switch k.key {
        case "aws:principalaccount":
            presentOne(principal.isIAM(z), principal.account)
        case "aws:principalarn":
            presentOne(principal.isIAM(z), principal.principalARNKey(z))
        case "aws:principaltype":
            var value = z.string(SymbolicPrincipal.Kind.anonymous.typeKey)
            for kind in SymbolicPrincipal.Kind.allCases.reversed() where kind != .anonymous {
                value = z.ite(principal.is(kind, z), z.string(kind.typeKey), value)
            }
            presentOne(z.trueTerm, value)
        case "aws:username":
            presentOne(principal.is(.user, z), principal.userName)
        case "aws:principalorgid":
            presentOne(z.and(principal.isIAM(z), principal.inOrganization), principal.orgID)
        case "aws:principalservicename":
            presentOne(principal.is(.service, z), principal.arn)
        case "aws:principalisawsservice":
            presentOne(z.trueTerm, z.ite(principal.is(.service, z), z.string("true"), z.string("false")))
        case "aws:sourceaccount", "aws:sourcearn", "aws:sourceowner", "aws:sourceorgid", "aws:sourceorgpaths":
            // Only a service acting for a resource sends these.
            constrain(z.implies(z.not(principal.is(.service, z)), z.eq(k.count, z.int(0))))
        case "aws:principalorgpaths":
            constrain(z.implies(z.not(z.and(principal.isIAM(z), principal.inOrganization)), z.eq(k.count, z.int(0))))
        default:
            break
        }
    }

    /// Whether a `Principal`/`NotPrincipal` element applies to the caller (`PrincipalMatcher.match` ≠ none).
    func principalMatches(_ element: Negatable<PrincipalSpec>) -> Term {
        let p = principal
        var direct: [Term] = []
        var parent: [Term] = []
        var account: [Term] = []
        func add(_ e: PrincipalEntryKind) {
            switch e {
            case .any:
                direct.append(z.trueTerm); parent.append(z.trueTerm); account.append(z.trueTerm)
            case .account(let a):
                let hit = z.and(p.isIAM(z), z.eq(p.account, z.string(a)))
                account.append(hit)
                direct.append(z.and(hit, p.is(.root, z)))
            case .arn(let arn):
                direct.append(z.eq(p.arn, z.string(arn)))
                parent.append(z.and(p.is(.federatedUser, z), z.eq(p.parent, z.string(arn))))
            case .role(let arn):
                parent.append(z.and(p.is(.assumedRole, z), z.eq(p.parent, z.string(arn))))
            case .uniqueID(let id):
                let hit = z.eq(p.uniqueID, z.string(id))
                parent.append(z.and(hit, p.is(.assumedRole, z)))
                direct.append(z.and(hit, z.not(p.is(.assumedRole, z))))
            case .service(let s):
                direct.append(z.and(p.is(.service, z), z.eq(p.arn, z.string(s))))
            case .federated(let f):
                direct.append(z.and(p.is(.federatedProvider, z), z.eq(p.arn, z.string(f))))
            case .canonicalUser(let c):
                direct.append(z.eq(p.arn, z.string(c)))
            }
        }
        for e in PrincipalEntryKind.entries(element.value) { add(e.kind) }
        let d = z.or(direct)
        let pa = z.or(parent)
        let ac = z.or(account)
        if element.negated {
            // Excluded only when every identity the caller carries is listed; a Deny with NotPrincipal always
            // applies to a caller with a permissions boundary.
            let hasParent = z.or(p.is(.assumedRole, z), p.is(.federatedUser, z))
            let excluded = z.and([d, z.or(ac, z.eq(p.account, z.string(""))), z.or(z.not(hasParent), pa)])
            return z.or(p.hasBoundary, z.not(excluded))
        }
        return z.or([d, pa, ac])
    }
}

/// A principal entry classified as `PrincipalMatcher` classifies it.
enum PrincipalEntryKind: Equatable {
    case any
    case account(String)
    case arn(String)
    case role(String)
    case uniqueID(String)
    case service(String)
    case federated(String)
    case canonicalUser(String)

    /// The entries of an element with their AWS type and value as written.
    static func entries(_ spec: PrincipalSpec) -> [(type: String, value: String, kind: PrincipalEntryKind)] {
        switch spec {
        case .wildcard:
            return [("AWS", "*", .any)]
        case .map(let map):
            var out: [(String, String, PrincipalEntryKind)] = []
            for e in map {
                for v in e.values.values {
                    switch e.type {
                    case "AWS": out.append((e.type, v, aws(v)))
                    case "Service": out.append((e.type, v, v == "*" ? .any : .service(v.lowercased())))
                    case "Federated": out.append((e.type, v, v == "*" ? .any : .federated(v)))
                    case "CanonicalUser": out.append((e.type, v, v == "*" ? .any : .canonicalUser(v)))
                    default: break
                    }
                }
            }
            return out
        }
    }

    /// `PrincipalMatcher.awsEntry`.
    static func aws(_ v: String) -> PrincipalEntryKind {
        if v == "*" { return .any }
        if v.utf8.count == 12 && v.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return .account(v) }
        let parts = v.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        if parts.count == 6, parts[0] == "arn" {
            if parts[2] == "iam" && parts[5] == "root" { return .account(String(parts[4])) }
            if parts[2] == "iam" && parts[5].hasPrefix("role/") { return .role(v) }
            return .arn(v)
        }
        return .uniqueID(v)
    }
}
