import Foundation
import WardenPolicy
import WardenStore

/// The remediation of an `UnusedPermission` finding, as GenerateFindingRecommendation proposes it: for each
/// permissions policy of the user or role (inline or attached managed), either detach it (it grants only unused
/// access) or replace it with a narrowed copy (`CREATE_POLICY`), in which
/// - actions of services the principal did not use in the analyzer's window are removed;
/// - for services whose actions are tracked, unused actions are removed and wildcards that match them are replaced
///   by the used actions they match;
/// - statements left without actions are removed.
/// `Deny` statements, `NotAction` statements, resources and conditions are kept as they are: narrowing never widens.
enum UnusedPermissionRecommendation {
    struct Step: Sendable, Equatable {
        /// `DETACH_POLICY` or `CREATE_POLICY`.
        var action: String
        /// The managed policy's ARN or the inline policy's name.
        var existingPolicyID: String
        var policyUpdatedAt: Date?
        var recommendedPolicy: String?
    }

    /// The steps for a principal's policies, given the finding's unused services and actions.
    /// `cutoff` is the start of the analyzer's window: a service last used before it is unused as a whole.
    static func steps(policies: [(id: String, document: String, updatedAt: Date?)], unused: [UnusedAccessDetails],
                      cutoff: Date, catalog: ServiceCatalog) -> [Step] {
        var unusedServices = Set<String>()
        var unusedActions: [String: Set<String>] = [:]
        for d in unused {
            guard let ns = d.serviceNamespace?.lowercased() else { continue }
            if let actions = d.actions, let last = d.lastAccessed, last >= cutoff {
                unusedActions[ns, default: []].formUnion(actions.map { $0.action.lowercased() })
            } else {
                unusedServices.insert(ns)
            }
        }
        var steps: [Step] = []
        for p in policies {
            guard let root = try? JSONValue.parse(p.document) else { continue }
            let (narrowed, changed, allows) = narrow(root, unusedServices: unusedServices, unusedActions: unusedActions, catalog: catalog)
            guard changed else { continue }
            if !allows {
                steps.append(Step(action: "DETACH_POLICY", existingPolicyID: p.id, policyUpdatedAt: p.updatedAt))
            } else {
                steps.append(Step(action: "CREATE_POLICY", existingPolicyID: p.id, policyUpdatedAt: p.updatedAt,
                                  recommendedPolicy: narrowed.jsonString))
            }
        }
        return steps
    }

    /// The narrowed document, whether anything changed, and whether it still allows anything.
    static func narrow(_ root: JSONValue, unusedServices: Set<String>, unusedActions: [String: Set<String>],
                       catalog: ServiceCatalog) -> (JSONValue, Bool, Bool) {
        guard case .object(var members) = root, let index = members.firstIndex(where: { $0.key == "Statement" }) else { return (root, false, true) }
        let statements: [JSONValue]
        switch members[index].value {
        case .array(let list): statements = list
        case .object: statements = [members[index].value]
        default: return (root, false, true)
        }
        var changed = false
        var kept: [JSONValue] = []
        for statement in statements {
            guard case .object(var fields) = statement, statement["Effect"]?.stringValue == "Allow",
                  let ai = fields.firstIndex(where: { $0.key == "Action" }) else {
                kept.append(statement)
                continue
            }
            let patterns: [String]
            switch fields[ai].value {
            case .string(let s): patterns = [s]
            case .array(let list): patterns = list.compactMap(\.stringValue)
            default: kept.append(statement); continue
            }
            var out: [String] = []
            for pattern in patterns {
                let parts = pattern.split(separator: ":", maxSplits: 1).map { String($0).lowercased() }
                guard parts.count == 2 else { out.append(pattern); continue }
                let namespaces = catalog.namespaces(matching: parts[0])
                // A pattern over several services (`*`, `s*:Get*`) is kept unless every service it reaches is unused.
                if namespaces.count > 1 || parts[0].contains("*") || parts[0].contains("?") {
                    if !namespaces.isEmpty && namespaces.allSatisfy(unusedServices.contains) { changed = true } else { out.append(pattern) }
                    continue
                }
                let ns = parts[0]
                if unusedServices.contains(ns) { changed = true; continue }
                guard let idle = unusedActions[ns], !idle.isEmpty else { out.append(pattern); continue }
                let matched = catalog.trackedActions(of: ns, matching: parts[1])
                let idleMatched = matched.filter { idle.contains($0.lowercased()) }
                if idleMatched.isEmpty { out.append(pattern); continue }
                changed = true
                out += matched.filter { !idle.contains($0.lowercased()) }.map { "\(ns):\($0)" }
            }
            guard !out.isEmpty else { continue }
            var seen = Set<String>()
            let unique = out.filter { seen.insert($0.lowercased()).inserted }
            fields[ai].value = unique.count == 1 ? .string(unique[0]) : .array(unique.map(JSONValue.string))
            kept.append(.object(fields))
        }
        members[index].value = .array(kept)
        let allows = kept.contains { $0["Effect"]?.stringValue == "Allow" }
        return (.object(members), changed, allows)
    }
}
