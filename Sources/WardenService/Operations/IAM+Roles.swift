import Foundation
import WardenCore
import WardenStore
import WardenWire

extension WardenService {
    static func registerRoles(_ r: inout Registry) {
        r.on(.iam, "CreateRole", authorize: .declared { input, call in
            var context: [String: [String]] = [:]
            if let b = input.permissionsBoundary { context["iam:PermissionsBoundary"] = [b] }
            return [Requirement(ARN.iam(call.account, "role", path: input.path ?? "/", name: input.roleName), context: context,
                                tags: try Tagging.validate(input.tags))]
        }) { (input: IAM.CreateRoleRequest, call) -> IAM.CreateRoleResponse in
            let path = input.path ?? "/"
            let tags = try Tagging.validate(input.tags)
            try PolicyDocuments.validate(input.assumeRolePolicyDocument, kind: .trust)
            if PolicyDocuments.size(input.assumeRolePolicyDocument) > PolicyDocuments.trustPolicyLimit {
                throw ServiceError.limitExceeded("Cannot exceed quota for ACLSizePerRole: \(PolicyDocuments.trustPolicyLimit)")
            }
            return try call.write { state in
                let key = input.roleName.lowercased()
                if state.roles[key] != nil { throw ServiceError.alreadyExists("Role with name \(input.roleName) already exists.") }
                if state.roles.count >= 1000 { throw ServiceError.limitExceeded("Cannot exceed quota for RolesPerAccount: 1000") }
                var role = RoleRecord(id: Identifiers.uniqueID(.role), name: input.roleName, path: path, createDate: call.now,
                                      assumeRolePolicy: input.assumeRolePolicyDocument)
                role.description = input.description
                role.maxSessionDuration = input.maxSessionDuration ?? 3600
                role.tags = tags
                if let b = input.permissionsBoundary {
                    try state.checkPolicyExists(b, service: call.service)
                    role.permissionsBoundary = b
                }
                state.roles[key] = role
                return IAM.CreateRoleResponse(role: state.wireRole(role, full: false))
            }
        }

        r.on(.iam, "GetRole", authorize: .resource { input, call in try call.state().roleARN(named: input.roleName) }) {
            (input: IAM.GetRoleRequest, call) -> IAM.GetRoleResponse in
            let state = try call.state()
            let role = try state.role(input.roleName)
            return IAM.GetRoleResponse(role: state.wireRole(role))
        }

        r.on(.iam, "ListRoles", authorize: .resource { _, call in "arn:aws:iam::\(call.account):role/" }) {
            (input: IAM.ListRolesRequest, call) -> IAM.ListRolesResponse in
            let state = try call.state()
            let prefix = input.pathPrefix ?? "/"
            let all = state.roles.values.filter { $0.path.hasPrefix(prefix) }.sorted { $0.name.lowercased() < $1.name.lowercased() }
            let page = try Page(all, key: { $0.name.lowercased() }, marker: input.marker, maxItems: input.maxItems)
            return IAM.ListRolesResponse(roles: page.items.map { state.wireRole($0, listing: true) }, isTruncated: page.isTruncated, marker: page.marker)
        }

        r.on(.iam, "UpdateRole", authorize: .resource { input, call in try call.state().roleARN(named: input.roleName) }) {
            (input: IAM.UpdateRoleRequest, call) -> IAM.UpdateRoleResponse in
            try updateRole(call, input.roleName, allowedOnServiceLinked: input.maxSessionDuration == nil) { role in
                if let d = input.description { role.description = d }
                if let m = input.maxSessionDuration { role.maxSessionDuration = m }
            }
            return IAM.UpdateRoleResponse()
        }

        r.on(.iam, "UpdateRoleDescription", authorize: .resource { input, call in try call.state().roleARN(named: input.roleName) }) {
            (input: IAM.UpdateRoleDescriptionRequest, call) -> IAM.UpdateRoleDescriptionResponse in
            let role = try updateRole(call, input.roleName, allowedOnServiceLinked: true) { $0.description = input.description }
            return IAM.UpdateRoleDescriptionResponse(role: try call.state().wireRole(role))
        }

        r.on(.iam, "UpdateAssumeRolePolicy", authorize: .resource { input, call in
            // The document is checked before authorization.
            try PolicyDocuments.validate(input.policyDocument, kind: .trust)
            if PolicyDocuments.size(input.policyDocument) > PolicyDocuments.trustPolicyLimit {
                throw ServiceError.limitExceeded("Cannot exceed quota for ACLSizePerRole: \(PolicyDocuments.trustPolicyLimit)")
            }
            return try call.state().roleARN(named: input.roleName)
        }) { (input: IAM.UpdateAssumeRolePolicyRequest, call) in
            try updateRole(call, input.roleName) { $0.assumeRolePolicy = input.policyDocument }
        }

        r.on(.iam, "DeleteRole", authorize: .resource { input, call in try call.state().roleARN(named: input.roleName) }) {
            (input: IAM.DeleteRoleRequest, call) in
            let state = try call.state()
            let role = try state.role(input.roleName)
            if role.serviceLinkedService != nil {
                throw ServiceError(.unmodifiableEntity, "Cannot perform the operation on the protected role '\(role.name)' - this role is only modifiable by AWS")
            }
            try call.write { state in
                let role = try state.role(input.roleName)
                if !role.attachedPolicies.isEmpty {
                    throw ServiceError.deleteConflict("Cannot delete entity, must detach all policies first.")
                }
                if !role.inlinePolicies.isEmpty { throw ServiceError.deleteConflict("Cannot delete entity, must delete policies first.") }
                if state.instanceProfiles.values.contains(where: { $0.roles.contains { $0.lowercased() == role.name.lowercased() } }) {
                    throw ServiceError.deleteConflict("Cannot delete entity, must remove roles from instance profile first.")
                }
                state.roles[role.name.lowercased()] = nil
                TrustPrincipals.forget(state.roleARN(role), uniqueID: role.id, in: &state)
            }
            TrustPrincipals.forgetElsewhere(state.roleARN(role), uniqueID: role.id, deletedIn: call.account, service: call.service)
        }

        r.on(.iam, "PutRolePermissionsBoundary", authorize: .declared { input, call in
            [Requirement(try call.state().roleARN(named: input.roleName), context: ["iam:PermissionsBoundary": [input.permissionsBoundary]])]
        }) { (input: IAM.PutRolePermissionsBoundaryRequest, call) in
            try call.write { state in
                var role = try state.role(input.roleName)
                if role.serviceLinkedService != nil { throw ServiceLinkedRoles.protected(role.name) }
                try state.checkPolicyExists(input.permissionsBoundary, service: call.service)
                role.permissionsBoundary = input.permissionsBoundary
                state.roles[role.name.lowercased()] = role
            }
        }

        r.on(.iam, "DeleteRolePermissionsBoundary", authorize: .declared { input, call in
            let state = try call.state()
            return [Requirement(state.roleARN(named: input.roleName), context: boundaryContext(.role(input.roleName), state))]
        }) { (input: IAM.DeleteRolePermissionsBoundaryRequest, call) in
            try updateRole(call, input.roleName) { $0.permissionsBoundary = nil }
        }

        r.on(.iam, "CreateServiceLinkedRole", authorize: .declared { input, call in
            let service = input.awsServiceName
            let name = try ServiceLinkedRoles.roleName(service: service, suffix: input.customSuffix)
            return [Requirement(ARN.iam(call.account, "role", path: "/aws-service-role/\(service)/", name: name),
                                context: ["iam:AWSServiceName": [service]])]
        }) { (input: IAM.CreateServiceLinkedRoleRequest, call) -> IAM.CreateServiceLinkedRoleResponse in
            let service = input.awsServiceName
            let name = try ServiceLinkedRoles.roleName(service: service, suffix: input.customSuffix)
            let path = "/aws-service-role/\(service)/"
            let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"\#(service)"},"Action":"sts:AssumeRole"}]}"#
            return try call.write { state in
                if state.roles[name.lowercased()] != nil {
                    throw ServiceError.invalidInput("Service role name \(name) has been taken in this account, please try a different suffix.")
                }
                var role = RoleRecord(id: Identifiers.uniqueID(.role), name: name, path: path, createDate: call.now, assumeRolePolicy: trust)
                role.description = input.description
                role.serviceLinkedService = service
                state.roles[name.lowercased()] = role
                return IAM.CreateServiceLinkedRoleResponse(role: state.wireRole(role, full: false))
            }
        }

        r.on(.iam, "DeleteServiceLinkedRole", authorize: .resource { input, call in try call.state().roleARN(named: input.roleName) }) {
            (input: IAM.DeleteServiceLinkedRoleRequest, call) -> IAM.DeleteServiceLinkedRoleResponse in
            let state = try call.state()
            let role = try state.role(input.roleName)
            guard let service = role.serviceLinkedService else {
                throw ServiceError.invalidInput("Role \(role.name) is not a service-linked role.")
            }
            try call.write { state in
                if state.instanceProfiles.values.contains(where: { $0.roles.contains { $0.lowercased() == role.name.lowercased() } }) {
                    throw ServiceError.deleteConflict("Cannot delete entity, must remove roles from instance profile first.")
                }
                state.roles[role.name.lowercased()] = nil
            }
            // Deletion completes at once; the task id names the deleted role's unique id, so the status call can answer
            // without state (and a role created later under the same name does not change the answer).
            let task = "task/aws-service-role/\(service)/\(role.name)/\(role.id)-\(UUID().uuidString.lowercased())"
            return IAM.DeleteServiceLinkedRoleResponse(deletionTaskId: task)
        }

        r.on(.iam, "GetServiceLinkedRoleDeletionStatus", authorize: .resource { _, call in "arn:aws:iam::\(call.account):role/aws-service-role/" }) {
            (input: IAM.GetServiceLinkedRoleDeletionStatusRequest, call) -> IAM.GetServiceLinkedRoleDeletionStatusResponse in
            let parts = input.deletionTaskId.split(separator: "/")
            guard parts.count >= 5, parts[0] == "task", parts[1] == "aws-service-role" else {
                throw ServiceError.invalidInput("Invalid deletion task id \(input.deletionTaskId).")
            }
            let roleID = String(parts[4].prefix { $0 != "-" })
            let state = try call.state()
            guard let name = parts.count == 5 ? Optional(String(parts[3])) : nil, roleID.hasPrefix("AROA") else {
                throw ServiceError.invalidInput("Invalid deletion task id \(input.deletionTaskId).")
            }
            let stillThere = state.roles[name.lowercased()]?.id == roleID
            return IAM.GetServiceLinkedRoleDeletionStatusResponse(status: stillThere ? .inProgress : .succeeded)
        }
    }

    /// Applies a change to a role (the operation declares its authorization on the role); returns the updated record.
    /// Service-linked roles refuse every change but their description (`allowedOnServiceLinked`).
    @discardableResult
    static func updateRole(_ call: Call, _ name: String, allowedOnServiceLinked: Bool = false,
                           _ change: @escaping (inout RoleRecord) throws -> Void) throws -> RoleRecord {
        return try call.write { state in
            var role = try state.role(name)
            if role.serviceLinkedService != nil && !allowedOnServiceLinked { throw ServiceLinkedRoles.protected(role.name) }
            try change(&role)
            state.roles[role.name.lowercased()] = role
            return role
        }
    }
}
