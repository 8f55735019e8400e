import WardenCore
import WardenStore
import WardenWire

extension WardenService {
    static func registerInstanceProfiles(_ r: inout Registry) {
        r.on(.iam, "CreateInstanceProfile", authorize: .declared { input, call in
            [Requirement(ARN.iam(call.account, "instance-profile", path: input.path ?? "/", name: input.instanceProfileName),
                         tags: try Tagging.validate(input.tags))]
        }) { (input: IAM.CreateInstanceProfileRequest, call) -> IAM.CreateInstanceProfileResponse in
            let path = input.path ?? "/"
            let tags = try Tagging.validate(input.tags)
            return try call.write { state in
                let key = input.instanceProfileName.lowercased()
                if state.instanceProfiles[key] != nil {
                    throw ServiceError.alreadyExists("Instance Profile \(input.instanceProfileName) already exists.")
                }
                if state.instanceProfiles.count >= 1000 { throw ServiceError.limitExceeded("Cannot exceed quota for InstanceProfilesPerAccount: 1000") }
                var p = InstanceProfileRecord(id: Identifiers.uniqueID(.instanceProfile), name: input.instanceProfileName, path: path, createDate: call.now)
                p.tags = tags
                state.instanceProfiles[key] = p
                return IAM.CreateInstanceProfileResponse(instanceProfile: state.wireInstanceProfile(p))
            }
        }

        r.on(.iam, "GetInstanceProfile", authorize: .resource { input, call in
            try call.state().instanceProfileARN(named: input.instanceProfileName)
        }) { (input: IAM.GetInstanceProfileRequest, call) -> IAM.GetInstanceProfileResponse in
            let state = try call.state()
            let p = try state.instanceProfile(input.instanceProfileName)
            return IAM.GetInstanceProfileResponse(instanceProfile: state.wireInstanceProfile(p))
        }

        r.on(.iam, "DeleteInstanceProfile", authorize: .resource { input, call in
            try call.state().instanceProfileARN(named: input.instanceProfileName)
        }) { (input: IAM.DeleteInstanceProfileRequest, call) in
            let state = try call.state()
            let p = try state.instanceProfile(input.instanceProfileName)
            try call.write { state in
                let p = try state.instanceProfile(input.instanceProfileName)
                if !p.roles.isEmpty { throw ServiceError.deleteConflict("Cannot delete entity, must remove roles from instance profile first.") }
                state.instanceProfiles[p.name.lowercased()] = nil
            }
        }

        r.on(.iam, "ListInstanceProfiles", authorize: .resource { _, call in "arn:aws:iam::\(call.account):instance-profile/" }) {
            (input: IAM.ListInstanceProfilesRequest, call) -> IAM.ListInstanceProfilesResponse in
            let state = try call.state()
            let prefix = input.pathPrefix ?? "/"
            let all = state.instanceProfiles.values.filter { $0.path.hasPrefix(prefix) }.sorted { $0.name.lowercased() < $1.name.lowercased() }
            let page = try Page(all, key: { $0.name.lowercased() }, marker: input.marker, maxItems: input.maxItems)
            return IAM.ListInstanceProfilesResponse(instanceProfiles: page.items.map { state.wireInstanceProfile($0, listing: true) },
                                                    isTruncated: page.isTruncated, marker: page.marker)
        }

        r.on(.iam, "ListInstanceProfilesForRole", authorize: .resource { input, call in try call.state().roleARN(named: input.roleName) }) {
            (input: IAM.ListInstanceProfilesForRoleRequest, call) -> IAM.ListInstanceProfilesForRoleResponse in
            let state = try call.state()
            let role = try state.role(input.roleName)
            let all = state.instanceProfiles.values.filter { $0.roles.contains { $0.lowercased() == role.name.lowercased() } }
                .sorted { $0.name.lowercased() < $1.name.lowercased() }
            let page = try Page(all, key: { $0.name.lowercased() }, marker: input.marker, maxItems: input.maxItems)
            return IAM.ListInstanceProfilesForRoleResponse(instanceProfiles: page.items.map { state.wireInstanceProfile($0, listing: true) },
                                                           isTruncated: page.isTruncated, marker: page.marker)
        }

        r.on(.iam, "AddRoleToInstanceProfile", authorize: .resource { input, call in
            try call.state().instanceProfileARN(named: input.instanceProfileName)
        }) { (input: IAM.AddRoleToInstanceProfileRequest, call) in
            let state = try call.state()
            let p = try state.instanceProfile(input.instanceProfileName)
            // Passing the role: known once the role is found.
            let role = try state.role(input.roleName)
            try call.authorize(state.roleARN(role), action: "iam:PassRole", context: ["iam:PassedToService": ["ec2.amazonaws.com"]])
            try call.write { state in
                var p = try state.instanceProfile(input.instanceProfileName)
                let role = try state.role(input.roleName)
                if !p.roles.isEmpty { throw ServiceError.limitExceeded("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1") }
                p.roles = [role.name]
                state.instanceProfiles[p.name.lowercased()] = p
            }
        }

        r.on(.iam, "RemoveRoleFromInstanceProfile", authorize: .resource { input, call in
            try call.state().instanceProfileARN(named: input.instanceProfileName)
        }) { (input: IAM.RemoveRoleFromInstanceProfileRequest, call) in
            let state = try call.state()
            let p = try state.instanceProfile(input.instanceProfileName)
            try call.write { state in
                var p = try state.instanceProfile(input.instanceProfileName)
                _ = try state.role(input.roleName)
                guard p.roles.contains(where: { $0.lowercased() == input.roleName.lowercased() }) else {
                    throw ServiceError.noSuchEntity("The role with name \(input.roleName) cannot be found in instance profile \(p.name).")
                }
                p.roles.removeAll { $0.lowercased() == input.roleName.lowercased() }
                state.instanceProfiles[p.name.lowercased()] = p
            }
        }
    }
}
