import Foundation
import WardenCore
import WardenStore

/// First start of an empty data directory (see CONTRACT.md): the account, the root access key or the
/// `admin` user, and the root password.
public struct Bootstrap: Sendable {
    public var dataDir: String
    public var environment: [String: String]

    public init(dataDir: String, environment: [String: String]) {
        self.dataDir = dataDir; self.environment = environment
    }

    /// What bootstrap did, for the log.
    public struct Outcome: Sendable {
        public var accountID: String
        public var createdAccount: Bool
        /// Where the admin's credentials were written, if they were.
        public var adminCredentialsPath: String?
    }

    /// Ensures the default account exists; returns its id.
    public func run(_ service: WardenService) throws -> Outcome {
        let store = service.store
        let accountID: String
        if let existing = try store.setting("default-account") {
            accountID = existing
        } else if let fromEnv = environment["WARDEN_ACCOUNT_ID"] {
            guard Identifiers.isAccountID(fromEnv) else {
                throw ServiceError(.invalidInput, "WARDEN_ACCOUNT_ID must be 12 digits, got `\(fromEnv)`")
            }
            accountID = fromEnv
        } else {
            accountID = Identifiers.accountID()
        }
        let now = service.clock.now()
        var outcome = Outcome(accountID: accountID, createdAccount: false)
        let rootKey = environment["WARDEN_ROOT_ACCESS_KEY_ID"], rootSecret = environment["WARDEN_ROOT_SECRET_ACCESS_KEY"]
        let created = try store.createAccount(AccountRecord(id: accountID, createDate: now)) { state in
            if let rootKey, let rootSecret {
                state.accessKeys[rootKey] = AccessKeyRecord(
                    id: rootKey, userName: nil,
                    encryptedSecret: service.secrets.seal(Redacted(rootSecret), context: "access-key:\(rootKey)"),
                    status: "Active", createDate: now)
            } else {
                var admin = UserRecord(id: Identifiers.uniqueID(.user), name: "admin", path: "/", createDate: now)
                admin.attachedPolicies = ["arn:aws:iam::aws:policy/AdministratorAccess"]
                state.users["admin"] = admin
                let keyID = Identifiers.accessKeyID(account: state.account.id)
                let secret = Redacted(Identifiers.secretAccessKey())
                state.accessKeys[keyID] = AccessKeyRecord(
                    id: keyID, userName: "admin", encryptedSecret: service.secrets.seal(secret, context: "access-key:\(keyID)"),
                    status: "Active", createDate: now)
                let path = dataDir + "/admin-credentials"
                let text = "[warden]\naws_access_key_id = \(keyID)\naws_secret_access_key = \(secret.value)\n"
                guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                    throw ServiceError(.serviceFailure, "cannot write \(path)")
                }
                outcome.adminCredentialsPath = path
            }
        }
        if created { try store.setSetting("default-account", accountID) }
        outcome.createdAccount = created
        if let password = environment["WARDEN_ROOT_PASSWORD"] {
            let current = store.account(accountID)?.account.rootPasswordHash
            if current == nil || !PasswordHasher.verify(Redacted(password), against: current!) {
                try store.write(account: accountID) { state in
                    state.updateAccount { $0.rootPasswordHash = PasswordHasher.hash(Redacted(password)) }
                }
            }
        }
        return outcome
    }
}
