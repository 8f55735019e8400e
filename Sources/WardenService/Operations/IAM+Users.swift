import Foundation
import WardenCore
import WardenStore
import WardenWire

extension WardenService {
    static let usersQuota = 5000

    static func registerUsers(_ r: inout Registry) {
        r.on(.iam, "CreateUser", authorize: .declared { input, call in
            var context: [String: [String]] = [:]
            if let b = input.permissionsBoundary { context["iam:PermissionsBoundary"] = [b] }
            return [Requirement(call.userARN(path: input.path ?? "/", name: input.userName), context: context,
                                tags: try Tagging.validate(input.tags))]
        }) { (input: IAM.CreateUserRequest, call) -> IAM.CreateUserResponse in
            let path = input.path ?? "/"
            let tags = try Tagging.validate(input.tags)
            return try call.write { state in
                let key = input.userName.lowercased()
                if state.users[key] != nil { throw ServiceError.alreadyExists("User with name \(input.userName) already exists.") }
                if state.users.count >= usersQuota { throw ServiceError.limitExceeded("Cannot exceed quota for UsersPerAccount: \(usersQuota)") }
                var user = UserRecord(id: Identifiers.uniqueID(.user), name: input.userName, path: path, createDate: call.now)
                user.tags = tags
                if let b = input.permissionsBoundary {
                    try state.checkPolicyExists(b, service: call.service)
                    user.permissionsBoundary = b
                }
                state.users[key] = user
                return IAM.CreateUserResponse(user: state.wireUser(user))
            }
        }

        r.on(.iam, "GetUser", authorize: .resource { input, call in
            guard let name = input.userName ?? (call.caller.principal.kind == .user ? call.caller.principal.name : nil) else {
                if call.caller.principal.kind == .root { return call.caller.principal.arn }
                throw ServiceError(.validationError, "Must specify userName when calling with non-User credentials")
            }
            return try call.state().userARN(named: name)
        }) { (input: IAM.GetUserRequest, call) -> IAM.GetUserResponse in
            let state = try call.state()
            guard let name = input.userName ?? (call.caller.principal.kind == .user ? call.caller.principal.name : nil) else {
                if call.caller.principal.kind == .root {
                    return IAM.GetUserResponse(user: IAM.User(path: "/", userName: "root", userId: call.account, arn: ARN.root(call.account),
                                                              createDate: state.account.createDate, passwordLastUsed: state.account.rootPasswordLastUsed))
                }
                throw ServiceError(.validationError, "Must specify userName when calling with non-User credentials")
            }
            let user = try state.user(name)
            return IAM.GetUserResponse(user: state.wireUser(user))
        }

        r.on(.iam, "ListUsers", authorize: .resource { _, call in "arn:aws:iam::\(call.account):user/" }) {
            (input: IAM.ListUsersRequest, call) -> IAM.ListUsersResponse in
            let state = try call.state()
            let prefix = input.pathPrefix ?? "/"
            let all = state.users.values.filter { $0.path.hasPrefix(prefix) }.sorted { $0.name.lowercased() < $1.name.lowercased() }
            let page = try Page(all, key: { $0.name.lowercased() }, marker: input.marker, maxItems: input.maxItems)
            return IAM.ListUsersResponse(users: page.items.map { state.wireUser($0, tags: false) }, isTruncated: page.isTruncated, marker: page.marker)
        }

        r.on(.iam, "UpdateUser", authorize: .resource { input, call in try call.state().userARN(named: input.userName) }) {
            (input: IAM.UpdateUserRequest, call) in
            let user = try call.state().user(input.userName)
            // A rename or move needs permission on the new ARN too, known once the user is found.
            if let newName = input.newUserName, newName != user.name {
                try call.authorize(call.userARN(path: input.newPath ?? user.path, name: newName))
            }
            try call.write { state in
                var user = try state.user(input.userName)
                let oldKey = user.name.lowercased()
                if let newName = input.newUserName, newName.lowercased() != oldKey {
                    if state.users[newName.lowercased()] != nil { throw ServiceError.alreadyExists("User with name \(newName) already exists.") }
                    state.users[oldKey] = nil
                    // Keys, devices and credentials name their user; follow the rename.
                    for key in state.accessKeys.values where key.userName?.lowercased() == oldKey {
                        var k = key; k.userName = newName; state.accessKeys[k.id] = k
                    }
                    for d in state.mfaDevices.values where d.userName?.lowercased() == oldKey {
                        var dev = d; dev.userName = newName; state.mfaDevices[d.serial] = dev
                    }
                    for k in state.sshPublicKeys.values where k.userName.lowercased() == oldKey {
                        var x = k; x.userName = newName; state.sshPublicKeys[k.id] = x
                    }
                    for c in state.signingCertificates.values where c.userName.lowercased() == oldKey {
                        var x = c; x.userName = newName; state.signingCertificates[c.id] = x
                    }
                    for c in state.serviceSpecificCredentials.values where c.userName.lowercased() == oldKey {
                        var x = c; x.userName = newName; state.serviceSpecificCredentials[c.id] = x
                    }
                }
                if let newName = input.newUserName { user.name = newName }
                if let p = input.newPath { user.path = p }
                state.users[user.name.lowercased()] = user
            }
        }

        r.on(.iam, "DeleteUser", authorize: .resource { input, call in try call.state().userARN(named: input.userName) }) {
            (input: IAM.DeleteUserRequest, call) in
            let state = try call.state()
            let user = try state.user(input.userName)
            try call.write { state in
                let user = try state.user(input.userName)
                let lower = user.name.lowercased()
                if !user.attachedPolicies.isEmpty {
                    throw ServiceError.deleteConflict("Cannot delete entity, must detach all policies first.")
                }
                if !user.inlinePolicies.isEmpty { throw ServiceError.deleteConflict("Cannot delete entity, must delete policies first.") }
                if !user.groups.isEmpty { throw ServiceError.deleteConflict("Cannot delete entity, must remove user from all groups first.") }
                if state.accessKeys.values.contains(where: { $0.userName?.lowercased() == lower }) {
                    throw ServiceError.deleteConflict("Cannot delete entity, must delete access keys first.")
                }
                if user.loginProfile != nil { throw ServiceError.deleteConflict("Cannot delete entity, must delete login profile first.") }
                if state.mfaDevices.values.contains(where: { $0.userName?.lowercased() == lower }) {
                    throw ServiceError.deleteConflict("Cannot delete entity, must delete MFA device first.")
                }
                if state.sshPublicKeys.values.contains(where: { $0.userName.lowercased() == lower }) {
                    throw ServiceError.deleteConflict("Cannot delete entity, must delete SSH public keys first.")
                }
                if state.signingCertificates.values.contains(where: { $0.userName.lowercased() == lower }) {
                    throw ServiceError.deleteConflict("Cannot delete entity, must delete signing certificates first.")
                }
                if state.serviceSpecificCredentials.values.contains(where: { $0.userName.lowercased() == lower }) {
                    throw ServiceError.deleteConflict("Cannot delete entity, must delete service specific credentials first.")
                }
                state.users[lower] = nil
                TrustPrincipals.forget(state.userARN(user), uniqueID: user.id, in: &state)
            }
            TrustPrincipals.forgetElsewhere(state.userARN(user), uniqueID: user.id, deletedIn: call.account, service: call.service)
        }

        r.on(.iam, "PutUserPermissionsBoundary", authorize: .declared { input, call in
            [Requirement(try call.state().userARN(named: input.userName), context: ["iam:PermissionsBoundary": [input.permissionsBoundary]])]
        }) { (input: IAM.PutUserPermissionsBoundaryRequest, call) in
            try call.write { state in
                var user = try state.user(input.userName)
                try state.checkPolicyExists(input.permissionsBoundary, service: call.service)
                user.permissionsBoundary = input.permissionsBoundary
                state.users[user.name.lowercased()] = user
            }
        }

        r.on(.iam, "DeleteUserPermissionsBoundary", authorize: .declared { input, call in
            let state = try call.state()
            return [Requirement(state.userARN(named: input.userName), context: boundaryContext(.user(input.userName), state))]
        }) { (input: IAM.DeleteUserPermissionsBoundaryRequest, call) in
            try call.write { state in
                var user = try state.user(input.userName)
                user.permissionsBoundary = nil
                state.users[user.name.lowercased()] = user
            }
        }
    }
}

extension AccountState {
    /// Whether a policy ARN names an existing customer or AWS managed policy (for attachments and boundaries).
    func checkPolicyExists(_ arn: String, service: WardenService) throws {
        if isCustomerPolicyARN(arn) { _ = try customerPolicy(arn); return }
        guard service.managedPolicies.policy(arn) != nil else {
            throw ServiceError.noSuchEntity("Policy \(arn) does not exist or is not attachable.")
        }
    }
}
