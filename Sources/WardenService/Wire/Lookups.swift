import WardenCore
import WardenStore

/// Lookups that answer AWS's `NoSuchEntity` messages.
extension AccountState {
    func user(_ name: String) throws -> UserRecord {
        guard let u = users[name.lowercased()] else { throw ServiceError.noSuchEntity("The user with name \(name) cannot be found.", resource: missingARN("user", name)) }
        return u
    }
    func group(_ name: String) throws -> GroupRecord {
        guard let g = groups[name.lowercased()] else { throw ServiceError.noSuchEntity("The group with name \(name) cannot be found.", resource: missingARN("group", name)) }
        return g
    }
    func role(_ name: String) throws -> RoleRecord {
        guard let r = roles[name.lowercased()] else { throw ServiceError.noSuchEntity("The role with name \(name) cannot be found.", resource: missingARN("role", name)) }
        return r
    }
    func instanceProfile(_ name: String) throws -> InstanceProfileRecord {
        guard let p = instanceProfiles[name.lowercased()] else {
            throw ServiceError.noSuchEntity("Instance Profile \(name) cannot be found.", resource: missingARN("instance-profile", name))
        }
        return p
    }
    /// A customer managed policy by ARN.
    func customerPolicy(_ arn: String) throws -> ManagedPolicyRecord {
        guard let parts = ARN.parse(arn), parts.account == account.id, let pn = ARN.pathAndName(ofResource: parts.resource),
              pn.type == "policy", let p = policies[pn.name.lowercased()], p.arn == arn else {
            throw ServiceError.noSuchEntity("Policy \(arn) does not exist or is not attachable.", resource: arn)
        }
        return p
    }
    /// The ARN AWS authorizes a request on when the named entity does not exist (it cannot know the path).
    func missingARN(_ type: String, _ name: String) -> String { ARN.iam(account.id, type, path: "/", name: name) }
    /// What an operation is authorized on, resolved by a lookup that throws AWS's not-found errors: when the entity
    /// does not exist, `missing` builds the answer from the ARN it would have (the error's `missingResource`, `*`
    /// when it names none). Declared requirements use it, because they must not tell whether an entity exists.
    func resolve<T>(_ lookup: (AccountState) throws -> T, missing: (String) -> T) throws -> T {
        do {
            return try lookup(self)
        } catch let e as ServiceError where WardenService.revealsExistence(e.code) {
            return missing(e.missingResource ?? "*")
        }
    }
    /// The ARN of the named user, or the ARN it would have (path `/`) if it does not exist.
    func userARN(named name: String) -> String { users[name.lowercased()].map(userARN) ?? missingARN("user", name) }
    /// The ARN of the named group, or the ARN it would have (path `/`) if it does not exist.
    func groupARN(named name: String) -> String { groups[name.lowercased()].map(groupARN) ?? missingARN("group", name) }
    /// The ARN of the named role, or the ARN it would have (path `/`) if it does not exist.
    func roleARN(named name: String) -> String { roles[name.lowercased()].map(roleARN) ?? missingARN("role", name) }
    /// The ARN of the named instance profile, or the ARN it would have (path `/`) if it does not exist.
    func instanceProfileARN(named name: String) -> String {
        instanceProfiles[name.lowercased()].map(instanceProfileARN) ?? missingARN("instance-profile", name)
    }
    /// Where a policy ARN lives: this account's customer policies or the AWS managed set.
    func isCustomerPolicyARN(_ arn: String) -> Bool { arn.hasPrefix("arn:aws:iam::\(account.id):policy/") }

    func userARN(_ u: UserRecord) -> String { ARN.iam(account.id, "user", path: u.path, name: u.name) }
    func groupARN(_ g: GroupRecord) -> String { ARN.iam(account.id, "group", path: g.path, name: g.name) }
    func roleARN(_ r: RoleRecord) -> String { ARN.iam(account.id, "role", path: r.path, name: r.name) }
    func instanceProfileARN(_ p: InstanceProfileRecord) -> String { ARN.iam(account.id, "instance-profile", path: p.path, name: p.name) }

    /// The tags of the entity an IAM ARN names, if it exists and can carry tags (`aws:ResourceTag/…`).
    func resourceTags(_ arn: String) -> [EntityTag]? {
        guard arn.hasPrefix("arn:aws:iam::\(account.id):"), let parts = ARN.parse(arn),
              let pn = ARN.pathAndName(ofResource: parts.resource) else { return nil }
        let key = pn.name.lowercased()
        switch pn.type {
        case "user": return users[key].flatMap { userARN($0) == arn ? $0.tags : nil }
        case "role": return roles[key].flatMap { roleARN($0) == arn ? $0.tags : nil }
        case "instance-profile": return instanceProfiles[key].flatMap { instanceProfileARN($0) == arn ? $0.tags : nil }
        case "policy": return policies[key].flatMap { $0.arn == arn ? $0.tags : nil }
        case "oidc-provider": return oidcProviders[arn]?.tags
        case "saml-provider": return samlProviders[arn]?.tags
        case "server-certificate": return serverCertificates[key]?.tags
        case "mfa": return mfaDevices[arn]?.tags
        default: return nil
        }
    }

    /// How many users, groups and roles attach a policy, and how many use it as a boundary.
    func attachmentCounts(_ arn: String) -> (attachments: Int, boundaries: Int) {
        var a = 0, b = 0
        for u in users.values {
            if u.attachedPolicies.contains(arn) { a += 1 }
            if u.permissionsBoundary == arn { b += 1 }
        }
        for g in groups.values where g.attachedPolicies.contains(arn) { a += 1 }
        for r in roles.values {
            if r.attachedPolicies.contains(arn) { a += 1 }
            if r.permissionsBoundary == arn { b += 1 }
        }
        return (a, b)
    }
}

extension Call {
    /// The ARN of a user in the caller's account.
    func userARN(path: String, name: String) -> String { ARN.iam(account, "user", path: path, name: name) }
    /// Resource-tag context keys for a tagged target entity, where the authorizer's own lookup by ARN cannot give
    /// them: the tags before a tag change, or an entity authorized under the new ARN of a rename.
    func resourceTagContext(_ tags: [EntityTag]) -> [String: [String]] {
        var c: [String: [String]] = [:]
        for t in tags { c["aws:ResourceTag/\(t.key)"] = [t.value]; c["iam:ResourceTag/\(t.key)"] = [t.value] }
        return c
    }
}
