import Crypto
import _CryptoExtras
import Foundation

/// The RSA 2048 key that signs digests (`SHA256withRSA`: RSASSA-PKCS1-v1_5 over SHA-256).
///
/// Kept in the audit root's hidden folder as `signing-key.pem` (mode 0600) beside `signing-key.json`,
/// which records when it was created; neither is ever visible through the S3 view. The description
/// shows only the fingerprint, so the key cannot be logged by accident.
public struct AuditSigningKey: Sendable, CustomStringConvertible {
    /// The algorithm name digests and S3 metadata carry.
    public static let algorithm = "SHA256withRSA"

    private let privateKey: _RSA.Signing.PrivateKey
    /// The public half, with its fingerprint and validity start.
    public let publicKey: AuditPublicKey

    /// A key from its PEM text (PKCS #1 `RSA PRIVATE KEY` or PKCS #8 `PRIVATE KEY`).
    public init(privateKeyPEM: String, validityStart: Date) throws {
        do {
            privateKey = try _RSA.Signing.PrivateKey(pemRepresentation: privateKeyPEM)
        } catch {
            throw AuditError(.signingKey, "the signing key is not an RSA private key in PEM form")
        }
        guard privateKey.keySizeInBits >= 2048 else {
            throw AuditError(.signingKey, "the signing key has \(privateKey.keySizeInBits) bits; 2048 or more are required")
        }
        publicKey = try AuditPublicKey(pkcs1DER: privateKey.publicKey.pkcs1DERRepresentation, validityStart: validityStart)
    }

    /// A new random RSA 2048 key.
    public static func generate(validityStart: Date) throws -> AuditSigningKey {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        return try AuditSigningKey(privateKeyPEM: key.pemRepresentation, validityStart: validityStart)
    }

    /// Loads the key kept in `root`, creating it on first use (`now` becomes its validity start).
    /// Safe when two processes start at once: both end up with the key that was written first.
    public static func loadOrCreate(root: String, now: Date = Date()) throws -> AuditSigningKey {
        let files = AuditRootFiles(root: root)
        if let existing = try load(root: root) { return existing }
        try FileIO.makeDirectories(files.internalDirectory, mode: 0o700)
        let fresh = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let start = AuditTime.truncatedToSecond(now)
        // The validity record goes first: a key file never exists without it, except from a crash
        // between the two writes, after which `load` falls back to the key file's modification time.
        try FileIO.writeAtomically(KeyRecord(validityStart: AuditTime.iso8601(start)).encoded(), to: files.keyRecord,
                                   mode: 0o600, replace: false)
        if try FileIO.writeAtomically(Data(fresh.pemRepresentation.utf8), to: files.privateKey, mode: 0o600, replace: false) {
            return try AuditSigningKey(privateKeyPEM: fresh.pemRepresentation, validityStart: start)
        }
        guard let existing = try load(root: root) else {
            throw AuditError(.signingKey, "the signing key vanished while being created", path: files.privateKey)
        }
        return existing
    }

    /// Keeps this key in `root` (for a key made elsewhere); false when the root has a key already,
    /// which is left as it is.
    @discardableResult
    public func save(root: String) throws -> Bool {
        let files = AuditRootFiles(root: root)
        try FileIO.makeDirectories(files.internalDirectory, mode: 0o700)
        if FileIO.info(files.privateKey) != nil { return false }
        try FileIO.writeAtomically(KeyRecord(validityStart: AuditTime.iso8601(validityStart)).encoded(),
                                   to: files.keyRecord, mode: 0o600)
        return try FileIO.writeAtomically(Data(privateKey.pemRepresentation.utf8), to: files.privateKey, mode: 0o600,
                                          replace: false)
    }

    /// The key kept in `root`, or nil when there is none.
    public static func load(root: String) throws -> AuditSigningKey? {
        let files = AuditRootFiles(root: root)
        guard let pem = try FileIO.contents(files.privateKey) else { return nil }
        var start = FileIO.info(files.privateKey)?.modified ?? Date(timeIntervalSince1970: 0)
        if let data = try FileIO.contents(files.keyRecord), let record = KeyRecord.decode(data),
           let recorded = AuditTime.parseISO8601(record.validityStart) {
            start = recorded
        }
        return try AuditSigningKey(privateKeyPEM: String(decoding: pem, as: UTF8.self),
                                   validityStart: AuditTime.truncatedToSecond(start))
    }

    /// The public key as DER-encoded PKCS #1 `RSAPublicKey`.
    public var publicKeyDER: Data { publicKey.pkcs1DER }
    /// The public key's fingerprint (lowercase hex MD5 of ``publicKeyDER``).
    public var fingerprint: String { publicKey.fingerprint }
    /// When the key was created.
    public var validityStart: Date { publicKey.validityStart }

    /// Signs `data` with RSASSA-PKCS1-v1_5 over its SHA-256 hash.
    public func sign(_ data: Data) throws -> Data {
        do {
            return try privateKey.signature(for: data, padding: .insecurePKCS1v1_5).rawRepresentation
        } catch {
            throw AuditError(.signingKey, "signing failed: \(error)")
        }
    }

    /// The fingerprint only: never the key.
    public var description: String { "AuditSigningKey(fingerprint: \(fingerprint))" }
}

/// `signing-key.json`: facts about the key that PEM has no room for.
struct KeyRecord: Codable {
    var validityStart: String

    func encoded() -> Data { (try? JSONEncoder().encode(self)) ?? Data() }
    static func decode(_ data: Data) -> KeyRecord? { try? JSONDecoder().decode(KeyRecord.self, from: data) }
}
