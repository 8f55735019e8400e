import Crypto
import _CryptoExtras
import Foundation

/// The public half of an audit signing key, in the forms CloudTrail's `ListPublicKeys` and
/// `validate-logs` use.
public struct AuditPublicKey: Sendable, Hashable {
    /// The key as a DER-encoded PKCS #1 `RSAPublicKey` (not SubjectPublicKeyInfo), which is
    /// `ListPublicKeys`' `Value` blob: on the JSON wire, these bytes base64-encoded once, as any blob.
    ///
    /// validate-logs loads it with `rsa.PublicKey.load_pkcs1(base64.b64decode(Value), format='DER')`:
    /// the AWS CLI does not decode blobs in responses (it installs an identity blob parser), so the
    /// validator decodes the wire's base64 text itself.
    public let pkcs1DER: Data
    /// Lowercase hex MD5 of ``pkcs1DER``: the `Fingerprint` of `ListPublicKeys` and the
    /// `digestPublicKeyFingerprint` of every digest this key signs. validate-logs only compares the two
    /// strings; 32 hex digits is the form AWS shows.
    public let fingerprint: String
    /// When the key was created; `ListPublicKeys`' `ValidityStartTime`.
    public let validityStart: Date

    /// Creates the public key from its PKCS #1 DER form.
    public init(pkcs1DER: Data, validityStart: Date) throws {
        guard (try? _RSA.Signing.PublicKey(derRepresentation: pkcs1DER)) != nil else {
            throw AuditError(.signingKey, "the public key is not a DER-encoded RSA key")
        }
        self.pkcs1DER = pkcs1DER
        self.fingerprint = Hex.encode(Insecure.MD5.hash(data: pkcs1DER))
        self.validityStart = validityStart
    }

    /// The bytes of `ListPublicKeys`' `Value` blob: ``pkcs1DER`` itself. A JSON encoder renders them as
    /// base64 once, like any blob; encoding them twice makes validate-logs fail with "Unable to load
    /// PKCS #1 key".
    public var listPublicKeysValue: Data { pkcs1DER }

    /// Checks an RSASSA-PKCS1-v1_5 SHA-256 signature (`SHA256withRSA`).
    public func isValidSignature(_ signature: Data, for data: Data) -> Bool {
        guard let key = try? _RSA.Signing.PublicKey(derRepresentation: pkcs1DER) else { return false }
        return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: data,
                                    padding: .insecurePKCS1v1_5)
    }
}
