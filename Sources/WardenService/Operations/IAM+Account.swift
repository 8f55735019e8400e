import Foundation
import WardenCore
import WardenStore
import WardenWire

extension WardenService {
    static func registerAccount(_ r: inout Registry) {
        r.on(.iam, "CreateAccountAlias", authorize: .anyResource) { (i: IAM.CreateAccountAliasRequest, call) in
            try call.write { state in
                if state.account.aliases == [i.accountAlias] { return }
                // Aliases are unique across the server, like across AWS.
                for (id, other) in call.service.store.snapshot().accounts where id != call.account && other.account.aliases.contains(i.accountAlias) {
                    throw ServiceError.alreadyExists("The account alias \(i.accountAlias) already exists.")
                }
                state.updateAccount { $0.aliases = [i.accountAlias] }
            }
        }

        r.on(.iam, "DeleteAccountAlias", authorize: .anyResource) { (i: IAM.DeleteAccountAliasRequest, call) in
            try call.write { state in
                guard state.account.aliases.contains(i.accountAlias) else {
                    throw ServiceError.noSuchEntity("The account alias \(i.accountAlias) does not exist.")
                }
                state.updateAccount { $0.aliases.removeAll { $0 == i.accountAlias } }
            }
        }

        r.on(.iam, "ListAccountAliases", authorize: .anyResource) { (i: IAM.ListAccountAliasesRequest, call) -> IAM.ListAccountAliasesResponse in
            let page = try Page(try call.state().account.aliases, key: { $0 }, marker: i.marker, maxItems: i.maxItems)
            return IAM.ListAccountAliasesResponse(accountAliases: page.items, isTruncated: page.isTruncated, marker: page.marker)
        }

        r.on(.iam, "GetAccountSummary", authorize: .anyResource) { (call: Call) -> IAM.GetAccountSummaryResponse in
            return IAM.GetAccountSummaryResponse(summaryMap: try call.state().summary())
        }

        r.on(.iam, "GetAccountAuthorizationDetails", authorize: .anyResource) { (i: IAM.GetAccountAuthorizationDetailsRequest, call) -> IAM.GetAccountAuthorizationDetailsResponse in
            return try authorizationDetails(i, call)
        }
    }

    static func authorizationDetails(_ i: IAM.GetAccountAuthorizationDetailsRequest, _ call: Call) throws -> IAM.GetAccountAuthorizationDetailsResponse {
        let state = try call.state()
        let filter = Set(i.filter ?? [.user, .group, .role, .localManagedPolicy, .awsManagedPolicy])
        func details(_ list: [InlinePolicy]) -> [IAM.PolicyDetail] { list.map { IAM.PolicyDetail(policyName: $0.name, policyDocument: $0.document) } }
        // One ordered list across kinds so that a marker pages through all of them.
        enum Item { case user(UserRecord), group(GroupRecord), role(RoleRecord), local(ManagedPolicyRecord), aws(AWSManagedPolicies.Policy) }
        var items: [(String, Item)] = []
        if filter.contains(.user) { items += state.users.values.sorted { $0.name.lowercased() < $1.name.lowercased() }.map { ("1\($0.name.lowercased())", .user($0)) } }
        if filter.contains(.group) { items += state.groups.values.sorted { $0.name.lowercased() < $1.name.lowercased() }.map { ("2\($0.name.lowercased())", .group($0)) } }
        if filter.contains(.role) { items += state.roles.values.sorted { $0.name.lowercased() < $1.name.lowercased() }.map { ("3\($0.name.lowercased())", .role($0)) } }
        if filter.contains(.localManagedPolicy) { items += state.policies.values.sorted { $0.name.lowercased() < $1.name.lowercased() }.map { ("4\($0.name.lowercased())", .local($0)) } }
        if filter.contains(.awsManagedPolicy) {
            // Like AWS, only the AWS managed policies in use in the account.
            items += call.service.managedPolicies.sorted.filter { state.attachmentCounts($0.arn) != (0, 0) }.map { ("5\($0.name.lowercased())", .aws($0)) }
        }
        let page = try Page(items, key: { $0.0 }, marker: i.marker, maxItems: i.maxItems)
        var users: [IAM.UserDetail] = [], groups: [IAM.GroupDetail] = [], roles: [IAM.RoleDetail] = [], policies: [IAM.ManagedPolicyDetail] = []
        for (_, item) in page.items {
            switch item {
            case .user(let u):
                users.append(IAM.UserDetail(path: u.path, userName: u.name, userId: u.id, arn: state.userARN(u), createDate: u.createDate,
                                            userPolicyList: details(u.inlinePolicies), groupList: u.groups,
                                            attachedManagedPolicies: u.attachedPolicies.map(state.wireAttached),
                                            permissionsBoundary: state.wireBoundary(u.permissionsBoundary), tags: u.tags.map(\.wire)))
            case .group(let g):
                groups.append(IAM.GroupDetail(path: g.path, groupName: g.name, groupId: g.id, arn: state.groupARN(g), createDate: g.createDate,
                                              groupPolicyList: details(g.inlinePolicies), attachedManagedPolicies: g.attachedPolicies.map(state.wireAttached)))
            case .role(let r):
                let profiles = state.instanceProfiles.values.filter { $0.roles.contains { $0.lowercased() == r.name.lowercased() } }
                roles.append(IAM.RoleDetail(path: r.path, roleName: r.name, roleId: r.id, arn: state.roleARN(r), createDate: r.createDate,
                                            assumeRolePolicyDocument: r.assumeRolePolicy, instanceProfileList: profiles.map { state.wireInstanceProfile($0) },
                                            rolePolicyList: details(r.inlinePolicies), attachedManagedPolicies: r.attachedPolicies.map(state.wireAttached),
                                            permissionsBoundary: state.wireBoundary(r.permissionsBoundary), tags: r.tags.map(\.wire),
                                            roleLastUsed: IAM.RoleLastUsed(lastUsedDate: r.lastUsedDate, region: r.lastUsedRegion)))
            case .local(let p):
                let c = state.attachmentCounts(p.arn)
                policies.append(IAM.ManagedPolicyDetail(
                    policyName: p.name, policyId: p.id, arn: p.arn, path: p.path, defaultVersionId: p.defaultVersionID,
                    attachmentCount: c.attachments, permissionsBoundaryUsageCount: c.boundaries, isAttachable: true, description: p.description,
                    createDate: p.createDate, updateDate: p.updateDate,
                    policyVersionList: p.versions.map { IAM.PolicyVersion(document: $0.document, versionId: $0.id, isDefaultVersion: $0.id == p.defaultVersionID, createDate: $0.createDate) }))
            case .aws(let p):
                let c = state.attachmentCounts(p.arn)
                policies.append(IAM.ManagedPolicyDetail(
                    policyName: p.name, policyId: awsPolicyID(p.arn), arn: p.arn, path: p.path, defaultVersionId: p.defaultVersionId,
                    attachmentCount: c.attachments, permissionsBoundaryUsageCount: c.boundaries, isAttachable: true, description: p.description,
                    createDate: p.createDate, updateDate: p.updateDate,
                    policyVersionList: [IAM.PolicyVersion(document: p.document, versionId: p.defaultVersionId, isDefaultVersion: true, createDate: p.updateDate)]))
            }
        }
        return IAM.GetAccountAuthorizationDetailsResponse(userDetailList: users, groupDetailList: groups, roleDetailList: roles,
                                                          policies: policies, isTruncated: page.isTruncated, marker: page.marker)
    }
}

