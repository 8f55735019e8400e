import Crypto
import Foundation
import _CryptoExtras

/// Verifies enveloped XML Signatures (XML-DSig 1.0) as SAML identity providers make them: one Reference to the
/// signed element's `ID`, the enveloped-signature transform, exclusive (or inclusive) canonicalization, SHA-1/
/// SHA-256/SHA-512 digests and RSA PKCS#1 v1.5 signatures.
///
/// To resist signature wrapping, a signature only counts for the element it is a direct child of, and that
/// element's ID must be unique in the document.
enum XMLSignature {
    /// Why a signature does not verify.
    struct Failure: Error, Sendable { var reason: String }

    static let ds = "http://www.w3.org/2000/09/xmldsig#"
    static let envelopedURI = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"

    /// The digest algorithm URIs Warden accepts.
    static func digest(_ uri: String, _ bytes: [UInt8]) -> [UInt8]? {
        switch uri {
        case "http://www.w3.org/2000/09/xmldsig#sha1": Array(Insecure.SHA1.hash(data: bytes))
        case "http://www.w3.org/2001/04/xmlenc#sha256": Array(SHA256.hash(data: bytes))
        case "http://www.w3.org/2001/04/xmldsig-more#sha384": Array(SHA384.hash(data: bytes))
        case "http://www.w3.org/2001/04/xmlenc#sha512": Array(SHA512.hash(data: bytes))
        default: nil
        }
    }

    /// Verifies an RSA PKCS#1 v1.5 signature with the hash of a SignatureMethod URI.
    static func verifyRSA(_ uri: String, key: _RSA.Signing.PublicKey, signature: [UInt8], data: [UInt8]) -> Bool {
        let sig = _RSA.Signing.RSASignature(rawRepresentation: signature)
        switch uri {
        case "http://www.w3.org/2000/09/xmldsig#rsa-sha1":
            return key.isValidSignature(sig, for: Insecure.SHA1.hash(data: data), padding: .insecurePKCS1v1_5)
        case "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256":
            return key.isValidSignature(sig, for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5)
        case "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384":
            return key.isValidSignature(sig, for: SHA384.hash(data: data), padding: .insecurePKCS1v1_5)
        case "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512":
            return key.isValidSignature(sig, for: SHA512.hash(data: data), padding: .insecurePKCS1v1_5)
        default:
            return false
        }
    }

    /// The canonicalizer a CanonicalizationMethod or Transform element names, or nil if it is not one.
    static func canonicalizer(_ method: XElement, excluding: XElement?) throws(Failure) -> XMLCanonicalizer? {
        switch method.attribute("Algorithm") ?? "" {
        case XMLCanonicalizer.exclusiveURI:
            var prefixes = Set<String>()
            if let inc = method.elements.first(where: { $0.local == "InclusiveNamespaces" }), let list = inc.attribute("PrefixList") {
                prefixes = Set(list.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init))
            }
            return XMLCanonicalizer(mode: .exclusive(inclusivePrefixes: prefixes), excluding: excluding)
        case XMLCanonicalizer.inclusiveURI:
            return XMLCanonicalizer(mode: .inclusive, excluding: excluding)
        case XMLCanonicalizer.exclusiveURI + "WithComments", XMLCanonicalizer.inclusiveURI + "#WithComments":
            throw Failure(reason: "canonicalization with comments is not supported")
        default:
            return nil
        }
    }

    static func base64(_ s: String) -> [UInt8]? {
        Data(base64Encoded: s.filter { !$0.isWhitespace }).map(Array.init)
    }

    /// Verifies `signature` (a `ds:Signature` element) with one of `keys`; returns the element it signs, which is
    /// always the signature's parent.
    static func verify(_ signature: XElement, root: XElement, keys: [_RSA.Signing.PublicKey]) throws(Failure) -> XElement {
        guard let signed = signature.parent else { throw Failure(reason: "the signature is not inside an element") }
        guard let signedInfo = signature.child("SignedInfo", ds), let sigValue = signature.child("SignatureValue", ds),
              let sigBytes = base64(sigValue.text) else { throw Failure(reason: "the signature has no SignedInfo or SignatureValue") }
        guard let c14nMethod = signedInfo.child("CanonicalizationMethod", ds), let c14n = try canonicalizer(c14nMethod, excluding: nil) else {
            throw Failure(reason: "unsupported CanonicalizationMethod")
        }
        guard let method = signedInfo.child("SignatureMethod", ds)?.attribute("Algorithm") else { throw Failure(reason: "no SignatureMethod") }
        let references = signedInfo.children("Reference", ds)
        guard references.count == 1, let reference = references.first else { throw Failure(reason: "exactly one Reference is required") }
        guard let uri = reference.attribute("URI"), uri.hasPrefix("#"), uri.count > 1 else {
            throw Failure(reason: "the Reference must point to an element by ID")
        }
        let id = String(uri.dropFirst())
        let targets = root.descendants().filter { $0.attribute("ID") == id }
        guard targets.count == 1, targets[0] === signed else {
            throw Failure(reason: "the Reference does not point to the element that contains the signature")
        }
        // Transforms: enveloped-signature and one canonicalization; without one, Canonical XML 1.0 applies.
        var enveloped = false
        var transformC14n: XMLCanonicalizer?
        for t in reference.child("Transforms", ds)?.children("Transform", ds) ?? [] {
            if t.attribute("Algorithm") == envelopedURI {
                enveloped = true
            } else if let c = try canonicalizer(t, excluding: signature) {
                transformC14n = c
            } else {
                throw Failure(reason: "unsupported Transform `\(t.attribute("Algorithm") ?? "")`")
            }
        }
        guard enveloped else { throw Failure(reason: "the signature must use the enveloped-signature transform") }
        let canon = transformC14n ?? XMLCanonicalizer(mode: .inclusive, excluding: signature)
        guard let digestMethod = reference.child("DigestMethod", ds)?.attribute("Algorithm"),
              let expected = reference.child("DigestValue", ds).flatMap({ base64($0.text) }),
              let actual = digest(digestMethod, canon.canonicalize(signed)) else {
            throw Failure(reason: "unsupported or missing DigestMethod/DigestValue")
        }
        guard ConstantTime.equal(actual, expected) else { throw Failure(reason: "the digest of the signed element does not match") }
        let signedInfoBytes = c14n.canonicalize(signedInfo)
        guard keys.contains(where: { verifyRSA(method, key: $0, signature: sigBytes, data: signedInfoBytes) }) else {
            throw Failure(reason: "the signature value does not verify with the provider's certificate")
        }
        return signed
    }
}
