import WardenCore
import WardenStore
import WardenWire

/// A taggable entity: how to find its ARN and tags, and how to write them back.
struct TagTarget {
    var arn: (AccountState) throws -> String
    var tags: (AccountState) throws -> [EntityTag]
    var update: (inout AccountState, (inout [EntityTag]) throws -> Void) throws -> Void
}

extension TagTarget {
    static func user(_ n: String) -> TagTarget {
        TagTarget(arn: { try $0.userARN($0.user(n)) }, tags: { try $0.user(n).tags },
                  update: { s, f in var u = try s.user(n); try f(&u.tags); s.users[u.name.lowercased()] = u })
    }
    static func role(_ n: String) -> TagTarget {
        TagTarget(arn: { try $0.roleARN($0.role(n)) }, tags: { try $0.role(n).tags },
                  update: { s, f in var r = try s.role(n); try f(&r.tags); s.roles[r.name.lowercased()] = r })
    }
    static func instanceProfile(_ n: String) -> TagTarget {
        TagTarget(arn: { try $0.instanceProfileARN($0.instanceProfile(n)) }, tags: { try $0.instanceProfile(n).tags },
                  update: { s, f in var p = try s.instanceProfile(n); try f(&p.tags); s.instanceProfiles[p.name.lowercased()] = p })
    }
    static func policy(_ arn: String) -> TagTarget {
        TagTarget(arn: { try $0.customerPolicy(arn).arn }, tags: { try $0.customerPolicy(arn).tags },
                  update: { s, f in var p = try s.customerPolicy(arn); try f(&p.tags); s.policies[p.name.lowercased()] = p })
    }
}

extension TagTarget {
    /// The target's ARN and tags, or the ARN it would have (and no tags) if it does not exist.
    func resolve(_ state: AccountState) throws -> (arn: String, tags: [EntityTag]) {
        try state.resolve({ s in (try arn(s), try tags(s)) }, missing: { ($0, []) })
    }
}

extension WardenService {
    /// What tagging needs: the target, with its current tags (`aws:ResourceTag/…`, which the authorizer's lookup
    /// by ARN would see only after the change) and the request's (`aws:RequestTag/…`, `aws:TagKeys`).
    static func tagging(_ t: TagTarget, _ tags: [IAM.Tag], _ call: Call) throws -> [Requirement] {
        let (arn, existing) = try t.resolve(try call.state())
        let new = try Tagging.validate(tags, existing: existing)
        var context = call.resourceTagContext(existing)
        for tag in new { context["aws:RequestTag/\(tag.key)"] = [tag.value] }
        context["aws:TagKeys"] = new.map(\.key)
        return [Requirement(arn, context: context)]
    }

    /// What untagging needs: the target, with its current tags and the keys to remove (`aws:TagKeys`).
    static func untagging(_ t: TagTarget, _ keys: [String], _ call: Call) throws -> [Requirement] {
        let (arn, existing) = try t.resolve(try call.state())
        var context = call.resourceTagContext(existing)
        context["aws:TagKeys"] = keys
        return [Requirement(arn, context: context)]
    }

    static func tag(_ t: TagTarget, _ tags: [IAM.Tag], _ call: Call) throws {
        let existing = try t.tags(try call.state())
        let new = try Tagging.validate(tags, existing: existing)
        try call.write { state in
            _ = try Tagging.validate(tags, existing: try t.tags(state))
            try t.update(&state) { $0.merge(new) }
        }
    }

    static func untag(_ t: TagTarget, _ keys: [String], _ call: Call) throws {
        _ = try t.tags(try call.state())
        try call.write { state in try t.update(&state) { $0.remove(keys: keys) } }
    }

    static func listTags(_ t: TagTarget, _ marker: String?, _ maxItems: Int?, _ call: Call) throws -> Page<IAM.Tag> {
        let state = try call.state()
        return try Page(try t.tags(state).map(\.wire), key: { $0.key }, marker: marker, maxItems: maxItems)
    }

