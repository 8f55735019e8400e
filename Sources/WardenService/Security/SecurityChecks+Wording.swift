import Foundation
import WardenStore

/// Small helpers that keep the findings' sentences uniform.
extension SecurityChecks {
    /// `1 day`, `3 days`.
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// How long ago, in whole days (`less than a day ago`, `12 days ago`).
    static func ago(_ days: Double) -> String { days < 1 ? "less than a day ago" : "\(count(Int(days), "day")) ago" }

    /// Names in backticks, joined with commas: `` `a`, `b` ``.
    static func ticks<S: Sequence>(_ names: S) -> String where S.Element == String { names.map { "`\($0)`" }.joined(separator: ", ") }

    /// Whether an MFA serial is a virtual device (`arn:aws:iam::ACCOUNT:mfa/NAME`, or an SMS device); hardware
    /// TOTP tokens have plain serial numbers and FIDO security keys `…:u2f/…` ARNs.
    static func isVirtualMFA(_ serial: String) -> Bool {
        serial.hasPrefix("arn:") && (serial.contains(":mfa/") || serial.contains(":sms-mfa/"))
    }

    /// `Active`, as access keys record it.
    static func isActive(_ k: AccessKeyRecord) -> Bool { k.status == "Active" }
}
