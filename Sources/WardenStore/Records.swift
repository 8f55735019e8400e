import Foundation
import WardenCore

/// An inline policy embedded in a user, group or role.
public struct InlinePolicy: Codable, Sendable, Equatable {
    public var name: String
    public var document: String
    public init(name: String, document: String) { self.name = name; self.document = document }
}

/// The account: its alias, password policy, root user credentials and settings.
public struct AccountRecord: Codable, Sendable {
    public var id: String
    public var createDate: Date
    public var aliases: [String] = []
    public var passwordPolicy: PasswordPolicy?
    /// The root user's console password hash, if any.
    public var rootPasswordHash: String?
    public var rootPasswordLastUsed: Date?
    /// The root user's MFA device serial, if enabled.
    public var rootMFASerial: String?
    public var globalEndpointTokenVersion: String = "v1Token"
    /// The last generated credential report, if any.
    public var credentialReport: CredentialReportRecord?
    public init(id: String, createDate: Date) { self.id = id; self.createDate = createDate }
}

/// The account password policy.
public struct PasswordPolicy: Codable, Sendable, Equatable {
    public var minimumPasswordLength: Int = 8
    public var requireSymbols = false
    public var requireNumbers = false
    public var requireUppercaseCharacters = false
    public var requireLowercaseCharacters = false
    public var allowUsersToChangePassword = false
    public var maxPasswordAge: Int?
    public var passwordReusePrevention: Int?
    public var hardExpiry: Bool?
    public init() {}
}

/// An IAM user.
public struct UserRecord: Codable, Sendable {
    public var id: String
    public var name: String
    public var path: String
    public var createDate: Date
    public var tags: [EntityTag] = []
    public var inlinePolicies: [InlinePolicy] = []
    public var attachedPolicies: [String] = []
    public var permissionsBoundary: String?
    /// Names of the groups the user belongs to, in the order they were added.
    public var groups: [String] = []
    public var loginProfile: LoginProfileRecord?
    public var passwordLastUsed: Date?
    /// Hashes of earlier passwords, newest first (for reuse prevention).
    public var passwordHistory: [String] = []
    public var mfaSerials: [String] = []
    public init(id: String, name: String, path: String, createDate: Date) {
        self.id = id; self.name = name; self.path = path; self.createDate = createDate
    }
}

/// A user's console password.
public struct LoginProfileRecord: Codable, Sendable {
    public var passwordHash: String
    public var createDate: Date
    public var passwordResetRequired: Bool
    public var passwordChangedDate: Date
    public init(passwordHash: String, createDate: Date, passwordResetRequired: Bool) {
        self.passwordHash = passwordHash; self.createDate = createDate
        self.passwordResetRequired = passwordResetRequired; self.passwordChangedDate = createDate
    }
}

/// An IAM group.
public struct GroupRecord: Codable, Sendable {
    public var id: String
    public var name: String
    public var path: String
    public var createDate: Date
    public var inlinePolicies: [InlinePolicy] = []
    public var attachedPolicies: [String] = []
    public init(id: String, name: String, path: String, createDate: Date) {
        self.id = id; self.name = name; self.path = path; self.createDate = createDate
    }
}

/// An IAM role.
public struct RoleRecord: Codable, Sendable {
    public var id: String
    public var name: String
    public var path: String
    public var createDate: Date
    public var assumeRolePolicy: String
    public var description: String?
    public var maxSessionDuration: Int = 3600
    public var tags: [EntityTag] = []
    public var inlinePolicies: [InlinePolicy] = []
    public var attachedPolicies: [String] = []
    public var permissionsBoundary: String?
    public var lastUsedDate: Date?
    public var lastUsedRegion: String?
    /// For service-linked roles: the service principal.
    public var serviceLinkedService: String?
    public init(id: String, name: String, path: String, createDate: Date, assumeRolePolicy: String) {
        self.id = id; self.name = name; self.path = path; self.createDate = createDate; self.assumeRolePolicy = assumeRolePolicy
    }
}

