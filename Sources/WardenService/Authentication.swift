import Foundation
import WardenCore
import WardenStore

/// What authentication learns from an access key id (and session token): the secret to verify the signature
/// with, and who the caller is.
public struct SigningCredential: Sendable {
    public var secret: Redacted<String>
    public var caller: Caller
}

extension WardenService {
    static let invalidToken = ServiceError(.invalidClientTokenID, "The security token included in the request is invalid.")

    /// Looks up the credential for a request, from memory. Unknown, inactive and deleted keys, and long-term keys
    /// sent with a session token, are `InvalidClientTokenId`; expired sessions are `ExpiredToken`.
    public func credential(accessKeyID: String, sessionToken: String?) throws(ServiceError) -> SigningCredential {
        if accessKeyID.hasPrefix("ASIA") {
            guard let token = sessionToken else { throw Self.invalidToken }
            return try sessionCredential(accessKeyID: accessKeyID, token: token)
        }
        // A long-term key has no session: a request that carries a token with one is refused, as AWS refuses it,
        // rather than acting as the key's owner with a token no one checks.
        if let token = sessionToken, !token.isEmpty { throw Self.invalidToken }
        guard let state = store.accountForAccessKey(accessKeyID), let key = state.accessKeys[accessKeyID],
              key.status == "Active" else { throw Self.invalidToken }
        let secret: Redacted<String>
        if let cached = credentialCache.secret(keyID: key.id, ciphertext: key.encryptedSecret) {
            secret = cached
        } else {
            guard let opened = try? secrets.openString(key.encryptedSecret, context: "access-key:\(key.id)") else {
                throw Self.invalidToken
            }
            credentialCache.storeSecret(keyID: key.id, ciphertext: key.encryptedSecret, secret: opened)
            secret = opened
        }
        let account = state.account.id
        let principal: Principal
        if let userName = key.userName {
            guard let user = state.users[userName.lowercased()] else { throw Self.invalidToken }
            principal = Principal(kind: .user, account: account, arn: ARN.iam(account, "user", path: user.path, name: user.name),
                                  userID: user.id, name: user.name)
        } else {
            principal = .root(account)
        }
        return SigningCredential(secret: secret, caller: Caller(principal: principal, accessKeyID: accessKeyID))
    }

    /// Session tokens are the session's claims sealed with AES-GCM under the master key: any node with the key
    /// can verify them, and any change to a token makes it unreadable.
    public func sessionToken(for claims: SessionClaims) -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        let json = try! encoder.encode(claims)
        let sealed = secrets.seal(Array(json), context: "session-token")
        return "IQoJb3JpZ2luX2VjE" + Data(sealed).base64EncodedString()
    }

    /// Opens a session token and checks that it belongs to the access key and has not expired.
    func sessionClaims(token: String) throws(ServiceError) -> SessionClaims {
        let prefix = "IQoJb3JpZ2luX2VjE"
        guard token.hasPrefix(prefix), let data = Data(base64Encoded: String(token.dropFirst(prefix.count))),
              let json = try? secrets.open(Array(data), context: "session-token") else { throw Self.invalidToken }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        guard let claims = try? decoder.decode(SessionClaims.self, from: Data(json)) else { throw Self.invalidToken }
        return claims
    }

    func sessionCredential(accessKeyID: String, token: String) throws(ServiceError) -> SigningCredential {
        let claims: SessionClaims
        if let cached = credentialCache.claims(keyID: accessKeyID, token: token) {
            claims = cached
        } else {
            claims = try sessionClaims(token: token)
            if claims.accessKeyID == accessKeyID { credentialCache.storeClaims(keyID: accessKeyID, token: token, claims: claims) }
        }
        guard claims.accessKeyID == accessKeyID else { throw Self.invalidToken }
        guard clock.now() < claims.expires else {
            throw ServiceError(.expiredToken, "The security token included in the request is expired")
        }
        guard let state = store.account(claims.account) else { throw Self.invalidToken }
        let account = claims.account
        let principal: Principal
        switch claims.type {
        case "role":
            guard let role = state.roles[claims.name.lowercased()], role.id == claims.roleID else { throw Self.invalidToken }
            let session = claims.sessionName ?? ""
            principal = Principal(kind: .assumedRole, account: account,
                                  arn: ARN.assumedRole(account, role: role.name, session: session),
                                  userID: "\(role.id):\(session)", name: role.name, sessionName: session)
        case "federated":
            if let parent = claims.parentUser, state.users[parent.lowercased()]?.id != claims.userID { throw Self.invalidToken }
            principal = Principal(kind: .federatedUser, account: account, arn: ARN.federatedUser(account, name: claims.name),
                                  userID: "\(account):\(claims.name)", name: claims.name)
        case "root":
            principal = .root(account)
        default:
            guard let user = state.users[claims.name.lowercased()], claims.userID == nil || claims.userID == user.id else {
                throw Self.invalidToken
            }
            principal = Principal(kind: .user, account: account, arn: ARN.iam(account, "user", path: user.path, name: user.name),
                                  userID: user.id, name: user.name)
        }
        return SigningCredential(secret: Redacted(claims.secret), caller: Caller(principal: principal, accessKeyID: accessKeyID, session: claims))
    }
}
