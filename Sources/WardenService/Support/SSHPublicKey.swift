import Crypto
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// An SSH public key as IAM accepts it for CodeCommit: OpenSSH text (`ssh-rsa AAAA… comment`, ECDSA or Ed25519)
/// or PEM (`PUBLIC KEY` SubjectPublicKeyInfo, `RSA PUBLIC KEY` PKCS#1). Both encodings describe the same key,
/// so each can be rendered in the other, and the fingerprint (MD5 of the SSH wire blob, colon-separated hex, as
/// `ssh-keygen -E md5 -l` and IAM print it) does not depend on which one was uploaded.
struct SSHPublicKey: Sendable {
    /// Why a body was rejected: `unrecognizedEncoding` for text that is neither OpenSSH nor PEM,
    /// `invalid` for a recognized encoding that does not hold a usable key.
    enum ParseError: Error, Equatable {
        case unrecognizedEncoding
        case invalid(String)
    }

    /// The OpenSSH key type, e.g. `ssh-rsa`, `ecdsa-sha2-nistp256`, `ssh-ed25519`.
    let type: String
    /// The SSH wire-format key blob (RFC 4253 §6.6).
    let blob: [UInt8]
    /// The key as a SubjectPublicKeyInfo.
    let publicKey: Certificate.PublicKey

    /// IAM's minimum RSA modulus size.
    static let minimumRSABits = 2048

    /// Parses an uploaded key body in either encoding.
    init(parsing body: String) throws(ParseError) {
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("-----BEGIN ") {
            try self.init(pem: text)
        } else {
            try self.init(openSSH: text)
        }
    }

    /// `MD5(blob)` as lowercase colon-separated hex.
    var fingerprint: String {
        Insecure.MD5.hash(data: blob).map { String(format: "%02x", $0) }.joined(separator: ":")
    }

    /// The key in OpenSSH text form, without a comment.
    var sshEncoded: String { "\(type) \(Data(blob).base64EncodedString())" }

    /// The key as a PEM `PUBLIC KEY` (SubjectPublicKeyInfo).
    var pemEncoded: String {
        // INVARIANT: serializing a parsed public key cannot fail.
        (try? publicKey.serializeAsPEM().pemString) ?? ""
    }

    // MARK: OpenSSH

