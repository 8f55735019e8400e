/// Privilege-escalation paths of an account (principalmapper's graph, Rhino Security Labs' methods), every
/// step decided by WardenPolicy's evaluator.
///
/// Pure: no I/O, no logging. Cost: the edges out of each principal are only checked against the principals
/// its policies can reach (trust policies are indexed by the principals and services they name; actions a
/// principal's policies never allow are skipped), so an account of a thousand principals takes a few seconds
/// at most.
public enum EscalationAnalysis {
    /// The escalation paths of every principal that is not already an administrator: for each (principal,
    /// target), the shortest path. Sorted by principal, then target.
    /// - Parameter account: the account id; nil takes it from the ARNs in `details`.
    public static func analyze(_ details: AccountAuthorizationDetails, account: String?) -> [EscalationPath] {
        report(details, account: account).paths
    }

    /// `analyze`, with the warnings about policies that could not be used.
    public static func report(_ details: AccountAuthorizationDetails, account id: String?) -> EscalationReport {
        let account = Account(details, account: id)
        let checker = Checker(account: account)
        let principals = account.principals
        let isAdmin = principals.map { checker.isAdmin($0) }
        let edgeFinder = EdgeFinder(account: account, checker: checker)
        let edges = principals.map { p in isAdmin[p.index] ? [] : edgeFinder.edges(from: p) }
        let finder = PathFinder(edges: edges, isAdmin: isAdmin)
        let trees = principals.map { finder.tree(from: $0.index) }

        // The best modification each principal can make on itself or a principal it reaches: (steps, length).
        let modifier = ModificationFinder(account: account, checker: checker)
        var bestModification: [Int: [EscalationStep]] = [:]
        for a in principals where !isAdmin[a.index] && modifier.mayModify(a) {
            let tree = trees[a.index]
            for d in tree.order where !isAdmin[d] {
                guard let m = modifier.modification(by: a, on: principals[d]) else { continue }
                let steps = [m.step] + tree.steps(to: d)
                if let best = bestModification[a.index], best.count <= steps.count { continue }
                bestModification[a.index] = steps
            }
        }

        var paths: [EscalationPath] = []
        for s in principals where !isAdmin[s.index] {
            let tree = trees[s.index]
            var best: [EscalationStep]?
            for n in tree.order {
                if n != s.index && isAdmin[n] {
                    paths.append(EscalationPath(principal: s.arn, target: principals[n].arn, steps: tree.steps(to: n)))
                }
                if !isAdmin[n], let m = bestModification[n] {
                    let steps = tree.steps(to: n) + m
                    if best == nil || steps.count < best!.count { best = steps }
                }
            }
            if let best { paths.append(EscalationPath(principal: s.arn, target: EscalationPath.administrator, steps: best)) }
        }
        paths.sort { ($0.principal, $0.target) < ($1.principal, $1.target) }
        return EscalationReport(paths: paths, warnings: account.warnings)
    }
}
