import Foundation
import WardenCore
import WardenStore
import WardenWire

/// The three kinds of entity that carry policies.
enum PolicyHolder {
    case user(String), group(String), role(String)
}

extension WardenService {
    /// Reads the ARN and attached policies of a holder.
    static func holder(_ h: PolicyHolder, _ state: AccountState) throws -> (arn: String, attached: [String]) {
        switch h {
        case .user(let n): let u = try state.user(n); return (state.userARN(u), u.attachedPolicies)
        case .group(let n): let g = try state.group(n); return (state.groupARN(g), g.attachedPolicies)
        case .role(let n): let r = try state.role(n); return (state.roleARN(r), r.attachedPolicies)
        }
    }

    /// The ARN of a holder, or the ARN it would have (path `/`) if it does not exist.
    static func holderARN(_ h: PolicyHolder, _ state: AccountState) -> String {
        switch h {
        case .user(let n): state.userARN(named: n)
        case .group(let n): state.groupARN(named: n)
        case .role(let n): state.roleARN(named: n)
        }
    }

    /// What attaching or detaching a policy needs: the holder, with its current boundary and the policy's ARN.
    static func attachment(_ h: PolicyHolder, _ arn: String, _ call: Call) throws -> [Requirement] {
        let state = try call.state()
        return [Requirement(holderARN(h, state), context: boundaryContext(h, state).merging(["iam:PolicyARN": [arn]]) { a, _ in a })]
    }

    /// `iam:PermissionsBoundary` for an operation that changes a user's or role's permissions: AWS sets it to
    /// the target's current boundary, so that delegated administrators can be limited to bounded entities.
    static func boundaryContext(_ h: PolicyHolder, _ state: AccountState) -> [String: [String]] {
        let boundary: String? = switch h {
        case .user(let n): state.users[n.lowercased()]?.permissionsBoundary
        case .role(let n): state.roles[n.lowercased()]?.permissionsBoundary
        case .group: nil
        }
        return boundary.map { ["iam:PermissionsBoundary": [$0]] } ?? [:]
    }

    /// Changes a holder's attached policies in a transaction.
    static func updateAttached(_ h: PolicyHolder, _ state: inout AccountState, _ change: (inout [String]) throws -> Void) throws {
        switch h {
        case .user(let n): var u = try state.user(n); try change(&u.attachedPolicies); state.users[u.name.lowercased()] = u
        case .group(let n): var g = try state.group(n); try change(&g.attachedPolicies); state.groups[g.name.lowercased()] = g
        case .role(let n):
            var r = try state.role(n)
            if r.serviceLinkedService != nil { throw ServiceLinkedRoles.protected(r.name) }
            try change(&r.attachedPolicies); state.roles[r.name.lowercased()] = r
        }
    }

    static func attach(_ h: PolicyHolder, _ arn: String, _ call: Call) throws {
        _ = try holder(h, try call.state())
        try call.write { state in
            try state.checkPolicyExists(arn, service: call.service)
            try updateAttached(h, &state) { list in
                if list.contains(arn) { return }
                if list.count >= 10 {
                    let quota = switch h { case .user: "PoliciesPerUser"; case .group: "PoliciesPerGroup"; case .role: "PoliciesPerRole" }
                    throw ServiceError.limitExceeded("Cannot exceed quota for \(quota): 10")
                }
                list.append(arn)
            }
        }
    }

    static func detach(_ h: PolicyHolder, _ arn: String, _ call: Call) throws {
        _ = try holder(h, try call.state())
        try call.write { state in
            try updateAttached(h, &state) { list in
                guard list.contains(arn) else { throw ServiceError.noSuchEntity("Policy \(arn) was not found.") }
                list.removeAll { $0 == arn }
            }
        }
    }

    static func listAttached(_ h: PolicyHolder, _ pathPrefix: String?, _ marker: String?, _ maxItems: Int?, _ call: Call) throws
        -> (items: [IAM.AttachedPolicy], isTruncated: Bool, marker: String?) {
        let state = try call.state()
        let (_, attached) = try holder(h, state)
        let prefix = pathPrefix ?? "/"
        let filtered = attached.filter { arn in
            (ARN.parse(arn).flatMap { ARN.pathAndName(ofResource: $0.resource) }?.path ?? "/").hasPrefix(prefix)
        }
        let page = try Page(filtered.map(state.wireAttached), key: { $0.policyArn ?? "" }, marker: marker, maxItems: maxItems)
        return (page.items, page.isTruncated, page.marker)
    }

