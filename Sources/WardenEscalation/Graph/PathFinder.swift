/// Shortest escalation paths over the graph of principals.
///
/// Nodes are principals; an edge A → B means A can act as B (`Edge`). A path ends either at a principal that is
/// already an administrator (target: its ARN), or with a `Modification` by some principal A on the path that
/// makes a principal D an administrator, D being A itself or a principal A can reach (target: `administrator`).
/// Breadth-first search gives the fewest steps; paths do not continue through administrators.
struct PathFinder {
    let edges: [[Edge]]
    let isAdmin: [Bool]

    /// Breadth-first search from `source`: parent edge of each reached node (source excluded), in BFS order.
    struct Tree {
        var order: [Int] = []
        var parent: [Int: Edge] = [:]
        var parentNode: [Int: Int] = [:]
        var distance: [Int: Int] = [:]

        /// The steps from the root to `node`.
        func steps(to node: Int) -> [EscalationStep] {
            var out: [EscalationStep] = []
            var n = node
            while let e = parent[n], let from = parentNode[n] {
                out.append(e.step)
                n = from
            }
            return out.reversed()
        }
    }

    func tree(from source: Int) -> Tree {
        var t = Tree()
        t.distance[source] = 0
        t.order.append(source)
        var head = 0
        while head < t.order.count {
            let n = t.order[head]
            head += 1
            if isAdmin[n] { continue }  // no need to go further than an administrator
            let d = t.distance[n]! + 1
            for e in edges[n] where t.distance[e.to] == nil {
                t.distance[e.to] = d
                t.parent[e.to] = e
                t.parentNode[e.to] = n
                t.order.append(e.to)
            }
        }
        return t
    }
}
