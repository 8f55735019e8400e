import Crypto
import Foundation

/// Signature Version 4 (AWS4-HMAC-SHA256): parse, canonicalize, derive keys, sign and verify.
///
/// Server flow: `parse` the request → look up the secret of `auth.accessKeyID` (unknown →
/// `SigV4Error.invalidClientTokenId`) → get a key from a `SigningKeyCache` → `verify`.
public enum SigV4 {
    /// The only algorithm SigV4 defines.
    public static let algorithm = "AWS4-HMAC-SHA256"
    /// AWS refuses requests more than 15 minutes away from its clock, and STS caps presigned URLs at that too.
    public static let allowedSkewSeconds: Int64 = 15 * 60
    /// Longest `X-Amz-Expires` AWS accepts (a week).
    public static let maxExpires = 604_800

    /// Derives `kSigning` = HMAC chain of `"AWS4" + secret` over date, region, service and `aws4_request`.
    public static func deriveSigningKey(secret: String, date: String, region: String, service: String) -> SigningKey {
        func hmac(_ key: [UInt8], _ data: String) -> [UInt8] {
            Array(HMAC<SHA256>.authenticationCode(for: Array(data.utf8), using: SymmetricKey(data: key)))
        }
        let kDate = hmac(Array(("AWS4" + secret).utf8), date)
        return SigningKey(bytes: hmac(hmac(hmac(kDate, region), service), "aws4_request"))
    }

    /// Verifies an authorization read by `parse`: scope date, `host` signed, request time within ±15 minutes
    /// (presigned: and within `X-Amz-Expires`), `x-amz-content-sha256` equal to the body's hash, and the
    /// signature, compared in constant time.
    public static func verify(_ request: SigV4Request, _ auth: SigV4Authorization, signingKey: SigningKey, now: Date) throws(SigV4Error) {
        try checkScope(auth)
        try checkTime(auth, now: now)
        if let declared = request.header("x-amz-content-sha256"), !ASCII.equalsIgnoringCase(declared, request.payloadSHA256Hex) {
            throw .contentSHA256Mismatch
        }
        let mac = computeMAC(request, auth, signingKey)
        let matches = withBytes(auth.signature) { given in
            mac.withUnsafeBytes { expected in signatureMatches(given, expected) }
        }
        guard matches else { throw .signatureDoesNotMatch }
    }

    /// Checks that do not need the key: the scope's date is the request's day and `host` is signed.
    static func checkScope(_ auth: SigV4Authorization) throws(SigV4Error) {
        if !auth.signedHeaders.contains("host") { throw .hostNotSigned }
        let sameDay = withBytes(auth.amzDate) { t in
            withBytes(auth.date) { d in d.count == 8 && t.count >= 8 && ASCII.equals(d, UnsafeBufferPointer(rebasing: t[0..<8])) }
        }
        if !sameDay {
            throw SigV4Error(
                .signatureDoesNotMatch,
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '\(auth.date)' != '\(auth.amzDate.prefix(8))', from '\(auth.amzDate)'.")
        }
    }

    /// The ±15 minute window (AWS's messages, code SignatureDoesNotMatch) and presigned expiry.
    static func checkTime(_ auth: SigV4Authorization, now: Date) throws(SigV4Error) {
        let nowSeconds = Int64(now.timeIntervalSince1970.rounded(.down))
        let signed = Int64(auth.requestTime.timeIntervalSince1970.rounded(.down))
        if signed < nowSeconds - allowedSkewSeconds {
            throw SigV4Error(
                .signatureDoesNotMatch,
                "Signature expired: \(auth.amzDate) is now earlier than \(AmzTime.format(nowSeconds - allowedSkewSeconds)) (\(AmzTime.format(nowSeconds)) - 15 min.)")
        }
        if signed > nowSeconds + allowedSkewSeconds {
            throw SigV4Error(
                .signatureDoesNotMatch,
                "Signature not yet current: \(auth.amzDate) is still later than \(AmzTime.format(nowSeconds + allowedSkewSeconds)) (\(AmzTime.format(nowSeconds)) + 15 min.)")
        }
        if auth.isPresigned, let expires = auth.expires, nowSeconds > signed + Int64(expires) {
            throw .requestHasExpired
        }
    }

    /// Whether the given hex signature equals the computed MAC. Decodes the (public, attacker-chosen) hex, then
    /// compares all 32 bytes without an early exit, so timing does not reveal how many leading bytes matched.
    static func signatureMatches(_ given: UnsafeBufferPointer<UInt8>, _ expected: UnsafeRawBufferPointer) -> Bool {
        guard given.count == 2 * expected.count else { return false }
        var diff: UInt8 = 0
        var valid = true
        for i in 0..<expected.count {
            guard let h = ASCII.hexValue(given[2 * i]), let l = ASCII.hexValue(given[2 * i + 1]) else { valid = false; continue }
            diff |= (h << 4 | l) ^ expected[i]
        }
        return valid && diff == 0
    }

    /// Equality whose time depends only on the lengths, never on where the inputs differ.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var d: UInt8 = 0
        for i in 0..<a.count { d |= a[i] ^ b[i] }
        return d == 0
    }

    /// Formats an instant as `yyyyMMdd'T'HHmmss'Z'` (UTC).
    public static func amzDate(_ date: Date) -> String { AmzTime.format(date) }

    /// Parses `yyyyMMdd'T'HHmmss'Z'`.
    public static func parseAmzDate(_ s: String) -> Date? {
        AmzTime.parse(s).map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// Lowercase hex SHA-256 of bytes (the payload hash).
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        var out = ByteWriter(capacity: 64)
        SHA256.hash(data: bytes).withUnsafeBytes { out.appendHex($0) }
        return out.string
    }

    /// Hex SHA-256 of the empty body.
    public static let emptyPayloadSHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
}
