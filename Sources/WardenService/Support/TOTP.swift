import Crypto
import Foundation

/// RFC 6238 time-based one-time passwords (HMAC-SHA1, 6 digits, 30-second steps) and the Base32 seeds
/// authenticator apps use.
enum TOTP {
    static let step: TimeInterval = 30

    /// The 6-digit code for a time step.
    static func code(seed: [UInt8], step counter: Int64) -> String {
        var big = UInt64(bitPattern: counter).bigEndian
        let message = withUnsafeBytes(of: &big) { Array($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: seed)))
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let value = (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        return String(format: "%06u", value % 1_000_000)
    }

    /// The time step of an instant.
    static func step(at date: Date) -> Int64 { Int64(floor(date.timeIntervalSince1970 / step)) }

    /// The step (within ±`window` steps of now) whose code matches, if any.
    static func matchingStep(seed: [UInt8], code: String, at date: Date, window: Int64 = 1) -> Int64? {
        let now = step(at: date)
        for s in (now - window)...(now + window) where constantTimeEqual(TOTP.code(seed: seed, step: s), code) { return s }
        return nil
    }

    /// The step of the first of two consecutive codes, searched in a wider window (for enabling and resync).
    static func consecutiveSteps(seed: [UInt8], code1: String, code2: String, at date: Date, window: Int64 = 10) -> Int64? {
        let now = step(at: date)
        for s in (now - window)...(now + window)
        where constantTimeEqual(TOTP.code(seed: seed, step: s), code1) && constantTimeEqual(TOTP.code(seed: seed, step: s + 1), code2) {
            return s
        }
        return nil
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool { ConstantTime.equal(Array(a.utf8), Array(b.utf8)) }

    /// RFC 4648 Base32 without padding, as authenticator apps expect.
    static func base32(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var out = "", buffer = 0, bits = 0
        for b in bytes {
            buffer = (buffer << 8) | Int(b); bits += 8
            while bits >= 5 { out.append(alphabet[(buffer >> (bits - 5)) & 31]); bits -= 5 }
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return out
    }
}
