import Crypto
import Foundation
import WardenCore

/// Encrypts secrets at rest (secret access keys, MFA seeds, private keys) with AES-256-GCM under the master
/// key, which never enters the database. Each value gets a fresh nonce; the ciphertext carries nonce and tag.
public struct SecretBox: Sendable {
    private let keyBytes: Redacted<[UInt8]>
    private var key: SymmetricKey { SymmetricKey(data: keyBytes.value) }

    /// A box for a 32-byte master key.
    public init(masterKey: Redacted<[UInt8]>) {
        keyBytes = masterKey
    }

    /// A fresh random master key.
    public static func generateMasterKey() -> Redacted<[UInt8]> {
        Redacted(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    /// Encrypts bytes; `context` binds the ciphertext to its use (e.g. the key id) so it cannot be moved.
    public func seal(_ plaintext: [UInt8], context: String) -> [UInt8] {
        // INVARIANT: AES.GCM.seal only fails for invalid nonces/keys, neither of which can happen here.
        let box = try! AES.GCM.seal(plaintext, using: key, authenticating: Array(context.utf8))
        return Array(box.combined!)
    }

    /// Decrypts, or throws if the ciphertext was altered, moved or sealed under another key.
    public func open(_ ciphertext: [UInt8], context: String) throws -> [UInt8] {
        let box = try AES.GCM.SealedBox(combined: ciphertext)
        return Array(try AES.GCM.open(box, using: key, authenticating: Array(context.utf8)))
    }

    /// Encrypts a string secret.
    public func seal(_ secret: Redacted<String>, context: String) -> [UInt8] { seal(Array(secret.value.utf8), context: context) }

    /// Decrypts a string secret.
    public func openString(_ ciphertext: [UInt8], context: String) throws -> Redacted<String> {
        Redacted(String(decoding: try open(ciphertext, context: context), as: UTF8.self))
    }

    /// Loads the master key from `WARDEN_MASTER_KEY` (base64 of 32 bytes), or from `DIR/master.key`
    /// (created with mode 0600 on first start). `mayCreate` is false when the data directory already holds data:
    /// a new key could not open its secrets, so a missing key file is then an error, never silently replaced.
    public static func loadMasterKey(dataDir: String, environment: [String: String], mayCreate: Bool = true) throws -> Redacted<[UInt8]> {
        if let b64 = environment["WARDEN_MASTER_KEY"] {
            guard let data = Data(base64Encoded: b64), data.count == 32 else {
                throw ServiceError(.invalidInput, "WARDEN_MASTER_KEY must be the base64 encoding of 32 bytes")
            }
            return Redacted(Array(data))
        }
        let path = dataDir + "/master.key"
        if let data = FileManager.default.contents(atPath: path) {
            guard let decoded = Data(base64Encoded: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
                  decoded.count == 32 else {
                throw ServiceError(.invalidInput, "\(path) does not hold a base64 32-byte key")
            }
            return Redacted(Array(decoded))
        }
        guard mayCreate else {
            throw ServiceError(.serviceFailure, "\(path) is missing but \(dataDir) holds data encrypted under it; restore the key file or set WARDEN_MASTER_KEY (a new key could not decrypt the stored secrets)")
        }
        let key = generateMasterKey()
        let text = Data(key.value).base64EncodedString() + "\n"
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ServiceError(.serviceFailure, "cannot write \(path)")
        }
        return key
    }

    /// A value sealed under the master key and kept in the store, so that a start with the wrong key fails at
    /// once with a clear message instead of failing every authentication later.
    public func checkValue() -> String { Data(seal(Array("warden-master-key-check".utf8), context: "master-key-check")).base64EncodedString() }

    /// Whether `value` (from `checkValue()`) was sealed under this master key.
    public func matches(checkValue value: String) -> Bool {
        guard let data = Data(base64Encoded: value), let opened = try? open(Array(data), context: "master-key-check") else { return false }
        return opened == Array("warden-master-key-check".utf8)
    }
}
