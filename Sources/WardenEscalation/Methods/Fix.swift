/// The fix text of a step: which statements to change, and the alternative of a boundary or an explicit Deny.
enum Fix {
    /// "Remove `iam:PassRole` on `arn:…` from `arn:…:policy/P` (statement 0, Sid "X"); … or deny … ".
    static func text(grants: [Grant], principal: String, actions: [String], resource: String, note: String? = nil) -> String {
        var parts: [String] = []
        var seen = Set<String>()
        for g in grants {
            let key = "\(g.policy)#\(g.statementIndex)"
            guard seen.insert(key).inserted else { continue }
            let statement = "statement \(g.statementIndex)" + (g.sid.map { ", Sid \"\($0)\"" } ?? "")
            if g.policy.hasSuffix("/trust-policy") {
                parts.append("stop `\(g.policy)` (\(statement)) from trusting `\(principal)`")
            } else {
                let granted = grants.filter { $0.policy == g.policy && $0.statementIndex == g.statementIndex }.map(\.action)
                var unique: [String] = []
                for a in granted where !unique.contains(a) { unique.append(a) }
                parts.append("remove \(unique.map { "`\($0)`" }.joined(separator: ", ")) on `\(resource)` from `\(g.policy)` (\(statement))")
            }
        }
        let head = parts.isEmpty ? "" : parts.joined(separator: "; ").capitalizedFirst + "; or "
        let alternative = (parts.isEmpty ? "Deny " : "deny ") + actions.map { "`\($0)`" }.joined(separator: ", ")
            + " on `\(resource)` to `\(principal)` with a permissions boundary or an explicit Deny."
        return head + alternative + (note.map { " " + $0 } ?? "")
    }
}

extension String {
    /// The string with its first character uppercased.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
