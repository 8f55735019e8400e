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
    public static func accessKeyID(temporary: Bool = false) -> String {
        (temporary ? "ASIA" : "AKIA") + random(count: 16, from: upperAlphanumeric)
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
