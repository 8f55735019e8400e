import Foundation
import WardenCore
import WardenStore
import WardenWire

extension WardenService {
    /// Which policies of an identity (user with its groups, group, or role) allow actions of each service
    /// namespace: any Allow statement whose Action patterns can match `namespace:…` (NotAction counts as
    /// matching unless it excludes the whole namespace).
    static func policiesGrantingServiceAccess(_ i: IAM.ListPoliciesGrantingServiceAccessRequest, _ call: Call) throws
        -> IAM.ListPoliciesGrantingServiceAccessResponse {
        let state = try call.state()
        guard let parts = ARN.parse(i.arn), let pn = ARN.pathAndName(ofResource: parts.resource) else {
            throw ServiceError.invalidInput("ARN \(i.arn) is not valid.")
        }
        // (policy name, type, arn, owner type, owner name, document)
        var sources: [(String, IAM.PolicyType, String?, IAM.PolicyOwnerEntityType?, String?, String)] = []
        func managed(_ arn: String) -> (String, IAM.PolicyType, String)? {
            if let aws = call.service.managedPolicies.policy(arn) { return (aws.name, .managed, aws.document) }
            if let p = try? state.customerPolicy(arn) { return (p.name, .managed, p.defaultDocument) }
            return nil
        }
        func addGroup(_ g: GroupRecord) {
            for p in g.inlinePolicies { sources.append((p.name, .inline, nil, .group, g.name, p.document)) }
            for a in g.attachedPolicies { if let m = managed(a) { sources.append((m.0, m.1, a, .group, g.name, m.2)) } }
        }
        switch pn.type {
        case "user":
            let u = try state.user(pn.name)
            for p in u.inlinePolicies { sources.append((p.name, .inline, nil, .user, u.name, p.document)) }
            for a in u.attachedPolicies { if let m = managed(a) { sources.append((m.0, m.1, a, .user, u.name, m.2)) } }
            for g in u.groups { if let g = state.groups[g.lowercased()] { addGroup(g) } }
        case "group":
            addGroup(try state.group(pn.name))
        case "role":
            let r = try state.role(pn.name)
            for p in r.inlinePolicies { sources.append((p.name, .inline, nil, .role, r.name, p.document)) }
            for a in r.attachedPolicies { if let m = managed(a) { sources.append((m.0, m.1, a, .role, r.name, m.2)) } }
        default:
            throw ServiceError.invalidInput("ARN \(i.arn) is not valid.")
        }
        let entries = i.serviceNamespaces.map { ns in
            IAM.ListPoliciesGrantingServiceAccessEntry(
                serviceNamespace: ns,
                policies: sources.filter { grants($0.5, namespace: ns) }.map {
                    IAM.PolicyGrantingServiceAccess(policyName: $0.0, policyType: $0.1, policyArn: $0.2,
                                                    entityType: $0.1 == .inline ? $0.3 : nil, entityName: $0.1 == .inline ? $0.4 : nil)
                })
        }
        return IAM.ListPoliciesGrantingServiceAccessResponse(policiesGrantingServiceAccess: entries, isTruncated: false, marker: nil)
    }

    /// Whether a document has an Allow statement that can match an action of the namespace.
    static func grants(_ document: String, namespace: String) -> Bool {
        guard let obj = try? JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any] else { return false }
        let statements: [[String: Any]] = (obj["Statement"] as? [[String: Any]]) ?? ((obj["Statement"] as? [String: Any]).map { [$0] } ?? [])
        func list(_ v: Any?) -> [String] { (v as? [String]) ?? ((v as? String).map { [$0] } ?? []) }
        let ns = namespace.lowercased()
        func matchesNamespace(_ pattern: String) -> Bool {
            let p = pattern.lowercased()
            if p == "*" { return true }
            guard let colon = p.firstIndex(of: ":") else { return false }
            return Wildcard.matches(String(p[..<colon]), ns)
        }
        for s in statements where (s["Effect"] as? String) == "Allow" {
            if list(s["Action"]).contains(where: matchesNamespace) { return true }
            let notActions = list(s["NotAction"])
            if !notActions.isEmpty && !notActions.contains(where: { $0.lowercased() == "\(ns):*" || $0 == "*" }) { return true }
        }
        return false
    }
}

/// A small glob matcher (`*`, `?`) for names outside the policy engine's hot path.
enum Wildcard {
    static func matches(_ pattern: String, _ value: String) -> Bool {
        let p = Array(pattern.utf8), v = Array(value.utf8)
        var pi = 0, vi = 0, star = -1, mark = 0
        while vi < v.count {
            if pi < p.count && (p[pi] == UInt8(ascii: "?") || p[pi] == v[vi]) { pi += 1; vi += 1 }
            else if pi < p.count && p[pi] == UInt8(ascii: "*") { star = pi; mark = vi; pi += 1 }
            else if star >= 0 { pi = star + 1; mark += 1; vi = mark }
            else { return false }
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
