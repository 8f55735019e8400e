import WardenPolicy

/// How the analysis treats conditions. The account data fixes some request values (who calls, the target's
/// tags, the passed role's service, the policy being attached); the analysis puts those in every request it
/// builds and lets the policy engine evaluate conditions on them. Every other key (`aws:SourceIp`,
/// `aws:MultiFactorAuthPresent`, `aws:CurrentTime`, `aws:RequestTag/…`, `sts:ExternalId`, …) depends on a
/// request the analysis cannot see, so it assumes the attacker sends one that suits them: a condition of an
/// Allow statement on such a key is taken as satisfied (the entry is removed), and a Deny statement with such a
/// key is taken as avoidable (the statement is removed). This is conservative for an auditor: a step is
/// reported when some request could take it, possibly one each policy allows under different values.
enum ConditionRelaxation {
    /// Keys (lowercased) whose values the analysis supplies, or knows to be absent, in every request it builds.
    static let modeledKeys: Set<String> = [
        "aws:principalarn", "aws:principalaccount", "aws:principaltype", "aws:username", "aws:userid",
        "aws:resourceaccount", "iam:passedtoservice", "iam:policyarn", "iam:permissionsboundary",
    ]
    /// Key prefixes (lowercased) whose values the analysis supplies.
    static let modeledPrefixes = ["aws:principaltag/", "aws:resourcetag/", "iam:resourcetag/"]

    /// Whether the analysis knows the value of `key` in the requests it builds.
    static func isModeled(_ key: String) -> Bool {
        let k = key.lowercased()
        return modeledKeys.contains(k) || modeledPrefixes.contains { k.hasPrefix($0) }
    }

    /// The relaxed document, the original index of each kept statement, and the keys assumed satisfiable in it.
    static func relax(_ document: PolicyDocument) -> (document: PolicyDocument, originalIndex: [Int], assumed: [[String]]) {
        var out = document
        out.statements = []
        var originalIndex: [Int] = []
        var assumed: [[String]] = []
        for (i, statement) in document.statements.enumerated() {
            var unknown: [String] = []
            for block in statement.conditions {
                for entry in block.entries where !isModeled(entry.key) { unknown.append(entry.key) }
            }
            if unknown.isEmpty {
                out.statements.append(statement)
                originalIndex.append(i)
                assumed.append([])
                continue
            }
            // A Deny on a key the attacker controls can be avoided.
            if statement.effect == .deny { continue }
            var relaxed = statement
            relaxed.conditions = statement.conditions.compactMap { block in
                var b = block
                b.entries = block.entries.filter { isModeled($0.key) }
                return b.entries.isEmpty ? nil : b
            }
            out.statements.append(relaxed)
            originalIndex.append(i)
            var seen = Set<String>()
            assumed.append(unknown.filter { seen.insert($0.lowercased()).inserted })
        }
        return (out, originalIndex, assumed)
    }

    /// The Allow statements of `document` with every resource and condition removed: a policy that allows an
    /// action exactly when some statement of `document` can allow it somewhere. Used to skip the checks of
    /// actions a principal's policies cannot grant at all.
    static func actionsOnly(_ document: PolicyDocument) -> [PolicyStatement] {
        document.statements.compactMap { s in
            guard s.effect == .allow, s.action != nil else { return nil }
            return PolicyStatement(sid: nil, effect: .allow, action: s.action, resource: Negatable(["*"]))
        }
    }
}
