import Crypto
import Foundation
import SwiftASN1
import WardenCore
import X509
import _CryptoExtras

/// Parses the PEM bodies of IAM's signing and server certificates with swift-certificates, answering IAM's errors.
enum X509Bodies {
    /// One PEM `CERTIFICATE`, or `MalformedCertificate`.
    static func certificate(_ body: String) throws -> Certificate {
        let docs: [PEMDocument]
        do { docs = try PEMDocument.parseMultiple(pemString: body) } catch {
            throw ServiceError(.malformedCertificate, "Unable to parse certificate. Please ensure the certificate is in PEM format.")
        }
        guard docs.count == 1, docs[0].discriminator == "CERTIFICATE" else {
            throw ServiceError(.malformedCertificate, docs.count > 1
                ? "The certificate body must contain exactly one certificate."
                : "Unable to parse certificate. Please ensure the certificate is in PEM format.")
        }
        do { return try Certificate(derEncoded: docs[0].derBytes) } catch {
            throw ServiceError(.malformedCertificate, "Unable to parse certificate. Please ensure the certificate is in PEM format.")
        }
    }

    /// A chain of one or more concatenated PEM certificates, or `MalformedCertificate`.
    static func chain(_ body: String) throws -> [Certificate] {
        let docs: [PEMDocument]
        do { docs = try PEMDocument.parseMultiple(pemString: body) } catch {
            throw ServiceError(.malformedCertificate, "Unable to parse certificate chain. Please ensure the chain is PEM-encoded certificates.")
        }
        guard !docs.isEmpty, docs.allSatisfy({ $0.discriminator == "CERTIFICATE" }) else {
            throw ServiceError(.malformedCertificate, "Unable to parse certificate chain. Please ensure the chain is PEM-encoded certificates.")
        }
        return try docs.enumerated().map { i, doc in
            do { return try Certificate(derEncoded: doc.derBytes) } catch {
                throw ServiceError(.malformedCertificate, "Unable to parse certificate \(i + 1) of the certificate chain.")
            }
        }
    }

    /// An unencrypted PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC), or `MalformedCertificate`.
    static func privateKey(_ body: String) throws -> Certificate.PrivateKey {
        let doc: PEMDocument
        do { doc = try PEMDocument(pemString: body) } catch {
            throw ServiceError(.malformedCertificate, "Unable to parse private key. Please ensure the private key is in PEM format.")
        }
        if doc.discriminator == "ENCRYPTED PRIVATE KEY" || body.contains("Proc-Type: 4,ENCRYPTED") {
            throw ServiceError(.malformedCertificate, "The private key is encrypted. Upload the private key without a passphrase.")
        }
        if doc.discriminator == "RSA PRIVATE KEY", let k = try? _RSA.Signing.PrivateKey(unsafeDERRepresentation: doc.derBytes) {
            // swift-certificates refuses RSA keys under 2048 bits; IAM still accepts 1024-bit server certificates.
            return Certificate.PrivateKey(k)
        }
        do { return try Certificate.PrivateKey(pemDocument: doc) } catch {
            throw ServiceError(.malformedCertificate, "Unable to parse private key. Please ensure the private key is an unencrypted PEM RSA or EC key.")
        }
    }

    /// SHA-256 of the certificate's DER encoding: identifies the same certificate however its PEM is wrapped.
    static func digest(_ c: Certificate) -> String {
        var s = DER.Serializer()
        try? s.serialize(c)
        return SHA256.hash(data: s.serializedBytes).map { String(format: "%02x", $0) }.joined()
    }
}