    static func registerTags(_ r: inout Registry) {
        r.on(.iam, "TagUser", authorize: .declared { i, call in try tagging(.user(i.userName), i.tags, call) }) {
            (i: IAM.TagUserRequest, call) in try tag(.user(i.userName), i.tags, call)
        }
        r.on(.iam, "UntagUser", authorize: .declared { i, call in try untagging(.user(i.userName), i.tagKeys, call) }) {
            (i: IAM.UntagUserRequest, call) in try untag(.user(i.userName), i.tagKeys, call)
        }
        r.on(.iam, "ListUserTags", authorize: .resource { i, call in try TagTarget.user(i.userName).resolve(try call.state()).arn }) {
            (i: IAM.ListUserTagsRequest, call) -> IAM.ListUserTagsResponse in
            let p = try listTags(.user(i.userName), i.marker, i.maxItems, call)
            return IAM.ListUserTagsResponse(tags: p.items, isTruncated: p.isTruncated, marker: p.marker)
        }
        r.on(.iam, "TagRole", authorize: .declared { i, call in try tagging(.role(i.roleName), i.tags, call) }) {
            (i: IAM.TagRoleRequest, call) in try tag(.role(i.roleName), i.tags, call)
        }
        r.on(.iam, "UntagRole", authorize: .declared { i, call in try untagging(.role(i.roleName), i.tagKeys, call) }) {
            (i: IAM.UntagRoleRequest, call) in try untag(.role(i.roleName), i.tagKeys, call)
        }
        r.on(.iam, "ListRoleTags", authorize: .resource { i, call in try TagTarget.role(i.roleName).resolve(try call.state()).arn }) {
            (i: IAM.ListRoleTagsRequest, call) -> IAM.ListRoleTagsResponse in
            let p = try listTags(.role(i.roleName), i.marker, i.maxItems, call)
            return IAM.ListRoleTagsResponse(tags: p.items, isTruncated: p.isTruncated, marker: p.marker)
        }
        r.on(.iam, "TagInstanceProfile", authorize: .declared { i, call in try tagging(.instanceProfile(i.instanceProfileName), i.tags, call) }) {
            (i: IAM.TagInstanceProfileRequest, call) in try tag(.instanceProfile(i.instanceProfileName), i.tags, call)
        }
        r.on(.iam, "UntagInstanceProfile", authorize: .declared { i, call in try untagging(.instanceProfile(i.instanceProfileName), i.tagKeys, call) }) {
            (i: IAM.UntagInstanceProfileRequest, call) in try untag(.instanceProfile(i.instanceProfileName), i.tagKeys, call)
        }
        r.on(.iam, "ListInstanceProfileTags", authorize: .resource { i, call in try TagTarget.instanceProfile(i.instanceProfileName).resolve(try call.state()).arn }) {
            (i: IAM.ListInstanceProfileTagsRequest, call) -> IAM.ListInstanceProfileTagsResponse in
            let p = try listTags(.instanceProfile(i.instanceProfileName), i.marker, i.maxItems, call)
            return IAM.ListInstanceProfileTagsResponse(tags: p.items, isTruncated: p.isTruncated, marker: p.marker)
        }
        r.on(.iam, "TagPolicy", authorize: .declared { i, call in try tagging(.policy(i.policyArn), i.tags, call) }) {
            (i: IAM.TagPolicyRequest, call) in try tag(.policy(i.policyArn), i.tags, call)
        }
        r.on(.iam, "UntagPolicy", authorize: .declared { i, call in try untagging(.policy(i.policyArn), i.tagKeys, call) }) {
            (i: IAM.UntagPolicyRequest, call) in try untag(.policy(i.policyArn), i.tagKeys, call)
        }
        r.on(.iam, "ListPolicyTags", authorize: .resource { i, call in try TagTarget.policy(i.policyArn).resolve(try call.state()).arn }) {
            (i: IAM.ListPolicyTagsRequest, call) -> IAM.ListPolicyTagsResponse in
            let p = try listTags(.policy(i.policyArn), i.marker, i.maxItems, call)
            return IAM.ListPolicyTagsResponse(tags: p.items, isTruncated: p.isTruncated, marker: p.marker)
        }
    }
}
