import Crypto
import Foundation
import _CryptoExtras

/// A JSON Web Token split into its parts (RFC 7519). Parsing does not verify anything; `verify(with:)` checks
/// the signature against one JSON Web Key, and the claim accessors read the registered claims.
struct JWT {
    /// Why a token could not be parsed.
    struct Malformed: Error, Sendable { var reason: String }

    /// The decoded JOSE header.
    let header: [String: Any]
    /// The decoded claims set.
    let claims: [String: Any]
    /// `BASE64URL(header) "." BASE64URL(payload)`: the bytes the signature covers.
    let signingInput: [UInt8]
    let signature: [UInt8]

    /// The signature algorithm (`RS256`, `ES256`, …).
    var algorithm: String { header["alg"] as? String ?? "" }
    /// The key id the issuer signed with.
    var keyID: String? { header["kid"] as? String }

    /// Splits and decodes a compact-serialized JWS. Encrypted tokens (five parts) and unsigned ones are refused.
    static func parse(_ token: String) throws(Malformed) -> JWT {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw Malformed(reason: "a JWT has three dot-separated parts") }
        guard let h = base64URLDecode(parts[0]), let p = base64URLDecode(parts[1]), let s = base64URLDecode(parts[2]) else {
            throw Malformed(reason: "a part is not base64url")
        }
        guard let header = (try? JSONSerialization.jsonObject(with: Data(h))) as? [String: Any],
              let claims = (try? JSONSerialization.jsonObject(with: Data(p))) as? [String: Any] else {
            throw Malformed(reason: "the header or payload is not a JSON object")
        }
        guard header["alg"] is String, !s.isEmpty else { throw Malformed(reason: "the token is not signed") }
        return JWT(header: header, claims: claims, signingInput: Array("\(parts[0]).\(parts[1])".utf8), signature: s)
    }

    /// A string claim.
    func string(_ name: String) -> String? { claims[name] as? String }

    /// A NumericDate claim (`exp`, `nbf`, `iat`), seconds since the epoch.
    func date(_ name: String) -> Date? {
        if let n = claims[name] as? NSNumber { return Date(timeIntervalSince1970: n.doubleValue) }
        return nil
    }

    /// The audiences: `aud` is a string or an array of strings.
    var audiences: [String] {
        if let s = claims["aud"] as? String { return [s] }
        return (claims["aud"] as? [Any])?.compactMap { $0 as? String } ?? []
    }

    /// Claim values as strings for condition keys: strings as they are, arrays element-wise, numbers and
    /// booleans in their JSON form.
    func stringValues(_ name: String) -> [String] {
        func one(_ v: Any) -> String? {
            if let s = v as? String { return s }
            if let n = v as? NSNumber {
                // JSON booleans arrive as NSNumbers of ObjC type "c" on every platform.
                return String(cString: n.objCType) == "c" ? (n.boolValue ? "true" : "false") : n.stringValue
            }
            return nil
        }
        if let a = claims[name] as? [Any] { return a.compactMap(one) }
        return claims[name].flatMap(one).map { [$0] } ?? []
    }

    /// Whether the signature verifies with `key`. Only asymmetric algorithms are accepted: a token must never be
    /// checked with a key of another kind than its header names (the classic `alg` confusion attacks).
    func verify(with key: JWK) -> Bool {
        if let alg = key.alg, alg != algorithm { return false }
        switch algorithm {
        case "RS256", "RS384", "RS512", "PS256", "PS384", "PS512":
            guard key.kty == "RSA", let n = key.n.flatMap(Self.base64URLDecode), let e = key.e.flatMap(Self.base64URLDecode),
                  let pub = try? _RSA.Signing.PublicKey(n: n, e: e) else { return false }
            let sig = _RSA.Signing.RSASignature(rawRepresentation: signature)
            let padding: _RSA.Signing.Padding = algorithm.hasPrefix("PS") ? .PSS : .insecurePKCS1v1_5
            switch algorithm.suffix(3) {
            case "384": return pub.isValidSignature(sig, for: SHA384.hash(data: signingInput), padding: padding)
            case "512": return pub.isValidSignature(sig, for: SHA512.hash(data: signingInput), padding: padding)
            default: return pub.isValidSignature(sig, for: SHA256.hash(data: signingInput), padding: padding)
            }
        case "ES256":
            guard key.kty == "EC", key.crv == "P-256", let x = key.x.flatMap(Self.base64URLDecode), let y = key.y.flatMap(Self.base64URLDecode),
                  x.count == 32, y.count == 32, let pub = try? P256.Signing.PublicKey(rawRepresentation: x + y),
                  let sig = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return pub.isValidSignature(sig, for: SHA256.hash(data: signingInput))
        case "ES384":
            guard key.kty == "EC", key.crv == "P-384", let x = key.x.flatMap(Self.base64URLDecode), let y = key.y.flatMap(Self.base64URLDecode),
                  x.count == 48, y.count == 48, let pub = try? P384.Signing.PublicKey(rawRepresentation: x + y),
                  let sig = try? P384.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return pub.isValidSignature(sig, for: SHA384.hash(data: signingInput))
        default:
            return false
        }
    }

    /// Decodes base64url without padding (RFC 7515 §2).
    static func base64URLDecode<S: StringProtocol>(_ s: S) -> [UInt8]? {
        var b = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        if b.contains("=") { return nil }
        while b.count % 4 != 0 { b += "=" }
        return Data(base64Encoded: b).map(Array.init)
    }

    /// Encodes base64url without padding.
    static func base64URLEncode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// One key of a JSON Web Key Set (RFC 7517): the members Warden uses.
struct JWK: Decodable, Sendable, Equatable {
    var kty: String
    var kid: String?
    var alg: String?
    var use: String?
    var n: String?
    var e: String?
    var crv: String?
    var x: String?
    var y: String?
}

/// A JSON Web Key Set.
struct JWKSet: Decodable, Sendable {
    var keys: [JWK]

    /// The keys that may have signed a token: the one with its `kid` if it names one, otherwise every
    /// signing key (issuers with a single key often omit `kid`).
    func candidates(for token: JWT) -> [JWK] {
        let signing = keys.filter { $0.use == nil || $0.use == "sig" }
        if let kid = token.keyID { return signing.filter { $0.kid == kid } }
        return signing
    }
}
