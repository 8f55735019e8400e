import WardenPolicy

/// A policy compiled for the analysis (conditions relaxed, see `ConditionRelaxation`), with what is needed to
/// point back at the statements of the original document.
final class AnalyzedPolicy: Sendable {
    /// The name shown in grants: a managed policy's ARN, or `user/NAME/POLICY` for inline policies.
    let id: String
    /// The relaxed policy, compiled with `id`.
    let compiled: CompiledPolicy
    /// Relaxed statement index → index in the original document.
    let originalIndex: [Int]
    /// Relaxed statement index → condition keys assumed satisfiable.
    let assumedKeys: [[String]]
    /// The Allow statements' actions on every resource (see `ConditionRelaxation.actionsOnly`).
    let actionStatements: [PolicyStatement]

    init(id: String, document: PolicyDocument) {
        self.id = id
        let relaxed = ConditionRelaxation.relax(document)
        compiled = CompiledPolicy(relaxed.document, id: id)
        originalIndex = relaxed.originalIndex
        assumedKeys = relaxed.assumed
        actionStatements = ConditionRelaxation.actionsOnly(relaxed.document)
    }

    /// Parses `text` as a policy of `kind`; nil (and a warning) when it does not parse.
    static func parse(_ text: String, kind: PolicyKind, id: String, warnings: inout [String]) -> AnalyzedPolicy? {
        do {
            return AnalyzedPolicy(id: id, document: try PolicyDocument.parse(text, kind: kind))
        } catch {
            warnings.append("`\(id)` does not parse and is ignored: \(error.message)")
            return nil
        }
    }

    /// `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`.
    static let fullAccessJSON = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
}

/// A managed policy with its parsed versions.
struct ManagedPolicyInfo {
    let name: String
    let arn: String
    /// AWS managed policies (`arn:aws:iam::aws:policy/…`) cannot be changed by the account.
    let isAWSManaged: Bool
    /// The default version, nil when it is unknown or does not parse.
    let current: AnalyzedPolicy?
    /// The versions that are not the default (for SetDefaultPolicyVersion), with their ids.
    let otherVersions: [(id: String, policy: AnalyzedPolicy)]
}

/// An IAM group.
struct GroupInfo {
    let name: String
    let arn: String
    let policies: [AnalyzedPolicy]
    /// Indices of its member users.
    var members: [Int] = []
}

/// A principal (user or role), the nodes of the escalation graph.
final class PrincipalNode {
    let index: Int
    let isUser: Bool
    let arn: String
    let name: String
    /// The principal as it appears in requests (a role acts through a session).
    let request: RequestPrincipal
    /// The principal keys and principal tags of its requests.
    let context: RequestContext
    /// Its tags (the resource tags of requests on it).
    let tags: [(key: String, value: String)]
    /// Inline policies of its own.
    let inline: [AnalyzedPolicy]
    /// ARNs of the managed policies attached to it directly.
    let attachedARNs: [String]
    /// For users: indices of its groups.
    let groups: [Int]
    /// Every identity policy that applies: own inline, own managed, and its groups' policies.
    let identity: [AnalyzedPolicy]
    /// The permissions boundary's ARN, if one is set.
    let boundaryARN: String?
    /// The permissions boundary's policy; nil when none is set or it is unknown (then it is not applied).
    let boundary: AnalyzedPolicy?
    /// For roles: the trust policy.
    let trust: AnalyzedPolicy?
    /// For roles: whether it is in an instance profile (so EC2 can run with it).
    let hasInstanceProfile: Bool
    /// Identity policies' Allow statements reduced to their actions, for quick "can it ever" checks.
    let actionFilter: PolicySet
    /// Resources named in its identity policies, made concrete (wildcards filled): the resources it can name
    /// when it creates something (a function, a stack, a project …).
    let namedResources: [String]

    /// Memo of `Checker.mayAllow` answers by action (the analysis runs on one thread).
    var mayAllowMemo: [String: Bool] = [:]

    var kindName: String { isUser ? "user" : "role" }

