import WardenPolicy

/// "Public" as Zelkova decides it: the policy allows a caller about whom nothing is fixed. The caller is anonymous
/// or an IAM principal (account root, user, role session, federated user), and its account, ARN, organization and
/// every key that identifies a caller or where it calls from take values that no string of the policy names
/// (and, for `aws:SourceIp`, an address outside every network the policy names). A condition that pins one of those
/// to fixed values therefore makes a statement non-public; a wildcard pattern or a negated operator does not.
enum PublicPrincipal {
    /// Keys whose fixed values confine a grant to known callers (S3 Block Public Access's list, plus the
    /// principal keys).
    static let identifyingKeys: Set<String> = [
        "aws:principalaccount", "aws:principalarn", "aws:principalorgid", "aws:principalorgpaths", "aws:userid",
        "aws:username", "aws:sourceaccount", "aws:sourcearn", "aws:sourceowner", "aws:sourceorgid",
        "aws:sourceorgpaths", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceip", "kms:calleraccount",
        "s3:dataaccesspointaccount", "s3:dataaccesspointarn", "lambda:principalorgid",
    ]

    /// The constraint that the caller is public, over the keys the encoder has created so far (call it after
    /// encoding the policies).
    static func constraint(_ e: PolicyEncoder, documents: [PolicyDocument]) -> Term {
        let z = e.z
        let p = e.principal
        let names = constants(documents).map { z.string($0) }
        func fresh(_ t: Term) -> Term { z.distinctFrom(t, names) }
        var parts: [Term] = [
            z.or(p.isIAM(z), p.is(.anonymous, z)),
            fresh(p.account), fresh(p.arn), fresh(p.parent), fresh(p.uniqueID), fresh(p.orgID), fresh(p.userName),
        ]
        let networks = self.networks(documents)
        for (name, k) in e.keys where identifyingKeys.contains(name) {
            for i in k.elements.indices {
                parts.append(z.implies(e.active(k, i), fresh(k.elements[i])))
                if k.views.contains("ip") {
                    let ip = e.address(k, i)
                    parts.append(z.implies(e.active(k, i), z.and(networks.map { z.not(e.contains($0, ip)) })))
                }
            }
        }
        return z.and(parts)
    }

    /// Every string of the documents that could name a caller: principal values, condition values (and their
    /// lowercase forms), resource patterns, and the account ids inside ARNs.
    static func constants(_ documents: [PolicyDocument]) -> Set<String> {
        var out: Set<String> = []
        func add(_ s: String) {
            out.insert(s)
            out.insert(s.lowercased())
            let parts = s.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            if parts.count == 6 { out.insert(String(parts[4])) }
        }
        for d in documents {
            for s in d.statements {
                if let p = s.principal, case .map(let entries) = p.value {
                    for e in entries { e.values.values.forEach(add) }
                }
                s.resource?.value.values.forEach(add)
                for block in s.conditions { for e in block.entries { e.values.forEach { add($0.text) } } }
            }
        }
        return out
    }

    /// The networks named by IP conditions (other than `/0`).
    static func networks(_ documents: [PolicyDocument]) -> [ParsedNetwork] {
        var out: [ParsedNetwork] = []
        for d in documents {
            for s in d.statements {
                for block in s.conditions {
                    guard let op = ConditionOperator(block.operatorName), op.base.valueFamily == .ip else { continue }
                    for e in block.entries {
                        for v in e.values { if let n = PolicyPatterns.network(v.text), n.prefix > 0 { out.append(n) } }
                    }
                }
            }
        }
        return out
    }
}