    private init(openSSH text: String) throws(ParseError) {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 2, Self.knownTypes.contains(String(fields[0])) else { throw .unrecognizedEncoding }
        guard let data = Data(base64Encoded: String(fields[1])) else { throw .invalid("The public key is not valid base64.") }
        let blob = [UInt8](data)
        var reader = SSHReader(blob)
        guard let inner = reader.string().flatMap({ String(bytes: $0, encoding: .utf8) }) else {
            throw .invalid("The public key blob is truncated.")
        }
        guard inner == fields[0] else { throw .invalid("The key type \(fields[0]) does not match the key blob's type \(inner).") }
        let key: Certificate.PublicKey
        switch inner {
        case "ssh-rsa":
            guard let e = reader.string(), let n = reader.string(), reader.atEnd else { throw .invalid("The RSA public key blob is malformed.") }
            key = try Self.rsaKey(n: Self.unsigned(n), e: Self.unsigned(e))
        case "ssh-ed25519":
            guard let raw = reader.string(), reader.atEnd, raw.count == 32,
                  let k = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
                throw .invalid("The Ed25519 public key blob is malformed.")
            }
            key = Certificate.PublicKey(k)
        default:
            guard let curve = reader.string().flatMap({ String(bytes: $0, encoding: .utf8) }), let point = reader.string(), reader.atEnd,
                  "ecdsa-sha2-\(curve)" == inner, let k = Self.ecKey(curve: curve, point: point) else {
                throw .invalid("The ECDSA public key blob is malformed.")
            }
            key = k
        }
        self.type = inner
        self.blob = blob
        self.publicKey = key
    }

    /// Whether a SubjectPublicKeyInfo's AlgorithmIdentifier is rsaEncryption (OID 1.2.840.113549.1.1.1), which
    /// comes within its first bytes.
    static func isRSASubjectPublicKeyInfo(_ der: [UInt8]) -> Bool {
        let oid: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]
        let head = Array(der.prefix(24))
        guard head.count >= oid.count else { return false }
        return (0...(head.count - oid.count)).contains { Array(head[$0..<$0 + oid.count]) == oid }
    }

    static let knownTypes: Set<String> = ["ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"]

    // MARK: PEM

    private init(pem text: String) throws(ParseError) {
        guard let doc = try? PEMDocument(pemString: text) else { throw .unrecognizedEncoding }
        let key: Certificate.PublicKey
        switch doc.discriminator {
        case "PUBLIC KEY":
            // Parse the algorithm first so that a short RSA key is reported as such rather than as garbage.
            // Only RSA keys go to the RSA parser: swift-crypto 3.12.3 frees the key twice when that parser is
            // handed another algorithm's SubjectPublicKeyInfo, which aborts the process now and then.
            if Self.isRSASubjectPublicKeyInfo(doc.derBytes), let rsa = try? _RSA.Signing.PublicKey(unsafeDERRepresentation: doc.derBytes) {
                key = try Self.rsaKey(rsa)
            } else if let k = try? Certificate.PublicKey(derEncoded: doc.derBytes) {
                key = k
            } else {
                throw .invalid("The PEM public key is malformed or uses an unsupported algorithm.")
            }
        case "RSA PUBLIC KEY":
            guard let (n, e) = try? Self.pkcs1Primitives(doc.derBytes) else { throw .invalid("The PEM RSA public key is malformed.") }
            key = try Self.rsaKey(n: n, e: e)
        default:
            throw .unrecognizedEncoding
        }
        try self.init(key: key)
    }

    /// Derives the SSH form of a SubjectPublicKeyInfo key.
    private init(key: Certificate.PublicKey) throws(ParseError) {
        var w = SSHWriter()
        if let rsa = _RSA.Signing.PublicKey(key) {
            guard let p = try? rsa.getKeyPrimitives() else { throw .invalid("The RSA public key is malformed.") }
            type = "ssh-rsa"
            w.string(Array(type.utf8)); w.mpint([UInt8](p.publicExponent)); w.mpint([UInt8](p.modulus))
        } else if let ed = Curve25519.Signing.PublicKey(key) {
            type = "ssh-ed25519"
            w.string(Array(type.utf8)); w.string([UInt8](ed.rawRepresentation))
        } else if let p = P256.Signing.PublicKey(key) {
            type = "ecdsa-sha2-nistp256"
            w.string(Array(type.utf8)); w.string(Array("nistp256".utf8)); w.string([UInt8](p.x963Representation))
        } else if let p = P384.Signing.PublicKey(key) {
            type = "ecdsa-sha2-nistp384"
            w.string(Array(type.utf8)); w.string(Array("nistp384".utf8)); w.string([UInt8](p.x963Representation))
        } else if let p = P521.Signing.PublicKey(key) {
            type = "ecdsa-sha2-nistp521"
            w.string(Array(type.utf8)); w.string(Array("nistp521".utf8)); w.string([UInt8](p.x963Representation))
        } else {
            throw .invalid("The public key uses an unsupported algorithm.")
        }
        blob = w.bytes
        publicKey = key
    }

    // MARK: Key construction

    private static func rsaKey(n: [UInt8], e: [UInt8]) throws(ParseError) -> Certificate.PublicKey {
        guard !n.isEmpty, !e.isEmpty, let k = try? _RSA.Signing.PublicKey(n: n, e: e) else { throw .invalid("The RSA public key is malformed.") }
        return try rsaKey(k)
    }

    private static func rsaKey(_ k: _RSA.Signing.PublicKey) throws(ParseError) -> Certificate.PublicKey {
        guard k.keySizeInBits >= minimumRSABits else {
            throw .invalid("The RSA public key is \(k.keySizeInBits) bits; the minimum is \(minimumRSABits) bits.")
        }
        return Certificate.PublicKey(k)
    }

    private static func ecKey(curve: String, point: [UInt8]) -> Certificate.PublicKey? {
        switch curve {
        case "nistp256": (try? P256.Signing.PublicKey(x963Representation: point)).map(Certificate.PublicKey.init)
        case "nistp384": (try? P384.Signing.PublicKey(x963Representation: point)).map(Certificate.PublicKey.init)
        case "nistp521": (try? P521.Signing.PublicKey(x963Representation: point)).map(Certificate.PublicKey.init)
        default: nil
        }
    }

    /// `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }` (RFC 8017 A.1.1).
    private static func pkcs1Primitives(_ der: [UInt8]) throws -> (n: [UInt8], e: [UInt8]) {
        let root = try DER.parse(der)
        return try DER.sequence(root, identifier: .sequence) { nodes in
            let n = try ArraySlice<UInt8>(derEncoded: &nodes)
            let e = try ArraySlice<UInt8>(derEncoded: &nodes)
            return (unsigned(Array(n)), unsigned(Array(e)))
        }
    }

    /// Drops the sign-padding zero bytes of a big-endian integer.
    private static func unsigned(_ bytes: [UInt8]) -> [UInt8] { Array(bytes.drop { $0 == 0 }) }
}

/// Reads length-prefixed fields of the SSH wire format.
private struct SSHReader {
    let bytes: [UInt8]
    var offset = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { offset == bytes.count }

    mutating func string() -> [UInt8]? {
        guard bytes.count - offset >= 4 else { return nil }
        let len = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        offset += 4
        guard len <= bytes.count - offset else { return nil }
        defer { offset += len }
        return Array(bytes[offset..<offset + len])
    }
}

/// Writes length-prefixed fields of the SSH wire format.
private struct SSHWriter {
    var bytes: [UInt8] = []

    mutating func string(_ s: [UInt8]) {
        let n = UInt32(s.count)
        bytes += [UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)]
        bytes += s
    }

    /// A non-negative multiple-precision integer: minimal, with a zero byte when the high bit is set.
    mutating func mpint(_ v: [UInt8]) {
        var m = Array(v.drop { $0 == 0 })
        if let first = m.first, first & 0x80 != 0 { m.insert(0, at: 0) }
        string(m)
    }
}