    init(index: Int, isUser: Bool, arn: String, name: String, uniqueID: String, account: String,
         tags: [(key: String, value: String)], inline: [AnalyzedPolicy], attachedARNs: [String], groups: [Int],
         identity: [AnalyzedPolicy], boundaryARN: String?, boundary: AnalyzedPolicy?, trust: AnalyzedPolicy?,
         hasInstanceProfile: Bool) {
        self.index = index
        self.isUser = isUser
        self.arn = arn
        self.name = name
        let id = uniqueID.isEmpty ? nil : uniqueID
        if isUser {
            request = RequestPrincipal(arn: arn, uniqueID: id)
        } else {
            let partition = arn.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).dropFirst().first ?? "aws"
            request = RequestPrincipal(arn: "arn:\(partition):sts::\(account):assumed-role/\(name)/warden-escalation",
                                       parentARN: arn, uniqueID: id)
        }
        var context = RequestContext()
        context.addPrincipalKeys(request)
        for t in tags { context.set("aws:PrincipalTag/" + t.key, .string(t.value)) }
        self.context = context
        self.tags = tags
        self.inline = inline
        self.attachedARNs = attachedARNs
        self.groups = groups
        self.identity = identity
        self.boundaryARN = boundaryARN
        self.boundary = boundary
        self.trust = trust
        self.hasInstanceProfile = hasInstanceProfile
        let statements = identity.flatMap(\.actionStatements)
        actionFilter = PolicySet(identity: statements.isEmpty ? [] : [CompiledPolicy(PolicyDocument(statements: statements), id: "actions")])
        var resources: [String] = ["*"]
        var seen: Set<String> = ["*"]
        for p in identity {
            for s in p.compiled.document.statements where s.effect == .allow {
                guard let r = s.resource, !r.negated else { continue }
                for value in r.value.values {
                    let concrete = PrincipalNode.concrete(value, context)
                    if seen.insert(concrete).inserted { resources.append(concrete) }
                }
            }
        }
        namedResources = resources
    }

    /// `pattern` with each policy variable replaced by its value in `context` (or `x`) and each wildcard by `x`:
    /// a resource the principal could create under that pattern.
    static func concrete(_ pattern: String, _ context: RequestContext) -> String {
        var out = ""
        var chars = Substring(pattern)
        while let c = chars.first {
            if c == "$", chars.dropFirst().first == "{", let end = chars.firstIndex(of: "}") {
                let inner = chars[chars.index(chars.startIndex, offsetBy: 2)..<end]
                let key = inner.split(separator: ",").first.map { String($0).trimmingSpaces } ?? ""
                out += context[key]?.values.first ?? "x"
                chars = chars[chars.index(after: end)...]
                continue
            }
            out.append(c == "*" || c == "?" ? "x" : c)
            chars = chars.dropFirst()
        }
        return out
    }
}

extension String {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

/// The account, indexed for the analysis: principals, groups, managed policies, and who trusts whom.
struct Account {
    let id: String
    let principals: [PrincipalNode]
    let groups: [GroupInfo]
    let managed: [String: ManagedPolicyInfo]
    /// Managed policy ARNs in input order (deterministic iteration).
    let managedOrder: [String]
    var warnings: [String]
    /// Roles whose trust policy names any principal (`*`) or has `NotPrincipal`: any caller may qualify.
    let rolesTrustingAnyone: [Int]
    /// Roles whose trust policy names an account: callers of it qualify when their identity policies allow.
    let rolesTrustingAccounts: [Int]
    /// Roles by the principal ARN or unique id their trust policy names.
    let rolesTrustingPrincipal: [String: [Int]]
    /// Roles by the (lowercased) service principal their trust policy names.
    let rolesTrustingService: [String: [Int]]
    /// Inline, trust and non-default version policies by id (managed policies are in `managed`).
    let policyByID: [String: AnalyzedPolicy]

    /// The ARN of AWS's `AdministratorAccess`, known even when the input does not list it.
    static let administratorAccessARN = "arn:aws:iam::aws:policy/AdministratorAccess"

