import Foundation
import WardenCore
import WardenEscalation
import WardenStore
import WardenWire

/// `ListEscalationPaths` (`warden:ListEscalationPaths`): the privilege-escalation paths of the caller's account,
/// computed by `WardenEscalation` from the account as GetAccountAuthorizationDetails describes it (the same analysis
/// `warden analyze escalation` runs offline on that document).
extension WardenService {
    static func registerEscalation(_ r: inout Registry) {
        r.json(.warden, "ListEscalationPaths", authorize: .anyResource) { (i: WardenSecurity.ListEscalationPathsRequest, call) -> WardenSecurity.ListEscalationPathsResponse in
            let state = try call.state()
            let details = authorizationDetails(state, call.service)
            let report = await withCheckedContinuation { (done: CheckedContinuation<EscalationReport, Never>) in
                reasoningQueue.async { done.resume(returning: EscalationAnalysis.report(details, account: state.account.id)) }
            }
            let paths = report.paths.filter { i.principalArn == nil || $0.principal == i.principalArn }
            let page = try offsetPage(paths, token: i.nextToken, maxResults: i.maxResults)
            return WardenSecurity.ListEscalationPathsResponse(paths: page.items.map { p in
                WardenSecurity.EscalationPath(principalArn: p.principal, target: p.target, steps: p.steps.map { s in
                    WardenSecurity.EscalationStep(
                        method: s.method, from: s.from, to: s.to, actions: s.actions,
                        grants: s.grants.map {
                            WardenSecurity.EscalationGrant(policy: $0.policy, action: $0.action, statementIndex: $0.statementIndex, sid: $0.sid,
                                                           assumedConditionKeys: $0.assumedConditionKeys.isEmpty ? nil : $0.assumedConditionKeys)
                        },
                        description: s.description, fix: s.fix)
                })
            }, warnings: report.warnings.isEmpty ? nil : report.warnings, nextToken: page.next)
        }
    }

    /// The account as GetAccountAuthorizationDetails describes it: users, groups, roles, and the managed policies
    /// attached to any of them (AWS managed or customer managed) with their versions.
    static func authorizationDetails(_ state: AccountState, _ service: WardenService) -> AccountAuthorizationDetails {
        typealias D = AccountAuthorizationDetails
        var attached = Set<String>()
        func inline(_ list: [InlinePolicy]) -> [D.InlinePolicy] { list.map { D.InlinePolicy(name: $0.name, document: PolicyText($0.document)) } }
        func managed(_ arns: [String]) -> [D.AttachedPolicy] {
            attached.formUnion(arns)
            return arns.map { D.AttachedPolicy(name: String($0.split(separator: "/").last ?? ""), arn: $0) }
        }
        func tags(_ t: [EntityTag]) -> [D.Tag] { t.map { D.Tag(key: $0.key, value: $0.value) } }
        let users = state.users.values.sorted { $0.name < $1.name }.map { u in
            D.User(path: u.path, name: u.name, id: u.id, arn: state.userARN(u), groups: u.groups, inlinePolicies: inline(u.inlinePolicies),
                   attachedPolicies: managed(u.attachedPolicies), permissionsBoundary: u.permissionsBoundary.map { D.PermissionsBoundary(arn: $0) },
                   tags: tags(u.tags))
        }
        let groups = state.groups.values.sorted { $0.name < $1.name }.map { g in
            D.Group(path: g.path, name: g.name, id: g.id, arn: state.groupARN(g), inlinePolicies: inline(g.inlinePolicies),
                    attachedPolicies: managed(g.attachedPolicies))
        }
        let profiles = state.instanceProfiles.values
        let roles = state.roles.values.sorted { $0.name < $1.name }.map { r in
            D.Role(path: r.path, name: r.name, id: r.id, arn: state.roleARN(r), trustPolicy: PolicyText(r.assumeRolePolicy),
                   instanceProfiles: profiles.filter { $0.roles.contains { $0.lowercased() == r.name.lowercased() } }
                       .map { D.InstanceProfile(name: $0.name, arn: state.instanceProfileARN($0)) },
                   inlinePolicies: inline(r.inlinePolicies), attachedPolicies: managed(r.attachedPolicies),
                   permissionsBoundary: r.permissionsBoundary.map { D.PermissionsBoundary(arn: $0) }, tags: tags(r.tags))
        }
        // Boundaries are policies too: the analysis reads their documents.
        for u in state.users.values { if let b = u.permissionsBoundary { attached.insert(b) } }
        for r in state.roles.values { if let b = r.permissionsBoundary { attached.insert(b) } }
        var policies: [D.ManagedPolicy] = []
        for arn in attached.sorted() {
            if let aws = service.managedPolicies.policy(arn) {
                policies.append(D.ManagedPolicy(name: aws.name, arn: arn, defaultVersionID: aws.defaultVersionId, versions: [
                    D.PolicyVersion(document: PolicyText(aws.document), versionID: aws.defaultVersionId, isDefault: true)]))
            } else if let p = try? state.customerPolicy(arn) {
                policies.append(D.ManagedPolicy(name: p.name, arn: arn, defaultVersionID: p.defaultVersionID, versions: p.versions.map {
                    D.PolicyVersion(document: PolicyText($0.document), versionID: $0.id, isDefault: $0.id == p.defaultVersionID)
                }))
            }
        }
        // Customer managed policies attached to nobody still matter: a principal may attach them or version them.
        for p in state.policies.values where !attached.contains(p.arn) {
            policies.append(D.ManagedPolicy(name: p.name, arn: p.arn, defaultVersionID: p.defaultVersionID, versions: p.versions.map {
                D.PolicyVersion(document: PolicyText($0.document), versionID: $0.id, isDefault: $0.id == p.defaultVersionID)
            }))
        }
        return D(users: users, groups: groups, roles: roles, policies: policies)
    }
}
