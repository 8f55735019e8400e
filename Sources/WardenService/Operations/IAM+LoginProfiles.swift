import Foundation
import WardenCore
import WardenStore
import WardenWire

extension WardenService {
    /// The user a login-profile operation acts on: the named one, or the calling user when no name is given.
    static func loginProfileUser(_ name: String?, _ call: Call) throws -> String {
        guard let name = name ?? (call.caller.principal.kind == .user ? call.caller.principal.name : nil) else {
            throw ServiceError(.validationError, "Must specify userName when calling with non-User credentials")
        }
        return name
    }

    static func registerLoginProfiles(_ r: inout Registry) {
        r.on(.iam, "CreateLoginProfile", authorize: .resource { input, call in
            let name = try loginProfileUser(input.userName, call)
            if input.password == nil { throw missingPassword }
            return try call.state().userARN(named: name)
        }) { (input: IAM.CreateLoginProfileRequest, call) -> IAM.CreateLoginProfileResponse in
            let name = try loginProfileUser(input.userName, call)
            guard let password = input.password else { throw missingPassword }
            let state = try call.state()
            let user = try state.user(name)
            try PasswordRules.check(password, policy: state.account.passwordPolicy)
            let hash = PasswordHasher.hash(Redacted(password))
            return try call.write { state in
                var user = try state.user(name)
                if user.loginProfile != nil { throw ServiceError.alreadyExists("Login Profile for user \(user.name) already exists.") }
                user.loginProfile = LoginProfileRecord(passwordHash: hash, createDate: call.now, passwordResetRequired: input.passwordResetRequired ?? false)
                user.passwordHistory.insert(hash, at: 0)
                user.passwordHistory = Array(user.passwordHistory.prefix(24))
                state.users[user.name.lowercased()] = user
                return IAM.CreateLoginProfileResponse(loginProfile: IAM.LoginProfile(
                    userName: user.name, createDate: call.now, passwordResetRequired: input.passwordResetRequired ?? false))
            }
        }

        r.on(.iam, "GetLoginProfile", authorize: .resource { input, call in
            try call.state().userARN(named: try loginProfileUser(input.userName, call))
        }) { (input: IAM.GetLoginProfileRequest, call) -> IAM.GetLoginProfileResponse in
            let user = try call.state().user(try loginProfileUser(input.userName, call))
            guard let lp = user.loginProfile else { throw ServiceError.noSuchEntity("Login Profile for User \(user.name) cannot be found.") }
            return IAM.GetLoginProfileResponse(loginProfile: IAM.LoginProfile(userName: user.name, createDate: lp.createDate,
                                                                              passwordResetRequired: lp.passwordResetRequired))
        }

        r.on(.iam, "UpdateLoginProfile", authorize: .resource { input, call in try call.state().userARN(named: input.userName) }) {
            (input: IAM.UpdateLoginProfileRequest, call) in
            let state = try call.state()
            let user = try state.user(input.userName)
            guard user.loginProfile != nil else { throw ServiceError.noSuchEntity("Login Profile for User \(user.name) cannot be found.") }
            var hash: String?
            if let password = input.password {
                try PasswordRules.check(password, policy: state.account.passwordPolicy, history: user.passwordHistory)
                hash = PasswordHasher.hash(Redacted(password))
            }
            try call.write { state in
                var user = try state.user(input.userName)
                guard var lp = user.loginProfile else { throw ServiceError.noSuchEntity("Login Profile for User \(user.name) cannot be found.") }
                if let hash {
                    lp.passwordHash = hash
                    lp.passwordChangedDate = call.now
                    user.passwordHistory.insert(hash, at: 0)
                    user.passwordHistory = Array(user.passwordHistory.prefix(24))
                }
                if let reset = input.passwordResetRequired { lp.passwordResetRequired = reset }
                user.loginProfile = lp
                state.users[user.name.lowercased()] = user
            }
        }

        r.on(.iam, "DeleteLoginProfile", authorize: .resource { input, call in
            try call.state().userARN(named: try loginProfileUser(input.userName, call))
        }) { (input: IAM.DeleteLoginProfileRequest, call) in
            let name = try loginProfileUser(input.userName, call)
            _ = try call.state().user(name)
            try call.write { state in
                var user = try state.user(name)
                guard user.loginProfile != nil else { throw ServiceError.noSuchEntity("Login Profile for User \(user.name) cannot be found.") }
                user.loginProfile = nil
                state.users[user.name.lowercased()] = user
            }
        }

        r.on(.iam, "ChangePassword", authorize: .declared { _, call in
            let p = call.caller.principal
            guard p.kind == .user else {
                throw ServiceError(.invalidUserType, "The requested operation can only be performed by an IAM user.")
            }
            let state = try call.state()
            // Either a policy allowing iam:ChangePassword or the account's AllowUsersToChangePassword (or a reset
            // the administrator required) lets users change their own password; an explicit deny always refuses.
            let user = state.users[p.name.lowercased()]
            let granted = state.account.passwordPolicy?.allowUsersToChangePassword == true || user?.loginProfile?.passwordResetRequired == true
            return [Requirement(state.userARN(named: p.name), grantedBySetting: granted)]
        }) { (input: IAM.ChangePasswordRequest, call) in
            let p = call.caller.principal
            let state = try call.state()
            let user = try state.user(p.name)
            guard let lp = user.loginProfile, PasswordHasher.verify(Redacted(input.oldPassword), against: lp.passwordHash) else {
                throw ServiceError.invalidInput("The old password was incorrect.")
            }
            try PasswordRules.check(input.newPassword, policy: state.account.passwordPolicy, history: user.passwordHistory)
            let hash = PasswordHasher.hash(Redacted(input.newPassword))
            try call.write { state in
                var user = try state.user(p.name)
                user.loginProfile?.passwordHash = hash
                user.loginProfile?.passwordChangedDate = call.now
                user.loginProfile?.passwordResetRequired = false
                user.passwordHistory.insert(hash, at: 0)
                user.passwordHistory = Array(user.passwordHistory.prefix(24))
                state.users[user.name.lowercased()] = user
            }
        }

        r.on(.iam, "UpdateAccountPasswordPolicy", authorize: .anyResource) { (i: IAM.UpdateAccountPasswordPolicyRequest, call) in
            try call.write { state in
                var p = PasswordPolicy()
                p.minimumPasswordLength = i.minimumPasswordLength ?? 6
                p.requireSymbols = i.requireSymbols ?? false
                p.requireNumbers = i.requireNumbers ?? false
                p.requireUppercaseCharacters = i.requireUppercaseCharacters ?? false
                p.requireLowercaseCharacters = i.requireLowercaseCharacters ?? false
                p.allowUsersToChangePassword = i.allowUsersToChangePassword ?? false
                p.maxPasswordAge = i.maxPasswordAge.flatMap { $0 > 0 ? $0 : nil }
                p.passwordReusePrevention = i.passwordReusePrevention
                p.hardExpiry = i.hardExpiry
                state.updateAccount { $0.passwordPolicy = p }
            }
        }

        r.on(.iam, "GetAccountPasswordPolicy", authorize: .declared { _, call in
            // AllowUsersToChangePassword also lets IAM users read the policy their new password must meet.
            let allowed = try call.state().account.passwordPolicy?.allowUsersToChangePassword == true
            return [Requirement("*", grantedBySetting: call.caller.principal.kind == .user && allowed)]
        }) { (call: Call) -> IAM.GetAccountPasswordPolicyResponse in
            let policy = try call.state().account.passwordPolicy
            guard let p = policy else {
                throw ServiceError.noSuchEntity("The Password Policy with domain name \(call.account) cannot be found.")
            }
            return IAM.GetAccountPasswordPolicyResponse(passwordPolicy: IAM.PasswordPolicy(
                minimumPasswordLength: p.minimumPasswordLength, requireSymbols: p.requireSymbols, requireNumbers: p.requireNumbers,
                requireUppercaseCharacters: p.requireUppercaseCharacters, requireLowercaseCharacters: p.requireLowercaseCharacters,
                allowUsersToChangePassword: p.allowUsersToChangePassword, expirePasswords: p.maxPasswordAge != nil,
                maxPasswordAge: p.maxPasswordAge, passwordReusePrevention: p.passwordReusePrevention, hardExpiry: p.hardExpiry))
        }

        r.on(.iam, "DeleteAccountPasswordPolicy", authorize: .anyResource) { (call: Call) in
            try call.write { state in
                guard state.account.passwordPolicy != nil else {
                    throw ServiceError.noSuchEntity("The account policy with name PasswordPolicy cannot be found.")
                }
                state.updateAccount { $0.passwordPolicy = nil }
            }
        }
    }

    static let missingPassword = ServiceError(
        .validationError, "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null")
}