    init(_ details: AccountAuthorizationDetails, account: String?) {
        var warnings: [String] = []
        let firstARN = details.users.first?.arn ?? details.roles.first?.arn ?? details.groups.first?.arn ?? ""
        let derived = firstARN.split(separator: ":", omittingEmptySubsequences: false).dropFirst(4).first.map(String.init) ?? ""
        id = account ?? derived

        var managed: [String: ManagedPolicyInfo] = [:]
        var managedOrder: [String] = []
        for p in details.policies where managed[p.arn] == nil {
            let current = p.defaultVersion.flatMap { v in
                v.document.flatMap { AnalyzedPolicy.parse($0.json, kind: .identity, id: p.arn, warnings: &warnings) }
            }
            if p.defaultVersion?.document == nil { warnings.append("`\(p.arn)` has no default version document and is ignored") }
            var others: [(id: String, policy: AnalyzedPolicy)] = []
            let defaultID = p.defaultVersion?.versionID
            for v in p.versions where v.versionID != defaultID {
                guard let doc = v.document else { continue }
                if let parsed = AnalyzedPolicy.parse(doc.json, kind: .identity, id: "\(p.arn) (version \(v.versionID))", warnings: &warnings) {
                    others.append((v.versionID, parsed))
                }
            }
            managed[p.arn] = ManagedPolicyInfo(name: p.name, arn: p.arn, isAWSManaged: p.arn.contains(":aws:policy/"),
                                               current: current, otherVersions: others)
            managedOrder.append(p.arn)
        }
        if managed[Account.administratorAccessARN] == nil {
            managed[Account.administratorAccessARN] = ManagedPolicyInfo(
                name: "AdministratorAccess", arn: Account.administratorAccessARN, isAWSManaged: true,
                current: AnalyzedPolicy(id: Account.administratorAccessARN,
                                        document: try! PolicyDocument.parse(AnalyzedPolicy.fullAccessJSON, kind: .identity)),
                otherVersions: [])
            managedOrder.append(Account.administratorAccessARN)
        }
        var reportedMissing = Set<String>()
        func attached(_ arn: String, _ owner: String) -> AnalyzedPolicy? {
            if let p = managed[arn]?.current { return p }
            if managed[arn] == nil, reportedMissing.insert(arn).inserted {
                warnings.append("`\(arn)` (attached to \(owner)) is not in the input's Policies and is ignored")
            }
            return nil
        }

        var groups: [GroupInfo] = []
        var groupByName: [String: Int] = [:]
        for g in details.groups {
            var policies = g.inlinePolicies.compactMap {
                AnalyzedPolicy.parse($0.document.json, kind: .identity, id: "group/\(g.name)/\($0.name)", warnings: &warnings)
            }
            policies += g.attachedPolicies.compactMap { attached($0.arn, "group \(g.name)") }
            groupByName[g.name] = groups.count
            groups.append(GroupInfo(name: g.name, arn: g.arn, policies: policies))
        }

        var principals: [PrincipalNode] = []
        for u in details.users {
            let inline = u.inlinePolicies.compactMap {
                AnalyzedPolicy.parse($0.document.json, kind: .identity, id: "user/\(u.name)/\($0.name)", warnings: &warnings)
            }
            let managedPolicies = u.attachedPolicies.compactMap { attached($0.arn, "user \(u.name)") }
            let memberOf = u.groups.compactMap { name -> Int? in
                if let g = groupByName[name] { return g }
                warnings.append("group `\(name)` of user `\(u.name)` is not in the input and is ignored")
                return nil
            }
            let boundary = u.permissionsBoundary.flatMap { attached($0.arn, "user \(u.name) as its boundary") }
            let index = principals.count
            for g in memberOf { groups[g].members.append(index) }
            principals.append(PrincipalNode(
                index: index, isUser: true, arn: u.arn, name: u.name, uniqueID: u.id, account: id,
                tags: u.tags.map { ($0.key, $0.value) }, inline: inline, attachedARNs: u.attachedPolicies.map(\.arn),
                groups: memberOf, identity: inline + managedPolicies + memberOf.flatMap { groups[$0].policies },
                boundaryARN: u.permissionsBoundary?.arn, boundary: boundary, trust: nil, hasInstanceProfile: false))
        }
        for r in details.roles {
            let inline = r.inlinePolicies.compactMap {
                AnalyzedPolicy.parse($0.document.json, kind: .identity, id: "role/\(r.name)/\($0.name)", warnings: &warnings)
            }
            let managedPolicies = r.attachedPolicies.compactMap { attached($0.arn, "role \(r.name)") }
            let trust = r.trustPolicy.flatMap {
                AnalyzedPolicy.parse($0.json, kind: .trust, id: "role/\(r.name)/trust-policy", warnings: &warnings)
            }
            let boundary = r.permissionsBoundary.flatMap { attached($0.arn, "role \(r.name) as its boundary") }
            principals.append(PrincipalNode(
                index: principals.count, isUser: false, arn: r.arn, name: r.name, uniqueID: r.id, account: id,
                tags: r.tags.map { ($0.key, $0.value) }, inline: inline, attachedARNs: r.attachedPolicies.map(\.arn),
                groups: [], identity: inline + managedPolicies, boundaryARN: r.permissionsBoundary?.arn,
                boundary: boundary, trust: trust, hasInstanceProfile: !r.instanceProfiles.isEmpty))
        }

        // Index trust policies by the principals they name, so that role assumption is only checked for callers
        // a trust policy can admit.
        var anyone: [Int] = []
        var accounts: [Int] = []
        var byPrincipal: [String: [Int]] = [:]
        var byService: [String: [Int]] = [:]
        for p in principals where !p.isUser {
            guard let trust = p.trust else { continue }
            var open = false
            var openToAccount = false
            var named = Set<String>()
            var services = Set<String>()
            for s in trust.compiled.document.statements where s.effect == .allow {
                guard let principal = s.principal else { continue }
                if principal.negated { open = true; continue }
                switch principal.value {
                case .wildcard:
                    open = true
                case .map(let entries):
                    for e in entries {
                        for v in e.values.values {
                            if v == "*" { open = true; continue }
                            switch e.type {
                            case "AWS":
                                if v.allSatisfy(\.isNumber) || v.hasSuffix(":root") { openToAccount = true } else { named.insert(v) }
                            case "Service":
                                services.insert(v.lowercased())
                            default:
                                break
                            }
                        }
                    }
                }
            }
            if open { anyone.append(p.index) } else if openToAccount { accounts.append(p.index) }
            for n in named { byPrincipal[n, default: []].append(p.index) }
            for s in services { byService[s, default: []].append(p.index) }
        }
        var byID: [String: AnalyzedPolicy] = [:]
        for p in principals {
            for i in p.inline { byID[i.id] = i }
            if let t = p.trust { byID[t.id] = t }
        }
        for g in groups { for i in g.policies { byID[i.id] = byID[i.id] ?? i } }
        for m in managed.values { for v in m.otherVersions { byID[v.policy.id] = v.policy } }
        byID[Checker.fullAccess.id] = Checker.fullAccess
        policyByID = byID
        self.principals = principals
        self.groups = groups
        self.managed = managed
        self.managedOrder = managedOrder
        self.warnings = warnings
        rolesTrustingAnyone = anyone
        rolesTrustingAccounts = accounts
        rolesTrustingPrincipal = byPrincipal
        rolesTrustingService = byService
    }

    /// Roles whose trust policy may admit `p` (the engine decides; this only narrows the candidates).
    func rolesThatMayTrust(_ p: PrincipalNode, identityMayAllow: Bool) -> [Int] {
        var out = rolesTrustingAnyone
        if identityMayAllow { out += rolesTrustingAccounts }
        out += rolesTrustingPrincipal[p.arn] ?? []
        if let id = p.request.uniqueID { out += rolesTrustingPrincipal[id] ?? [] }
        var seen = Set<Int>()
        return out.filter { $0 != p.index && seen.insert($0).inserted }.sorted()
    }

    /// Roles whose trust policy may admit the service principal `service` (or anyone).
    func rolesThatMayTrust(service: String) -> [Int] {
        var seen = Set<Int>()
        return (rolesTrustingAnyone + (rolesTrustingService[service] ?? [])).filter { seen.insert($0).inserted }.sorted()
    }
}
