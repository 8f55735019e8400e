/// Formats of AWS identifiers: unique ids (`AIDA…`, 21 characters), access key ids (`AKIA…`, 20 characters),
/// secrets (40 characters) and account ids (12 digits).
public enum Identifiers {
    /// The unique-id prefix of each kind of entity.
    public enum Prefix: String, Sendable {
        case user = "AIDA", group = "AGPA", role = "AROA", policy = "ANPA", instanceProfile = "AIPA"
        case serverCertificate = "ASCA", accessKey = "AKIA", temporaryAccessKey = "ASIA", sshKey = "APKA"
        case serviceSpecificCredential = "ACCA", signingCertificate = "ASC"
    }

    static let upperAlphanumeric = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    static let secretAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    /// A 21-character unique id such as `AIDAJQABLZS4A3QDU576Q`.
    public static func uniqueID(_ prefix: Prefix) -> String {
        prefix.rawValue + random(count: 21 - prefix.rawValue.count, from: upperAlphanumeric)
    }

    /// A 20-character access key id: `AKIA…` or `ASIA…`.
    ///
    /// As in AWS, the 16 characters after the prefix are the base32 encoding of 10 bytes whose first 48 bits are
    /// `0 | account (40 bits) | random (7 bits)` and the rest random, so `GetAccessKeyInfo` can name the account
    /// of any key, also a session's or a deleted one's, without a lookup.
    public static func accessKeyID(temporary: Bool = false, account: String) -> String {
        var rng = SystemRandomNumberGenerator()
        let accountBits = UInt64(account).map { $0 & 0xFF_FFFF_FFFF } ?? 0
        let head = (accountBits << 7) | (rng.next() & 0x7F)
        var bytes = (0..<6).map { UInt8(truncatingIfNeeded: head >> (8 * (5 - $0))) }
        bytes += (0..<4).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return (temporary ? "ASIA" : "AKIA") + base32(bytes)
    }

    /// The account id an access key id encodes (see `accessKeyID(temporary:account:)`), or nil if the id is not
    /// in that format.
    public static func account(ofAccessKeyID id: String) -> String? {
        let chars = Array(id.utf8)
        guard chars.count == 20 else { return nil }
        var head: UInt64 = 0
        // 6 bytes = 48 bits = the first 9.6 base32 characters; read 10 characters (50 bits) and drop 2.
        for c in chars[4..<14] {
            guard let v = upperAlphanumeric.firstIndex(of: Character(Unicode.Scalar(c))) else { return nil }
            head = head << 5 | UInt64(v)
        }
        head >>= 2
        let account = (head >> 7) & 0xFF_FFFF_FFFF
        let text = String(account)
        return text.count == 12 ? text : nil
    }

    /// RFC 4648 base32 without padding (the alphabet of access key ids).
    static func base32(_ bytes: [UInt8]) -> String {
        var out = ""
        var buffer = 0, bits = 0
        for b in bytes {
            buffer = buffer << 8 | Int(b)
            bits += 8
            while bits >= 5 {
                out.append(upperAlphanumeric[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { out.append(upperAlphanumeric[(buffer << (5 - bits)) & 31]) }
        return out
    }

    /// A 40-character secret access key from a cryptographically secure generator.
    public static func secretAccessKey() -> String {
        random(count: 40, from: secretAlphabet)
    }

    /// A random account id of 12 digits (not starting with 0).
    public static func accountID() -> String {
        String(Int.random(in: 100_000_000_000...999_999_999_999, using: &secureRNG))
    }

    /// Whether a string is a 12-digit account id.
    public static func isAccountID(_ s: String) -> Bool {
        s.utf8.count == 12 && s.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// Random characters from an alphabet, drawn with the system's secure generator.
    public static func random(count: Int, from alphabet: [Character]) -> String {
        var rng = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] })
    }

    nonisolated(unsafe) static var secureRNG = SystemRandomNumberGenerator()
}
