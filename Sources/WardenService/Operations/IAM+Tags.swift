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

extension WardenService {
    static func tag(_ t: TagTarget, _ tags: [IAM.Tag], _ call: Call) throws {
        let state = try call.state()
        let existing = try t.tags(state)
        let new = try Tagging.validate(tags, existing: existing)
        var context = call.resourceTagContext(existing)
        for tag in new { context["aws:RequestTag/\(tag.key)"] = [tag.value] }
        context["aws:TagKeys"] = new.map(\.key)
        try call.authorize(try t.arn(state), context: context)
        try call.write { state in
            _ = try Tagging.validate(tags, existing: try t.tags(state))
            try t.update(&state) { $0.merge(new) }
        }
    }

    static func untag(_ t: TagTarget, _ keys: [String], _ call: Call) throws {
        let state = try call.state()
        var context = call.resourceTagContext(try t.tags(state))
        context["aws:TagKeys"] = keys
        try call.authorize(try t.arn(state), context: context)
        try call.write { state in try t.update(&state) { $0.remove(keys: keys) } }
    }

    static func listTags(_ t: TagTarget, _ marker: String?, _ maxItems: Int?, _ call: Call) throws -> Page<IAM.Tag> {
        let state = try call.state()
        try call.authorize(try t.arn(state))
        return try Page(try t.tags(state).map(\.wire), key: { $0.key }, marker: marker, maxItems: maxItems)
    }

    static func registerTags(_ r: inout Registry) {
        r.on(.iam, "TagUser") { (i: IAM.TagUserRequest, call) in try tag(.user(i.userName), i.tags, call) }
        r.on(.iam, "UntagUser") { (i: IAM.UntagUserRequest, call) in try untag(.user(i.userName), i.tagKeys, call) }
        r.on(.iam, "ListUserTags") { (i: IAM.ListUserTagsRequest, call) -> IAM.ListUserTagsResponse in
            let p = try listTags(.user(i.userName), i.marker, i.maxItems, call)
            return IAM.ListUserTagsResponse(tags: p.items, isTruncated: p.isTruncated, marker: p.marker)
        }
        r.on(.iam, "TagRole") { (i: IAM.TagRoleRequest, call) in try tag(.role(i.roleName), i.tags, call) }
        r.on(.iam, "UntagRole") { (i: IAM.UntagRoleRequest, call) in try untag(.role(i.roleName), i.tagKeys, call) }
        r.on(.iam, "ListRoleTags") { (i: IAM.ListRoleTagsRequest, call) -> IAM.ListRoleTagsResponse in
            let p = try listTags(.role(i.roleName), i.marker, i.maxItems, call)
            return IAM.ListRoleTagsResponse(tags: p.items, isTruncated: p.isTruncated, marker: p.marker)
        }
        r.on(.iam, "TagInstanceProfile") { (i: IAM.TagInstanceProfileRequest, call) in try tag(.instanceProfile(i.instanceProfileName), i.tags, call) }
        r.on(.iam, "UntagInstanceProfile") { (i: IAM.UntagInstanceProfileRequest, call) in try untag(.instanceProfile(i.instanceProfileName), i.tagKeys, call) }
        r.on(.iam, "ListInstanceProfileTags") { (i: IAM.ListInstanceProfileTagsRequest, call) -> IAM.ListInstanceProfileTagsResponse in
            let p = try listTags(.instanceProfile(i.instanceProfileName), i.marker, i.maxItems, call)
            return IAM.ListInstanceProfileTagsResponse(tags: p.items, isTruncated: p.isTruncated, marker: p.marker)
        }
        r.on(.iam, "TagPolicy") { (i: IAM.TagPolicyRequest, call) in try tag(.policy(i.policyArn), i.tags, call) }
        r.on(.iam, "UntagPolicy") { (i: IAM.UntagPolicyRequest, call) in try untag(.policy(i.policyArn), i.tagKeys, call) }
        r.on(.iam, "ListPolicyTags") { (i: IAM.ListPolicyTagsRequest, call) -> IAM.ListPolicyTagsResponse in
            let p = try listTags(.policy(i.policyArn), i.marker, i.maxItems, call)
            return IAM.ListPolicyTagsResponse(tags: p.items, isTruncated: p.isTruncated, marker: p.marker)
        }
    }
}
