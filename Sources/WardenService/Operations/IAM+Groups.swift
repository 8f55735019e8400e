import WardenCore
import WardenStore
import WardenWire

extension WardenService {
    static func registerGroups(_ r: inout Registry) {
        r.on(.iam, "CreateGroup", authorize: .resource { input, call in
            ARN.iam(call.account, "group", path: input.path ?? "/", name: input.groupName)
        }) { (input: IAM.CreateGroupRequest, call) -> IAM.CreateGroupResponse in
            let path = input.path ?? "/"
            return try call.write { state in
                let key = input.groupName.lowercased()
                if state.groups[key] != nil { throw ServiceError.alreadyExists("Group with name \(input.groupName) already exists.") }
                if state.groups.count >= 300 { throw ServiceError.limitExceeded("Cannot exceed quota for GroupsPerAccount: 300") }
                let group = GroupRecord(id: Identifiers.uniqueID(.group), name: input.groupName, path: path, createDate: call.now)
                state.groups[key] = group
                return IAM.CreateGroupResponse(group: state.wireGroup(group))
            }
        }

        r.on(.iam, "GetGroup", authorize: .resource { input, call in try call.state().groupARN(named: input.groupName) }) {
            (input: IAM.GetGroupRequest, call) -> IAM.GetGroupResponse in
            let state = try call.state()
            let group = try state.group(input.groupName)
            let members = state.users.values.filter { $0.groups.contains { $0.lowercased() == group.name.lowercased() } }
                .sorted { $0.name.lowercased() < $1.name.lowercased() }
            let page = try Page(members, key: { $0.name.lowercased() }, marker: input.marker, maxItems: input.maxItems)
            return IAM.GetGroupResponse(group: state.wireGroup(group), users: page.items.map { state.wireUser($0, tags: false) },
                                        isTruncated: page.isTruncated, marker: page.marker)
        }

        r.on(.iam, "ListGroups", authorize: .resource { _, call in "arn:aws:iam::\(call.account):group/" }) {
            (input: IAM.ListGroupsRequest, call) -> IAM.ListGroupsResponse in
            let state = try call.state()
            let prefix = input.pathPrefix ?? "/"
            let all = state.groups.values.filter { $0.path.hasPrefix(prefix) }.sorted { $0.name.lowercased() < $1.name.lowercased() }
            let page = try Page(all, key: { $0.name.lowercased() }, marker: input.marker, maxItems: input.maxItems)
            return IAM.ListGroupsResponse(groups: page.items.map(state.wireGroup), isTruncated: page.isTruncated, marker: page.marker)
        }

        r.on(.iam, "UpdateGroup", authorize: .resource { input, call in try call.state().groupARN(named: input.groupName) }) {
            (input: IAM.UpdateGroupRequest, call) in
            let state = try call.state()
            let group = try state.group(input.groupName)
            // As for UpdateUser: renaming or moving needs permission on the new ARN too.
            if input.newGroupName != nil || input.newPath != nil {
                let newARN = ARN.iam(call.account, "group", path: input.newPath ?? group.path, name: input.newGroupName ?? group.name)
                if newARN != state.groupARN(group) { try call.authorize(newARN) }
            }
            try call.write { state in
                var group = try state.group(input.groupName)
                let oldKey = group.name.lowercased()
                if let newName = input.newGroupName, newName.lowercased() != oldKey {
                    if state.groups[newName.lowercased()] != nil { throw ServiceError.alreadyExists("Group with name \(newName) already exists.") }
                    state.groups[oldKey] = nil
                    for u in state.users.values where u.groups.contains(where: { $0.lowercased() == oldKey }) {
                        var user = u
                        user.groups = user.groups.map { $0.lowercased() == oldKey ? newName : $0 }
                        state.users[user.name.lowercased()] = user
                    }
                }
                if let newName = input.newGroupName { group.name = newName }
                if let p = input.newPath { group.path = p }
                state.groups[group.name.lowercased()] = group
            }
        }

        r.on(.iam, "DeleteGroup", authorize: .resource { input, call in try call.state().groupARN(named: input.groupName) }) {
            (input: IAM.DeleteGroupRequest, call) in
            let state = try call.state()
            let group = try state.group(input.groupName)
            try call.write { state in
                let group = try state.group(input.groupName)
                let key = group.name.lowercased()
                if state.users.values.contains(where: { $0.groups.contains { $0.lowercased() == key } }) {
                    throw ServiceError.deleteConflict("Cannot delete entity, must remove users from group first.")
                }
                if !group.attachedPolicies.isEmpty {
                    throw ServiceError.deleteConflict("Cannot delete entity, must detach all policies first.")
                }
                if !group.inlinePolicies.isEmpty { throw ServiceError.deleteConflict("Cannot delete entity, must delete policies first.") }
                state.groups[key] = nil
            }
        }

        r.on(.iam, "AddUserToGroup", authorize: .resource { input, call in try call.state().groupARN(named: input.groupName) }) {
            (input: IAM.AddUserToGroupRequest, call) in
            let state = try call.state()
            let group = try state.group(input.groupName)
            try call.write { state in
                let group = try state.group(input.groupName)
                var user = try state.user(input.userName)
                if user.groups.contains(where: { $0.lowercased() == group.name.lowercased() }) { return }
                if user.groups.count >= 10 { throw ServiceError.limitExceeded("Cannot exceed quota for GroupsPerUser: 10") }
                user.groups.append(group.name)
                state.users[user.name.lowercased()] = user
            }
        }

        r.on(.iam, "RemoveUserFromGroup", authorize: .resource { input, call in try call.state().groupARN(named: input.groupName) }) {
            (input: IAM.RemoveUserFromGroupRequest, call) in
            let state = try call.state()
            let group = try state.group(input.groupName)
            try call.write { state in
                let group = try state.group(input.groupName)
                var user = try state.user(input.userName)
                guard user.groups.contains(where: { $0.lowercased() == group.name.lowercased() }) else {
                    throw ServiceError.noSuchEntity("The user with name \(input.userName) cannot be found in group \(input.groupName).")
                }
                user.groups.removeAll { $0.lowercased() == group.name.lowercased() }
                state.users[user.name.lowercased()] = user
            }
        }

        r.on(.iam, "ListGroupsForUser", authorize: .resource { input, call in try call.state().userARN(named: input.userName) }) {
            (input: IAM.ListGroupsForUserRequest, call) -> IAM.ListGroupsForUserResponse in
            let state = try call.state()
            let user = try state.user(input.userName)
            let groups = user.groups.compactMap { state.groups[$0.lowercased()] }
            let page = try Page(groups, key: { $0.name.lowercased() }, marker: input.marker, maxItems: input.maxItems)
            return IAM.ListGroupsForUserResponse(groups: page.items.map(state.wireGroup), isTruncated: page.isTruncated, marker: page.marker)
        }
    }
}