extension AccountState {
    /// GetAccountSummary's map: true counts and AWS's default quotas.
    func summary() -> [String: Int] {
        let rootKeys = accessKeys.values.filter { $0.userName == nil }.count
        let mfaInUse = mfaDevices.values.filter { $0.userName != nil }.count
        var versionsInUse = 0
        for p in policies.values where attachmentCounts(p.arn) != (0, 0) { versionsInUse += p.versions.count }
        return [
            "Users": users.count, "UsersQuota": 5000, "Groups": groups.count, "GroupsQuota": 300,
            "ServerCertificates": serverCertificates.count, "ServerCertificatesQuota": 20,
            "UserPolicySizeQuota": 2048, "GroupPolicySizeQuota": 5120, "GroupsPerUserQuota": 10,
            "SigningCertificatesPerUserQuota": 2, "AccessKeysPerUserQuota": 2,
            "MFADevices": mfaDevices.count, "MFADevicesInUse": mfaInUse,
            "AccountMFAEnabled": account.rootMFASerial != nil ? 1 : 0,
            "AccountAccessKeysPresent": rootKeys > 0 ? 1 : 0,
            "AccountPasswordPresent": account.rootPasswordHash != nil ? 1 : 0,
            "AccountSigningCertificatesPresent": signingCertificates.values.contains { $0.userName.isEmpty } ? 1 : 0,
            "AttachedPoliciesPerGroupQuota": 10, "AttachedPoliciesPerRoleQuota": 10, "AttachedPoliciesPerUserQuota": 10,
            "Policies": policies.count, "PoliciesQuota": 1500, "PolicySizeQuota": 6144,
            "PolicyVersionsInUse": versionsInUse, "PolicyVersionsInUseQuota": 10000, "VersionsPerPolicyQuota": 5,
            "GlobalEndpointTokenVersion": account.globalEndpointTokenVersion == "v2Token" ? 2 : 1,
            "AssumeRolePolicySizeQuota": 2048, "InstanceProfiles": instanceProfiles.count, "InstanceProfilesQuota": 1000,
            "Providers": oidcProviders.count + samlProviders.count, "RolePolicySizeQuota": 10240,
            "Roles": roles.count, "RolesQuota": 1000,
        ]
    }
}
