import Foundation
import WardenCore
import WardenStore
import WardenWire

extension WardenService {
    static func registerLoginProfiles(_ r: inout Registry) {
        r.on(.iam, "CreateLoginProfile") { (input: IAM.CreateLoginProfileRequest, call) -> IAM.CreateLoginProfileResponse in
            guard let name = input.userName ?? (call.caller.principal.kind == .user ? call.caller.principal.name : nil) else {
                throw ServiceError(.validationError, "Must specify userName when calling with non-User credentials")
            }
            guard let password = input.password else { throw ServiceError(.validationError, "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null") }
            let state = try call.state()
            let user = try state.user(name)
            try call.authorize(state.userARN(user))
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

        r.on(.iam, "GetLoginProfile") { (input: IAM.GetLoginProfileRequest, call) -> IAM.GetLoginProfileResponse in
            let state = try call.state()
            guard let name = input.userName ?? (call.caller.principal.kind == .user ? call.caller.principal.name : nil) else {
                throw ServiceError(.validationError, "Must specify userName when calling with non-User credentials")
            }
            let user = try state.user(name)
            try call.authorize(state.userARN(user))
            guard let lp = user.loginProfile else { throw ServiceError.noSuchEntity("Login Profile for User \(user.name) cannot be found.") }
            return IAM.GetLoginProfileResponse(loginProfile: IAM.LoginProfile(userName: user.name, createDate: lp.createDate,
                                                                              passwordResetRequired: lp.passwordResetRequired))
        }

        r.on(.iam, "UpdateLoginProfile") { (input: IAM.UpdateLoginProfileRequest, call) in
            let state = try call.state()
            let user = try state.user(input.userName)
            try call.authorize(state.userARN(user))
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

        r.on(.iam, "DeleteLoginProfile") { (input: IAM.DeleteLoginProfileRequest, call) in
            let state = try call.state()
            guard let name = input.userName ?? (call.caller.principal.kind == .user ? call.caller.principal.name : nil) else {
                throw ServiceError(.validationError, "Must specify userName when calling with non-User credentials")
            }
            let user = try state.user(name)
            try call.authorize(state.userARN(user))
            try call.write { state in
                var user = try state.user(name)
                guard user.loginProfile != nil else { throw ServiceError.noSuchEntity("Login Profile for User \(user.name) cannot be found.") }
                user.loginProfile = nil
                state.users[user.name.lowercased()] = user
            }
        }

        r.on(.iam, "ChangePassword") { (input: IAM.ChangePasswordRequest, call) in
            let p = call.caller.principal
            guard p.kind == .user else {
                throw ServiceError(.invalidUserType, "The requested operation can only be performed by an IAM user.")
            }
            let state = try call.state()
            let user = try state.user(p.name)
            // Either a policy allowing iam:ChangePassword or the account's AllowUsersToChangePassword (or a reset
            // the administrator required) lets users change their own password; an explicit deny always refuses.
            let granted = state.account.passwordPolicy?.allowUsersToChangePassword == true || user.loginProfile?.passwordResetRequired == true
            try call.authorize(state.userARN(user), grantedBySetting: granted)
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

        r.on(.iam, "UpdateAccountPasswordPolicy") { (i: IAM.UpdateAccountPasswordPolicyRequest, call) in
            try call.authorize("*")
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

        r.on(.iam, "GetAccountPasswordPolicy") { (call: Call) -> IAM.GetAccountPasswordPolicyResponse in
            let policy = try call.state().account.passwordPolicy
            // AllowUsersToChangePassword also lets IAM users read the policy their new password must meet.
            try call.authorize("*", grantedBySetting: call.caller.principal.kind == .user && policy?.allowUsersToChangePassword == true)
            guard let p = policy else {
                throw ServiceError.noSuchEntity("The Password Policy with domain name \(call.account) cannot be found.")
            }
            return IAM.GetAccountPasswordPolicyResponse(passwordPolicy: IAM.PasswordPolicy(
                minimumPasswordLength: p.minimumPasswordLength, requireSymbols: p.requireSymbols, requireNumbers: p.requireNumbers,
                requireUppercaseCharacters: p.requireUppercaseCharacters, requireLowercaseCharacters: p.requireLowercaseCharacters,
                allowUsersToChangePassword: p.allowUsersToChangePassword, expirePasswords: p.maxPasswordAge != nil,
                maxPasswordAge: p.maxPasswordAge, passwordReusePrevention: p.passwordReusePrevention, hardExpiry: p.hardExpiry))
        }

        r.on(.iam, "DeleteAccountPasswordPolicy") { (call: Call) in
            try call.authorize("*")
            try call.write { state in
                guard state.account.passwordPolicy != nil else {
                    throw ServiceError.noSuchEntity("The account policy with name PasswordPolicy cannot be found.")
                }
                state.updateAccount { $0.passwordPolicy = nil }
            }
        }
    }
}
