import Synchronization
import WardenCore

/// Decrypted secret access keys and opened session tokens, so that authentication does not run AES-GCM (and,
/// for sessions, a JSON decoder) on every request. An entry is used only while it matches what the store and the
/// request carry now: a secret whose ciphertext changed, or another token for the same key id, misses.
// INVARIANT: the cache never decides whether a key is active or a session unexpired; callers check those on
// every request against the store and the claims.
final class CredentialCache: Sendable {
    private struct Secret { var ciphertext: [UInt8]; var secret: Redacted<String> }
    private struct Session { var token: String; var claims: SessionClaims }
    private let secrets = Mutex<[String: Secret]>([:])
    private let sessions = Mutex<[String: Session]>([:])
    /// Entries per table before it is emptied (a crude bound; refilling costs one decryption per key).
    static let limit = 100_000

    func secret(keyID: String, ciphertext: [UInt8]) -> Redacted<String>? {
        secrets.withLock { t in t[keyID].flatMap { $0.ciphertext == ciphertext ? $0.secret : nil } }
    }

    func storeSecret(keyID: String, ciphertext: [UInt8], secret: Redacted<String>) {
        secrets.withLock { t in
            if t.count >= Self.limit { t.removeAll() }
            t[keyID] = Secret(ciphertext: ciphertext, secret: secret)
        }
    }

    func claims(keyID: String, token: String) -> SessionClaims? {
        sessions.withLock { t in
            guard let s = t[keyID], ConstantTime.equal(Array(s.token.utf8), Array(token.utf8)) else { return nil }
            return s.claims
        }
    }

    func storeClaims(keyID: String, token: String, claims: SessionClaims) {
        sessions.withLock { t in
            if t.count >= Self.limit { t.removeAll() }
            t[keyID] = Session(token: token, claims: claims)
        }
    }
}
