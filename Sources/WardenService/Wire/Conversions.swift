import WardenCore
import WardenStore
import WardenWire

/// Records as the wire shapes of the IAM model.
extension AccountState {
    /// `tags: false` is the ListUsers shape, which AWS gives without the boundary and the tags.
    func wireUser(_ u: UserRecord, tags: Bool = true) -> IAM.User {
        IAM.User(path: u.path, userName: u.name, userId: u.id, arn: userARN(u), createDate: u.createDate,
                 passwordLastUsed: u.passwordLastUsed, permissionsBoundary: tags ? wireBoundary(u.permissionsBoundary) : nil,
                 tags: tags && !u.tags.isEmpty ? u.tags.map(\.wire) : nil)
    }

    func wireGroup(_ g: GroupRecord) -> IAM.Group {
        IAM.Group(path: g.path, groupName: g.name, groupId: g.id, arn: groupARN(g), createDate: g.createDate)
    }

    /// `listing` is the ListRoles shape: AWS leaves out the boundary and the tags there (Warden keeps
    /// RoleLastUsed, which tells at a glance which roles are unused).
    func wireRole(_ r: RoleRecord, full: Bool = true, listing: Bool = false) -> IAM.Role {
        IAM.Role(path: r.path, roleName: r.name, roleId: r.id, arn: roleARN(r), createDate: r.createDate,
                 assumeRolePolicyDocument: r.assumeRolePolicy, description: r.description,
                 maxSessionDuration: r.maxSessionDuration,
                 permissionsBoundary: full && !listing ? wireBoundary(r.permissionsBoundary) : nil,
                 tags: full && !listing && !r.tags.isEmpty ? r.tags.map(\.wire) : nil,
                 roleLastUsed: full ? IAM.RoleLastUsed(lastUsedDate: r.lastUsedDate, region: r.lastUsedRegion) : nil)
    }

    /// `listing` is the ListInstanceProfiles(ForRole) shape, without tags.
    func wireInstanceProfile(_ p: InstanceProfileRecord, listing: Bool = false) -> IAM.InstanceProfile {
        IAM.InstanceProfile(path: p.path, instanceProfileName: p.name, instanceProfileId: p.id, arn: instanceProfileARN(p),
                            createDate: p.createDate,
                            roles: p.roles.compactMap { roles[$0.lowercased()] }.map { wireRole($0, full: false) },
                            tags: listing || p.tags.isEmpty ? nil : p.tags.map(\.wire))
    }

    func wireBoundary(_ arn: String?) -> IAM.AttachedPermissionsBoundary? {
        arn.map { IAM.AttachedPermissionsBoundary(permissionsBoundaryType: .permissionsBoundaryPolicy, permissionsBoundaryArn: $0) }
    }

    /// `listing` is the ListPolicies shape: AWS leaves out the description and the tags there.
    func wirePolicy(_ p: ManagedPolicyRecord, listing: Bool = false) -> IAM.Policy {
        let counts = attachmentCounts(p.arn)
        return IAM.Policy(policyName: p.name, policyId: p.id, arn: p.arn, path: p.path, defaultVersionId: p.defaultVersionID,
                          attachmentCount: counts.attachments, permissionsBoundaryUsageCount: counts.boundaries, isAttachable: true,
                          description: listing ? nil : p.description, createDate: p.createDate, updateDate: p.updateDate,
                          tags: !listing && !p.tags.isEmpty ? p.tags.map(\.wire) : nil)
    }

    func wireAWSPolicy(_ p: AWSManagedPolicies.Policy, listing: Bool = false) -> IAM.Policy {
        let counts = attachmentCounts(p.arn)
        return IAM.Policy(policyName: p.name, policyId: awsPolicyID(p.arn), arn: p.arn, path: p.path, defaultVersionId: p.defaultVersionId,
                          attachmentCount: counts.attachments, permissionsBoundaryUsageCount: counts.boundaries, isAttachable: true,
                          description: listing ? nil : p.description, createDate: p.createDate, updateDate: p.updateDate, tags: nil)
    }

    func wireAttached(_ arn: String) -> IAM.AttachedPolicy {
        IAM.AttachedPolicy(policyName: ARN.parse(arn).flatMap { ARN.pathAndName(ofResource: $0.resource)?.name } ?? arn, policyArn: arn)
    }
}

/// A stable, AWS-shaped id for an AWS managed policy (ANPA + 17 characters derived from its ARN).
func awsPolicyID(_ arn: String) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in arn.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    var out = "ANPA"
    var x = h
    for i in 0..<17 {
        if i == 12 { x = h &* 0x9E37_79B9_7F4A_7C15 }
        out.append(alphabet[Int(x & 31)]); x >>= 5
    }
    return out
}

extension EntityTag {
    var wire: IAM.Tag { IAM.Tag(key: key, value: value) }
    init(_ t: IAM.Tag) { self.init(key: t.key, value: t.value) }
}

extension Array where Element == IAM.Tag {
    var entityTags: [EntityTag] { map(EntityTag.init) }
}