    static func registerAttachments(_ r: inout Registry) {
        r.on(.iam, "AttachUserPolicy", authorize: .declared { i, call in try attachment(.user(i.userName), i.policyArn, call) }) {
            (i: IAM.AttachUserPolicyRequest, call) in try attach(.user(i.userName), i.policyArn, call)
        }
        r.on(.iam, "AttachGroupPolicy", authorize: .declared { i, call in try attachment(.group(i.groupName), i.policyArn, call) }) {
            (i: IAM.AttachGroupPolicyRequest, call) in try attach(.group(i.groupName), i.policyArn, call)
        }
        r.on(.iam, "AttachRolePolicy", authorize: .declared { i, call in try attachment(.role(i.roleName), i.policyArn, call) }) {
            (i: IAM.AttachRolePolicyRequest, call) in try attach(.role(i.roleName), i.policyArn, call)
        }
        r.on(.iam, "DetachUserPolicy", authorize: .declared { i, call in try attachment(.user(i.userName), i.policyArn, call) }) {
            (i: IAM.DetachUserPolicyRequest, call) in try detach(.user(i.userName), i.policyArn, call)
        }
        r.on(.iam, "DetachGroupPolicy", authorize: .declared { i, call in try attachment(.group(i.groupName), i.policyArn, call) }) {
            (i: IAM.DetachGroupPolicyRequest, call) in try detach(.group(i.groupName), i.policyArn, call)
        }
        r.on(.iam, "DetachRolePolicy", authorize: .declared { i, call in try attachment(.role(i.roleName), i.policyArn, call) }) {
            (i: IAM.DetachRolePolicyRequest, call) in try detach(.role(i.roleName), i.policyArn, call)
        }

        r.on(.iam, "ListAttachedUserPolicies", authorize: .resource { i, call in holderARN(.user(i.userName), try call.state()) }) {
            (i: IAM.ListAttachedUserPoliciesRequest, call) -> IAM.ListAttachedUserPoliciesResponse in
            let p = try listAttached(.user(i.userName), i.pathPrefix, i.marker, i.maxItems, call)
            return IAM.ListAttachedUserPoliciesResponse(attachedPolicies: p.items, isTruncated: p.isTruncated, marker: p.marker)
        }
        r.on(.iam, "ListAttachedGroupPolicies", authorize: .resource { i, call in holderARN(.group(i.groupName), try call.state()) }) {
            (i: IAM.ListAttachedGroupPoliciesRequest, call) -> IAM.ListAttachedGroupPoliciesResponse in
            let p = try listAttached(.group(i.groupName), i.pathPrefix, i.marker, i.maxItems, call)
            return IAM.ListAttachedGroupPoliciesResponse(attachedPolicies: p.items, isTruncated: p.isTruncated, marker: p.marker)
        }
        r.on(.iam, "ListAttachedRolePolicies", authorize: .resource { i, call in holderARN(.role(i.roleName), try call.state()) }) {
            (i: IAM.ListAttachedRolePoliciesRequest, call) -> IAM.ListAttachedRolePoliciesResponse in
            let p = try listAttached(.role(i.roleName), i.pathPrefix, i.marker, i.maxItems, call)
            return IAM.ListAttachedRolePoliciesResponse(attachedPolicies: p.items, isTruncated: p.isTruncated, marker: p.marker)
        }

        r.on(.iam, "ListEntitiesForPolicy", authorize: .resource { i, _ in i.policyArn }) {
            (i: IAM.ListEntitiesForPolicyRequest, call) -> IAM.ListEntitiesForPolicyResponse in
            let state = try call.state()
            try state.checkPolicyExists(i.policyArn, service: call.service)
            let prefix = i.pathPrefix ?? "/"
            let boundary = i.policyUsageFilter == .permissionsBoundary
            func uses(_ attached: [String], _ b: String?) -> Bool { boundary ? b == i.policyArn : attached.contains(i.policyArn) }
            // One ordered list of (kind, name) so one marker pages across the three kinds.
            var entries: [(kind: Int, name: String, id: String)] = []
            if i.entityFilter == nil || i.entityFilter == .user || i.entityFilter == .localManagedPolicy || i.entityFilter == .awsManagedPolicy {
                if i.entityFilter == nil || i.entityFilter == .user {
                    entries += state.users.values.filter { $0.path.hasPrefix(prefix) && uses($0.attachedPolicies, $0.permissionsBoundary) }.map { (1, $0.name, $0.id) }
                }
            }
            if i.entityFilter == nil || i.entityFilter == .group, !boundary {
                entries += state.groups.values.filter { $0.path.hasPrefix(prefix) && uses($0.attachedPolicies, nil) }.map { (0, $0.name, $0.id) }
            }
            if i.entityFilter == nil || i.entityFilter == .role {
                entries += state.roles.values.filter { $0.path.hasPrefix(prefix) && uses($0.attachedPolicies, $0.permissionsBoundary) }.map { (2, $0.name, $0.id) }
            }
            entries.sort { ($0.kind, $0.name.lowercased()) < ($1.kind, $1.name.lowercased()) }
            let page = try Page(entries, key: { "\($0.kind)\($0.name.lowercased())" }, marker: i.marker, maxItems: i.maxItems)
            return IAM.ListEntitiesForPolicyResponse(
                policyGroups: page.items.filter { $0.kind == 0 }.map { IAM.PolicyGroup(groupName: $0.name, groupId: $0.id) },
                policyUsers: page.items.filter { $0.kind == 1 }.map { IAM.PolicyUser(userName: $0.name, userId: $0.id) },
                policyRoles: page.items.filter { $0.kind == 2 }.map { IAM.PolicyRole(roleName: $0.name, roleId: $0.id) },
                isTruncated: page.isTruncated, marker: page.marker)
        }

        r.on(.iam, "ListPoliciesGrantingServiceAccess", authorize: .resource { i, _ in i.arn }) {
            (i: IAM.ListPoliciesGrantingServiceAccessRequest, call) -> IAM.ListPoliciesGrantingServiceAccessResponse in
            try policiesGrantingServiceAccess(i, call)
        }
    }
}
