/// Who is making a request, classified from its ARN so that `Principal` elements can be matched the way AWS
/// matches them (a role ARN covers that role's sessions, an account covers every principal in it, …).
public struct RequestPrincipal: Sendable, Equatable {
    /// The kind of principal.
    public enum Kind: String, Sendable, Equatable, Codable {
        /// `arn:aws:iam::ACCOUNT:root`.
        case root
        /// `arn:aws:iam::ACCOUNT:user/…`.
        case user
        /// A role session, `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
        case assumedRole
        /// A GetFederationToken session, `arn:aws:sts::ACCOUNT:federated-user/NAME`.
        case federatedUser
        /// An AWS service principal (`ec2.amazonaws.com`).
        case service
        /// A web-identity or SAML provider (`cognito-identity.amazonaws.com`, `arn:aws:iam::…:saml-provider/X`).
        case federatedProvider
        /// An unauthenticated caller.
        case anonymous
        /// Anything else (another ARN form, a canonical user id).
        case other
    }

    /// The principal ARN (or service/provider name) as the request carries it.
    public var arn: String
    /// The kind, derived from `arn` unless given.
    public var kind: Kind
    /// The account the principal belongs to (empty when unknown, e.g. a service principal).
    public var account: String
    /// For role sessions: the role's ARN (with its path when known); for federated users: the IAM user who
    /// called GetFederationToken, when known.
    public var parentARN: String?
    /// The principal's unique id (`AIDA…` for users, `AROA…` for roles), matched against principals that AWS
    /// stored as unique ids.
    public var uniqueID: String?
    /// The role name of a role session (`ROLE` in `assumed-role/ROLE/SESSION`).
    var roleName: Substring?

    /// Classifies `arn`. `parentARN` names a session's role (or a federated user's IAM user).
    public init(arn: String, kind: Kind? = nil, parentARN: String? = nil, uniqueID: String? = nil) {
        self.arn = arn
        self.parentARN = parentARN
        self.uniqueID = uniqueID
        var derived = Kind.other
        var account = ""
        var roleName: Substring?
        if let p = ARNParts(arn) {
            account = String(p.account)
            let resource = p.resource
            if p.service.utf8.elementsEqual("iam".utf8) && resource.utf8.elementsEqual("root".utf8) {
                derived = .root
            } else if p.service.utf8.elementsEqual("iam".utf8) && resource.utf8.starts(with: "user/".utf8) {
                derived = .user
            } else if p.service.utf8.elementsEqual("sts".utf8) && resource.utf8.starts(with: "assumed-role/".utf8) {
                derived = .assumedRole
                let rest = resource.dropFirst("assumed-role/".count)
                roleName = rest.firstIndex(of: "/").map { rest[..<$0] } ?? rest
            } else if p.service.utf8.elementsEqual("sts".utf8) && resource.utf8.starts(with: "federated-user/".utf8) {
                derived = .federatedUser
            } else if p.service.utf8.elementsEqual("iam".utf8) && (resource.utf8.starts(with: "saml-provider/".utf8) || resource.utf8.starts(with: "oidc-provider/".utf8)) {
                derived = .federatedProvider
            }
        } else if arn == "*" || arn == "anonymous" || arn == "Anonymous" {
            derived = .anonymous
        } else if arn.hasSuffix(".amazonaws.com") || arn.hasSuffix(".amazonaws.com.cn") {
            derived = arn == "cognito-identity.amazonaws.com" ? .federatedProvider : .service
        } else if arn.containsASCII(".") && !arn.containsASCII(" ") {
            derived = .federatedProvider  // accounts.google.com, graph.facebook.com, www.amazon.com, OIDC hosts
        }
        self.kind = kind ?? derived
        self.account = account
        self.roleName = roleName
    }

    /// Whether this principal is a session with a parent identity (role session or federated user).
    var hasParent: Bool { kind == .assumedRole || kind == .federatedUser }

    /// The `aws:PrincipalArn` value: a role session reports its role's ARN.
    public var principalARNKey: String {
        if kind == .assumedRole {
            if let parentARN { return parentARN }
            if let roleName {
                let partition = arn.split(separator: ":", maxSplits: 2).dropFirst().first ?? "aws"
                return "arn:\(partition):iam::\(account):role/\(roleName)"
            }
        }
        return arn
    }

    /// The `aws:PrincipalType` value.
    public var principalTypeKey: String {
        switch kind {
        case .root: return "Account"
        case .user: return "User"
        case .assumedRole: return "AssumedRole"
        case .federatedUser: return "FederatedUser"
        case .anonymous: return "Anonymous"
        case .service: return "Service"
        case .federatedProvider: return "WebIdentityUser"
        case .other: return "Unknown"
        }
    }
}

/// The six parts of an ARN as substrings of the original (no allocation); nil if `text` is not
/// `arn:partition:service:region:account:resource`.
struct ARNParts {
    var partition: Substring
    var service: Substring
    var region: Substring
    var account: Substring
    var resource: Substring

    init?(_ text: String) {
        let offsets = withUTF8(text) { b -> (Int, Int, Int, Int, Int)? in
            guard b.count >= 4, b[0] == UInt8(ascii: "a"), b[1] == UInt8(ascii: "r"), b[2] == UInt8(ascii: "n"),
                  b[3] == UInt8(ascii: ":") else { return nil }
            var found = (3, 0, 0, 0, 0)
            var n = 1
            for i in 4..<b.count where b[i] == UInt8(ascii: ":") {
                switch n {
                case 1: found.1 = i
                case 2: found.2 = i
                case 3: found.3 = i
                default: found.4 = i
                }
                n += 1
                if n == 5 { break }
            }
            return n == 5 ? found : nil
        }
        guard let o = offsets else { return nil }
        let u = text.utf8
        func at(_ offset: Int) -> String.Index { u.index(u.startIndex, offsetBy: offset) }
        partition = text[at(o.0 + 1)..<at(o.1)]
        service = text[at(o.1 + 1)..<at(o.2)]
        region = text[at(o.2 + 1)..<at(o.3)]
        account = text[at(o.3 + 1)..<at(o.4)]
        resource = text[at(o.4 + 1)...]
    }
}
