import Foundation
import WardenCore

/// Who is making a request, as established by authentication.
public struct Principal: Sendable, Equatable {
    /// The kinds of principal AWS distinguishes.
    public enum Kind: String, Sendable {
        case root = "Account", user = "User", assumedRole = "AssumedRole", federatedUser = "FederatedUser"
    }
    public var kind: Kind
    public var account: String
    /// The principal's ARN (a session ARN for role sessions).
    public var arn: String
    /// `aws:userid`: AIDA… for users, the account id for root, `AROA…:session` for role sessions.
    public var userID: String
    /// The user name for IAM users (`aws:username`), the role name for role sessions, the name for federated users.
    public var name: String
    /// For role sessions: the session name.
    public var sessionName: String?

    public init(kind: Kind, account: String, arn: String, userID: String, name: String, sessionName: String? = nil) {
        self.kind = kind; self.account = account; self.arn = arn; self.userID = userID; self.name = name; self.sessionName = sessionName
    }

    /// The root user of an account.
    public static func root(_ account: String) -> Principal {
        Principal(kind: .root, account: account, arn: ARN.root(account), userID: account, name: "root")
    }
}

/// Claims carried by temporary credentials.
public struct SessionClaims: Codable, Sendable, Equatable {
    public var account: String
    /// "role", "federated" or "user" (GetSessionToken).
    public var type: String
    /// The role name (role sessions), user name (GetSessionToken of a user) or federated name.
    public var name: String
    public var roleID: String?
    public var sessionName: String?
    public var accessKeyID: String
    public var secret: String
    public var issued: Date
    public var expires: Date
    public var mfaAuthenticated: Bool
    /// When the MFA code was verified (`aws:MultiFactorAuthAge`); a chained session keeps its parent's time.
    /// Absent in tokens issued before this field existed: then the issue time.
    public var mfaAuthenticatedAt: Date?
    public var sessionPolicies: [String] = []
    public var sessionPolicyArns: [String] = []
    public var tags: [EntityTag] = []
    public var transitiveTagKeys: [String] = []
    public var sourceIdentity: String?
    /// Whether this session was made from another role session (role chaining).
    public var chained: Bool = false
    /// For federated users: the IAM user whose permissions the session narrows.
    public var parentUser: String?
    /// For sessions of an IAM user (GetSessionToken, console sign-in) and federated users made by one: that
    /// user's unique id, so that a user deleted and created again under the same name does not inherit them.
    public var userID: String?
    /// For role sessions: the ARN of the principal that assumed the role.
    public var sourceARN: String?
    /// For role sessions from AssumeRoleWithWebIdentity / AssumeRoleWithSAML: the identity provider's ARN
    /// (`aws:FederatedProvider` in the session's requests).
    public var federatedProvider: String?
    /// For sessions of people signed in at `/signin`: console sessions may call IAM without MFA, unlike
    /// GetSessionToken credentials.
    public var console: Bool?
    public init(account: String, type: String, name: String, accessKeyID: String, secret: String, issued: Date, expires: Date, mfaAuthenticated: Bool) {
        self.account = account; self.type = type; self.name = name; self.accessKeyID = accessKeyID; self.secret = secret
        self.issued = issued; self.expires = expires; self.mfaAuthenticated = mfaAuthenticated
    }
}

/// The authenticated caller of one request.
public struct Caller: Sendable {
    public var principal: Principal
    /// The access key the request was signed with.
    public var accessKeyID: String
    /// Present for temporary credentials.
    public var session: SessionClaims?
    public init(principal: Principal, accessKeyID: String, session: SessionClaims? = nil) {
        self.principal = principal; self.accessKeyID = accessKeyID; self.session = session
    }
}

/// Facts about the request that policies can test (`aws:SourceIp`, `aws:SecureTransport`, …).
public struct RequestMeta: Sendable {
    public var requestID: String
    public var sourceIP: String
    public var userAgent: String
    public var secureTransport: Bool
    public var region: String
    public var time: Date
    public init(requestID: String, sourceIP: String, userAgent: String, secureTransport: Bool, region: String, time: Date) {
        self.requestID = requestID; self.sourceIP = sourceIP; self.userAgent = userAgent
        self.secureTransport = secureTransport; self.region = region; self.time = time
    }
}
