import WardenPolicy

/// The services (and tracked actions) a set of identity policies allows, as the access advisor lists them:
/// every namespace of the catalogue that an `Allow` statement's `Action` (or `NotAction`) can match. Like AWS, it
/// applies only permissions-policy logic: resources, conditions, `Deny` statements, permissions boundaries and
/// SCPs do not remove a service from the list.
struct GrantedAccess: Sendable, Equatable {
    /// Granted namespaces (lowercased).
    var namespaces: Set<String> = []
    /// Granted tracked actions, by namespace.
    var actions: [String: Set<String>] = [:]

    /// Adds what one policy document allows. A document that does not parse allows nothing.
    mutating func add(document: String, catalog: ServiceCatalog) {
        guard let root = try? JSONValue.parse(document) else { return }
        let statements: [JSONValue]
        switch root["Statement"] {
        case .array(let list)?: statements = list
        case .object(let members)?: statements = [.object(members)]
        default: return
        }
        for statement in statements where statement["Effect"]?.stringValue == "Allow" {
            if let actions = statement["Action"] { allow(Self.strings(actions), catalog: catalog) }
            if let notActions = statement["NotAction"] { allowAllBut(Self.strings(notActions), catalog: catalog) }
        }
    }

    /// `Action`: each pattern grants the namespaces its prefix matches and the tracked actions its name matches.
    private mutating func allow(_ patterns: [String], catalog: ServiceCatalog) {
        for pattern in patterns {
            guard let (nsPattern, actionPattern) = Self.split(pattern) else { continue }
            for ns in catalog.namespaces(matching: nsPattern) {
                namespaces.insert(ns)
                let matched = catalog.trackedActions(of: ns, matching: actionPattern)
                if !matched.isEmpty { actions[ns, default: []].formUnion(matched) }
            }
        }
    }

    /// `NotAction`: every namespace and tracked action that none of the patterns excludes.
    private mutating func allowAllBut(_ patterns: [String], catalog: ServiceCatalog) {
        let excluded = patterns.compactMap(Self.split)
        if excluded.contains(where: { $0.0 == "*" && $0.1 == "*" }) { return }
        for ns in catalog.namespaces {
            let relevant = excluded.filter { Wildcard.matches($0.0, ns) }
            if relevant.contains(where: { $0.1 == "*" }) { continue }
            namespaces.insert(ns)
            for action in catalog.trackedActions[ns] ?? [] {
                let lowered = action.lowercased()
                if !relevant.contains(where: { Wildcard.matches($0.1, lowered) }) { actions[ns, default: []].insert(action) }
            }
        }
    }

    /// `service:Action` → (`service`, `action`) lowercased; `*` alone is every action of every service. Nil for
    /// a pattern without a service prefix (which a valid policy does not have).
    private static func split(_ pattern: String) -> (String, String)? {
        let p = pattern.lowercased()
        if p == "*" { return ("*", "*") }
        guard let colon = p.firstIndex(of: ":") else { return nil }
        return (String(p[..<colon]), String(p[p.index(after: colon)...]))
    }

    private static func strings(_ value: JSONValue) -> [String] {
        switch value {
        case .string(let s): [s]
        case .array(let items): items.compactMap(\.stringValue)
        default: []
        }
    }
}
