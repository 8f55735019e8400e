import Foundation
import WardenStore

/// Access Analyzer's findings filters (`FilterCriteriaMap`): a finding matches when it meets every criterion, and a
/// criterion when one of its `eq` values equals, none of its `neq` values equals, one of its `contains` values is
/// contained in, and (`exists`) it has or lacks a value of the key.
enum FindingFilter {
    /// Keys of both finding kinds; `principal.TYPE` and `condition.KEY` name one entry of those maps.
    static let keys: Set<String> = ["id", "status", "resource", "resourceType", "resourceOwnerAccount", "action", "isPublic",
                                    "findingType", "error", "principal", "condition"]

    static func isKnownKey(_ key: String) -> Bool {
        keys.contains(key) || key.hasPrefix("principal.") || key.hasPrefix("condition.")
    }

    /// The values a finding has for a filter key (empty: it has none).
    static func values(_ f: AnalyzerFindingRecord, _ key: String) -> [String] {
        switch key {
        case "id": return [f.id]
        case "status": return [f.status]
        case "resource": return [f.resource]
        case "resourceType": return [f.resourceType]
        case "resourceOwnerAccount": return [f.resourceOwnerAccount]
        case "findingType": return [f.findingType]
        case "action": return f.actions ?? []
        case "isPublic": return f.isPublic.map { [$0 ? "true" : "false"] } ?? []
        case "error": return []
        case "principal": return f.principal.map { Array($0.values) } ?? []
        case "condition": return f.condition.map { Array($0.keys) } ?? []
        default:
            if key.hasPrefix("principal.") { return f.principal?[String(key.dropFirst("principal.".count))].map { [$0] } ?? [] }
            if key.hasPrefix("condition.") { return f.condition?[String(key.dropFirst("condition.".count))].map { [$0] } ?? [] }
            return []
        }
    }

    static func matches(_ f: AnalyzerFindingRecord, _ filter: [String: FindingCriterion]) -> Bool {
        filter.allSatisfy { key, c in
            let have = values(f, key)
            if let exists = c.exists, exists == have.isEmpty { return false }
            if let eq = c.eq, !eq.contains(where: have.contains) { return false }
            if let neq = c.neq, neq.contains(where: have.contains) { return false }
            if let contains = c.contains, !contains.contains(where: { part in have.contains { $0.contains(part) } }) { return false }
            return true
        }
    }

    /// The order of a listing: by `attributeName` (a filter key or `createdAt`, `updatedAt`, `analyzedAt`), then
    /// by id; without one, newest first.
    static func sorted(_ findings: [AnalyzerFindingRecord], by attribute: String?, descending: Bool) -> [AnalyzerFindingRecord] {
        guard let attribute, !attribute.isEmpty else {
            return findings.sorted { ($0.updatedAt, $0.id) > ($1.updatedAt, $1.id) }
        }
        func date(_ f: AnalyzerFindingRecord) -> Date? {
            switch attribute.lowercased() {
            case "createdat": f.createdAt
            case "updatedat": f.updatedAt
            case "analyzedat": f.analyzedAt
            default: nil
            }
        }
        let ascending = findings.sorted { a, b in
            if let da = date(a), let db = date(b), da != db { return da < db }
            if date(a) == nil {
                let va = values(a, attribute).sorted().first ?? "", vb = values(b, attribute).sorted().first ?? ""
                if va != vb { return va < vb }
            }
            return a.id < b.id
        }
        return descending ? ascending.reversed() : ascending
    }
}
