import Foundation
import WardenCore
import WardenStore

/// The IAM resource a service last accessed report is about.
enum AccessReportSubject: Sendable {
    case user(UserRecord)
    case group(GroupRecord)
    case role(RoleRecord)
    /// A managed policy (AWS or customer managed) with its default version's document.
    case policy(arn: String, document: String)
}

/// A service last accessed report, computed once when the job is generated: the services the subject's
/// policies allow, and for each the latest use by each entity the report covers.
///
/// Which entities a report covers: a user or role report, the user or role itself; a group report, the group's
/// members; a policy report, the users and roles the policy is attached to, directly or through a group.
struct AccessReport: Sendable {
    enum EntityKind: Sendable { case user, role }

    /// A user or role whose uses count.
    struct Entity: Sendable, Equatable {
        var kind: EntityKind
        var arn: String
        var name: String
        var id: String
        var path: String
    }

    /// One entity's latest use of a service or action.
    struct Use: Sendable, Equatable {
        /// Index into `entities`.
        var entity: Int
        var time: Date
        var region: String
    }

    /// A tracked action the policies allow, and its latest use by any covered entity.
    struct Action: Sendable, Equatable {
        var name: String
        var lastUse: Use?
    }

    /// An allowed service.
    struct Service: Sendable, Equatable {
        var namespace: String
        var name: String
        /// Each covered entity's latest use, most recent first (one per entity that used the service).
        var uses: [Use]
        /// For action-level reports of services whose actions AWS tracks: the allowed tracked actions, by name.
        var actions: [Action]?
        /// The most recent use by any covered entity.
        var lastUse: Use? { uses.first }
    }

    var entities: [Entity]
    /// Sorted by namespace.
    var services: [Service]

    /// Computes the report of `subject` from the account and the last-access facts (by `LastAccessRecord.key`).
    /// `policyDocument` finds a managed policy's default document by ARN (AWS or customer managed).
    static func compute(subject: AccessReportSubject, state: AccountState, facts: [String: LastAccessRecord],
                        catalog: ServiceCatalog, policyDocument: (String) -> String?, actionLevel: Bool) -> AccessReport {
        var granted = GrantedAccess()
        for document in documents(of: subject, state: state, policyDocument: policyDocument) {
            granted.add(document: document, catalog: catalog)
        }
        let entities = coveredEntities(of: subject, state: state)
        // Facts of role sessions name the role without its path (the session ARN has none).
        let factARNs = entities.map { $0.kind == .role ? ARN.iam(state.account.id, "role", name: $0.name) : $0.arn }

        func latestUses(_ namespace: String, action: String?) -> [Use] {
            var uses: [Use] = []
            for (index, entity) in entities.enumerated() {
                let key = LastAccessRecord.key(entityARN: factARNs[index], service: namespace, action: action)
                guard let fact = facts[key], fact.entityID == nil || fact.entityID == entity.id else { continue }
                uses.append(Use(entity: index, time: fact.time, region: fact.region))
            }
            return uses.sorted { ($0.time, entities[$1.entity].arn) > ($1.time, entities[$0.entity].arn) }
        }

        let services = granted.namespaces.sorted().map { ns in
            var actions: [Action]?
            if actionLevel, let allowed = granted.actions[ns], !allowed.isEmpty {
                actions = allowed.sorted().map { Action(name: $0, lastUse: latestUses(ns, action: $0).first) }
            }
            return Service(namespace: ns, name: catalog.names[ns] ?? ns, uses: latestUses(ns, action: nil), actions: actions)
        }
        return AccessReport(entities: entities, services: services)
    }

    /// The identity policies of the subject: inline and attached managed policies, and for a user those of its
    /// groups. Permissions boundaries are not permissions policies and are left out, as AWS does.
    static func documents(of subject: AccessReportSubject, state: AccountState, policyDocument: (String) -> String?) -> [String] {
        func own(_ inline: [InlinePolicy], _ attached: [String]) -> [String] {
            inline.map(\.document) + attached.compactMap(policyDocument)
        }
        switch subject {
        case .user(let u):
            var docs = own(u.inlinePolicies, u.attachedPolicies)
            for name in u.groups { if let g = state.groups[name.lowercased()] { docs += own(g.inlinePolicies, g.attachedPolicies) } }
            return docs
        case .group(let g): return own(g.inlinePolicies, g.attachedPolicies)
        case .role(let r): return own(r.inlinePolicies, r.attachedPolicies)
        case .policy(_, let document): return [document]
        }
    }

    /// The users and roles whose uses the report counts, sorted by ARN.
    static func coveredEntities(of subject: AccessReportSubject, state: AccountState) -> [Entity] {
        func user(_ u: UserRecord) -> Entity { Entity(kind: .user, arn: state.userARN(u), name: u.name, id: u.id, path: u.path) }
        func role(_ r: RoleRecord) -> Entity { Entity(kind: .role, arn: state.roleARN(r), name: r.name, id: r.id, path: r.path) }
        let entities: [Entity]
        switch subject {
        case .user(let u): entities = [user(u)]
        case .role(let r): entities = [role(r)]
        case .group(let g):
            let name = g.name.lowercased()
            entities = state.users.values.filter { $0.groups.contains { $0.lowercased() == name } }.map(user)
        case .policy(let arn, _):
            let groups = Set(state.groups.values.filter { $0.attachedPolicies.contains(arn) }.map { $0.name.lowercased() })
            let users = state.users.values.filter { u in
                u.attachedPolicies.contains(arn) || u.groups.contains { groups.contains($0.lowercased()) }
            }
            entities = users.map(user) + state.roles.values.filter { $0.attachedPolicies.contains(arn) }.map(role)
        }
        return entities.sorted { $0.arn < $1.arn }
    }
}
