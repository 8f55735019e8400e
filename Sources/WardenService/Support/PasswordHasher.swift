import _CryptoExtras
import Crypto
import Foundation
import WardenCore

/// Slow salted password hashes (scrypt, N=2^15, r=8, p=1), stored as `scrypt$N$r$p$salt$hash` in base64.
public enum PasswordHasher {
    static let n = 1 << 15, r = 8, p = 1

    /// Hashes a password with a fresh random salt.
    public static func hash(_ password: Redacted<String>) -> String {
        let salt = SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) }
        let derived = derive(password.value, salt: salt, n: n, r: r, p: p)
        return "scrypt$\(n)$\(r)$\(p)$\(Data(salt).base64EncodedString())$\(Data(derived).base64EncodedString())"
    }

    /// Whether a password matches a stored hash (constant-time comparison).
    public static func verify(_ password: Redacted<String>, against stored: String) -> Bool {
        let parts = stored.split(separator: "$").map(String.init)
        guard parts.count == 6, parts[0] == "scrypt", let n = Int(parts[1]), let r = Int(parts[2]), let p = Int(parts[3]),
              let salt = Data(base64Encoded: parts[4]), let expected = Data(base64Encoded: parts[5]) else { return false }
        let derived = derive(password.value, salt: Array(salt), n: n, r: r, p: p)
        return ConstantTime.equal(derived, Array(expected))
    }

    static func derive(_ password: String, salt: [UInt8], n: Int, r: Int, p: Int) -> [UInt8] {
        let key = try! KDF.Scrypt.deriveKey(from: Array(password.utf8), salt: salt, outputByteCount: 32, rounds: n, blockSize: r, parallelism: p)
        return key.withUnsafeBytes { Array($0) }
    }
}

/// Comparisons of secrets that take the same time wherever the inputs differ.
public enum ConstantTime {
    /// Whether two byte strings are equal, in time that depends only on their lengths.
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}