/// An instance profile: a container for one role.
public struct InstanceProfileRecord: Codable, Sendable {
    public var id: String
    public var name: String
    public var path: String
    public var createDate: Date
    public var roles: [String] = []
    public var tags: [EntityTag] = []
    public init(id: String, name: String, path: String, createDate: Date) {
        self.id = id; self.name = name; self.path = path; self.createDate = createDate
    }
}

/// A customer managed policy with its versions.
public struct ManagedPolicyRecord: Codable, Sendable {
    public struct Version: Codable, Sendable {
        public var id: String
        public var document: String
        public var createDate: Date
        public init(id: String, document: String, createDate: Date) { self.id = id; self.document = document; self.createDate = createDate }
    }
    public var id: String
    public var name: String
    public var path: String
    public var arn: String
    public var description: String?
    public var createDate: Date
    public var updateDate: Date
    public var defaultVersionID: String
    public var versions: [Version]
    /// The number the next version gets (`v<N>`); AWS never reuses version ids.
    public var nextVersionNumber: Int
    public var tags: [EntityTag] = []
    public init(id: String, name: String, path: String, arn: String, description: String?, createDate: Date, document: String) {
        self.id = id; self.name = name; self.path = path; self.arn = arn; self.description = description
        self.createDate = createDate; self.updateDate = createDate; self.defaultVersionID = "v1"
        self.versions = [Version(id: "v1", document: document, createDate: createDate)]
        self.nextVersionNumber = 2
    }
    /// The default version's document.
    public var defaultDocument: String { versions.first { $0.id == defaultVersionID }?.document ?? "" }
}

/// An access key. The secret is stored encrypted under the master key.
public struct AccessKeyRecord: Codable, Sendable {
    public var id: String
    /// The owning user's name, or nil for the root user.
    public var userName: String?
    public var encryptedSecret: [UInt8]
    public var status: String
    public var createDate: Date
    public var lastUsedDate: Date?
    public var lastUsedService: String?
    public var lastUsedRegion: String?
    public init(id: String, userName: String?, encryptedSecret: [UInt8], status: String, createDate: Date) {
        self.id = id; self.userName = userName; self.encryptedSecret = encryptedSecret; self.status = status; self.createDate = createDate
    }
}

/// A virtual MFA device.
public struct MFADeviceRecord: Codable, Sendable {
    public var serial: String
    public var name: String
    public var path: String
    public var encryptedSeed: [UInt8]
    public var createDate: Date
    /// The user it is enabled for ("root" marks the root user), if any.
    public var userName: String?
    public var enableDate: Date?
    /// The last accepted TOTP time step, so that no code is accepted twice.
    public var lastUsedStep: Int64 = 0
    /// How many time steps the device's clock runs ahead (negative: behind), learned when it is enabled or
    /// resynchronized; codes are checked around the device's time.
    public var driftSteps: Int64?
    public var tags: [EntityTag] = []
    public init(serial: String, name: String, path: String, encryptedSeed: [UInt8], createDate: Date) {
        self.serial = serial; self.name = name; self.path = path; self.encryptedSeed = encryptedSeed; self.createDate = createDate
    }
}

/// A user's SSH public key (for CodeCommit).
public struct SSHPublicKeyRecord: Codable, Sendable {
    public var id: String
    public var userName: String
    /// The body as uploaded (OpenSSH or PEM).
    public var body: String
    /// MD5 of the SSH key blob, colon-separated hex.
    public var fingerprint: String
    public var status: String
    public var uploadDate: Date
    public init(id: String, userName: String, body: String, fingerprint: String, status: String, uploadDate: Date) {
        self.id = id; self.userName = userName; self.body = body; self.fingerprint = fingerprint; self.status = status; self.uploadDate = uploadDate
    }
}

/// A user's X.509 signing certificate. `userName` is empty for the root user's certificates.
public struct SigningCertificateRecord: Codable, Sendable {
    public var id: String
    public var userName: String
    public var body: String
    public var status: String
    public var uploadDate: Date
    /// SHA-256 of the certificate's DER encoding, to find the same certificate uploaded twice.
    public var digest: String?
    public init(id: String, userName: String, body: String, status: String, uploadDate: Date, digest: String?) {
        self.id = id; self.userName = userName; self.body = body; self.status = status; self.uploadDate = uploadDate; self.digest = digest
    }
}

