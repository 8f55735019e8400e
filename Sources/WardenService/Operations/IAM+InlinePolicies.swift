import Foundation
import WardenCore
import WardenStore
import WardenWire

extension WardenService {
    static func inlinePolicies(_ h: PolicyHolder, _ state: AccountState) throws -> (arn: String, policies: [InlinePolicy], limit: Int, quota: String) {
        switch h {
        case .user(let n): let u = try state.user(n); return (state.userARN(u), u.inlinePolicies, PolicyDocuments.userInlineLimit, "user \(u.name)")
        case .group(let n): let g = try state.group(n); return (state.groupARN(g), g.inlinePolicies, PolicyDocuments.groupInlineLimit, "group \(g.name)")
        case .role(let n): let r = try state.role(n); return (state.roleARN(r), r.inlinePolicies, PolicyDocuments.roleInlineLimit, "role \(r.name)")
        }
    }

    static func updateInline(_ h: PolicyHolder, _ state: inout AccountState, _ change: (inout [InlinePolicy]) throws -> Void) throws {
        switch h {
        case .user(let n): var u = try state.user(n); try change(&u.inlinePolicies); state.users[u.name.lowercased()] = u
        case .group(let n): var g = try state.group(n); try change(&g.inlinePolicies); state.groups[g.name.lowercased()] = g
        case .role(let n):
            var r = try state.role(n)
            if r.serviceLinkedService != nil { throw ServiceLinkedRoles.protected(r.name) }
            try change(&r.inlinePolicies); state.roles[r.name.lowercased()] = r
        }
    }

    /// What changing a holder's inline policies needs: the holder, with its current boundary.
    static func inlineChange(_ h: PolicyHolder, _ call: Call) throws -> [Requirement] {
        let state = try call.state()
        return [Requirement(holderARN(h, state), context: boundaryContext(h, state))]
    }

    static func putInline(_ h: PolicyHolder, name: String, document: String, _ call: Call) throws {
        _ = try inlinePolicies(h, try call.state())
        try PolicyDocuments.validate(document, kind: .identity)
        try call.write { state in
            let (_, existing, limit, quota) = try inlinePolicies(h, state)
            let others = existing.filter { $0.name != name }
            let total = others.reduce(0) { $0 + PolicyDocuments.size($1.document) } + PolicyDocuments.size(document)
            if total > limit { throw ServiceError.limitExceeded("Maximum policy size of \(limit) bytes exceeded for \(quota).") }
            try updateInline(h, &state) { list in
                if let i = list.firstIndex(where: { $0.name == name }) { list[i].document = document } else { list.append(InlinePolicy(name: name, document: document)) }
            }
        }
    }

    static func getInline(_ h: PolicyHolder, name: String, _ call: Call) throws -> String {
        let (_, policies, _, _) = try inlinePolicies(h, try call.state())
        guard let p = policies.first(where: { $0.name == name }) else { throw noSuchInline(h, name) }
        return p.document
    }

    static func deleteInline(_ h: PolicyHolder, name: String, _ call: Call) throws {
        _ = try inlinePolicies(h, try call.state())
        try call.write { state in
            try updateInline(h, &state) { list in
                guard list.contains(where: { $0.name == name }) else { throw noSuchInline(h, name) }
                list.removeAll { $0.name == name }
            }
        }
    }

    static func listInline(_ h: PolicyHolder, _ marker: String?, _ maxItems: Int?, _ call: Call) throws -> Page<String> {
        let (_, policies, _, _) = try inlinePolicies(h, try call.state())
        return try Page(policies.map(\.name).sorted(), key: { $0 }, marker: marker, maxItems: maxItems)
    }

    static func noSuchInline(_ h: PolicyHolder, _ name: String) -> ServiceError {
        switch h {
        case .user(let n): .noSuchEntity("The user policy with name \(name) cannot be found.") // AWS names only the policy
        case .group(let n): .noSuchEntity("The group policy with name \(name) cannot be found.")
        case .role(let n): .noSuchEntity("The role policy with name \(name) cannot be found.")
        }
    }