/// A server certificate. The private key is stored encrypted under the master key.
public struct ServerCertificateRecord: Codable, Sendable {
    public var id: String
    public var name: String
    public var path: String
    public var arn: String
    public var body: String
    public var chain: String?
    public var encryptedPrivateKey: [UInt8]
    public var uploadDate: Date
    public var expiration: Date
    public var tags: [EntityTag] = []
    public init(id: String, name: String, path: String, arn: String, body: String, chain: String?, encryptedPrivateKey: [UInt8],
                uploadDate: Date, expiration: Date) {
        self.id = id; self.name = name; self.path = path; self.arn = arn; self.body = body; self.chain = chain
        self.encryptedPrivateKey = encryptedPrivateKey; self.uploadDate = uploadDate; self.expiration = expiration
    }
}

/// A service-specific credential (CodeCommit or Keyspaces password, Bedrock or CloudWatch Logs API key).
/// The password or secret is stored encrypted under the master key.
public struct ServiceSpecificCredentialRecord: Codable, Sendable {
    public var id: String
    public var userName: String
    public var serviceName: String
    /// The generated user name (password credentials) or credential alias (API keys).
    public var serviceUserName: String
    public var encryptedPassword: [UInt8]
    public var status: String
    public var createDate: Date
    /// When an API key stops working, if it was created with an age.
    public var expirationDate: Date?
    /// Whether this is an API key (alias and secret) rather than a user name and password.
    public var isAPIKey: Bool?
    public init(id: String, userName: String, serviceName: String, serviceUserName: String, encryptedPassword: [UInt8],
                status: String, createDate: Date) {
        self.id = id; self.userName = userName; self.serviceName = serviceName; self.serviceUserName = serviceUserName
        self.encryptedPassword = encryptedPassword; self.status = status; self.createDate = createDate
    }
}

/// An OpenID Connect identity provider.
public struct OIDCProviderRecord: Codable, Sendable {
    public var arn: String
    /// The issuer URL without its `https://` scheme, as IAM reports it.
    public var url: String
    public var clientIDs: [String]
    public var thumbprints: [String]
    public var createDate: Date
    public var tags: [EntityTag] = []
    public init(arn: String, url: String, clientIDs: [String], thumbprints: [String], createDate: Date) {
        self.arn = arn; self.url = url; self.clientIDs = clientIDs; self.thumbprints = thumbprints; self.createDate = createDate
    }
}

/// A SAML identity provider.
public struct SAMLProviderRecord: Codable, Sendable {
    /// A private key IAM uses to decrypt encrypted SAML assertions, stored encrypted under the master key.
    public struct PrivateKey: Codable, Sendable {
        public var id: String
        public var encryptedKey: [UInt8]
        public var timestamp: Date
        public init(id: String, encryptedKey: [UInt8], timestamp: Date) { self.id = id; self.encryptedKey = encryptedKey; self.timestamp = timestamp }
    }
    public var arn: String
    public var name: String
    public var metadataDocument: String
    public var createDate: Date
    public var validUntil: Date
    public var tags: [EntityTag] = []
    /// The metadata's `entityID` (the issuer of assertions).
    public var entityID: String?
    public var uuid: String?
    /// `Allowed` or `Required`.
    public var assertionEncryptionMode: String?
    public var privateKeys: [PrivateKey]?
    public init(arn: String, name: String, metadataDocument: String, createDate: Date, validUntil: Date) {
        self.arn = arn; self.name = name; self.metadataDocument = metadataDocument; self.createDate = createDate; self.validUntil = validUntil
    }
}

/// The account's credential report: the CSV and when it was generated.
public struct CredentialReportRecord: Codable, Sendable {
    public var csv: String
    public var generatedTime: Date
    public init(csv: String, generatedTime: Date) { self.csv = csv; self.generatedTime = generatedTime }
}