    static func registerInlinePolicies(_ r: inout Registry) {
        r.on(.iam, "PutUserPolicy", authorize: .declared { i, call in try inlineChange(.user(i.userName), call) }) {
            (i: IAM.PutUserPolicyRequest, call) in try putInline(.user(i.userName), name: i.policyName, document: i.policyDocument, call) }
        r.on(.iam, "PutGroupPolicy", authorize: .declared { i, call in try inlineChange(.group(i.groupName), call) }) {
            (i: IAM.PutGroupPolicyRequest, call) in try putInline(.group(i.groupName), name: i.policyName, document: i.policyDocument, call) }
        r.on(.iam, "PutRolePolicy", authorize: .declared { i, call in try inlineChange(.role(i.roleName), call) }) {
            (i: IAM.PutRolePolicyRequest, call) in try putInline(.role(i.roleName), name: i.policyName, document: i.policyDocument, call) }
        r.on(.iam, "DeleteUserPolicy", authorize: .declared { i, call in try inlineChange(.user(i.userName), call) }) {
            (i: IAM.DeleteUserPolicyRequest, call) in try deleteInline(.user(i.userName), name: i.policyName, call) }
        r.on(.iam, "DeleteGroupPolicy", authorize: .declared { i, call in try inlineChange(.group(i.groupName), call) }) {
            (i: IAM.DeleteGroupPolicyRequest, call) in try deleteInline(.group(i.groupName), name: i.policyName, call) }
        r.on(.iam, "DeleteRolePolicy", authorize: .declared { i, call in try inlineChange(.role(i.roleName), call) }) {
            (i: IAM.DeleteRolePolicyRequest, call) in try deleteInline(.role(i.roleName), name: i.policyName, call) }
        r.on(.iam, "GetUserPolicy", authorize: .resource { i, call in holderARN(.user(i.userName), try call.state()) }) {
            (i: IAM.GetUserPolicyRequest, call) -> IAM.GetUserPolicyResponse in
            IAM.GetUserPolicyResponse(userName: try call.state().user(i.userName).name, policyName: i.policyName,
                                      policyDocument: try getInline(.user(i.userName), name: i.policyName, call))
        }
        r.on(.iam, "GetGroupPolicy", authorize: .resource { i, call in holderARN(.group(i.groupName), try call.state()) }) {
            (i: IAM.GetGroupPolicyRequest, call) -> IAM.GetGroupPolicyResponse in
            IAM.GetGroupPolicyResponse(groupName: try call.state().group(i.groupName).name, policyName: i.policyName,
                                       policyDocument: try getInline(.group(i.groupName), name: i.policyName, call))
        }
        r.on(.iam, "GetRolePolicy", authorize: .resource { i, call in holderARN(.role(i.roleName), try call.state()) }) {
            (i: IAM.GetRolePolicyRequest, call) -> IAM.GetRolePolicyResponse in
            IAM.GetRolePolicyResponse(roleName: try call.state().role(i.roleName).name, policyName: i.policyName,
                                      policyDocument: try getInline(.role(i.roleName), name: i.policyName, call))
        }
        r.on(.iam, "ListUserPolicies", authorize: .resource { i, call in holderARN(.user(i.userName), try call.state()) }) {
            (i: IAM.ListUserPoliciesRequest, call) -> IAM.ListUserPoliciesResponse in
            let p = try listInline(.user(i.userName), i.marker, i.maxItems, call)
            return IAM.ListUserPoliciesResponse(policyNames: p.items, isTruncated: p.isTruncated, marker: p.marker)
        }
        r.on(.iam, "ListGroupPolicies", authorize: .resource { i, call in holderARN(.group(i.groupName), try call.state()) }) {
            (i: IAM.ListGroupPoliciesRequest, call) -> IAM.ListGroupPoliciesResponse in
            let p = try listInline(.group(i.groupName), i.marker, i.maxItems, call)
            return IAM.ListGroupPoliciesResponse(policyNames: p.items, isTruncated: p.isTruncated, marker: p.marker)
        }
        r.on(.iam, "ListRolePolicies", authorize: .resource { i, call in holderARN(.role(i.roleName), try call.state()) }) {
            (i: IAM.ListRolePoliciesRequest, call) -> IAM.ListRolePoliciesResponse in
            let p = try listInline(.role(i.roleName), i.marker, i.maxItems, call)
            return IAM.ListRolePoliciesResponse(policyNames: p.items, isTruncated: p.isTruncated, marker: p.marker)
        }
    }
}
