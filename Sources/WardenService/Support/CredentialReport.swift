import Foundation
import WardenCore
import WardenStore
import WardenWire

/// The IAM credential report: one CSV row per principal (the root user first, as `<root_account>`) with AWS's
/// 22 columns, lowercase booleans, `+00:00` timestamps and AWS's three sentinels — `N/A` (no such credential),
/// `no_information` (a credential with no usage data) and `not_supported` (cannot apply to the root user).
enum CredentialReport {
    static let header = [
        "user", "arn", "user_creation_time", "password_enabled", "password_last_used", "password_last_changed",
        "password_next_rotation", "mfa_active",
        "access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date", "access_key_1_last_used_region",
        "access_key_1_last_used_service",
        "access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date", "access_key_2_last_used_region",
        "access_key_2_last_used_service",
        "cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated",
    ]

    /// The report for an account as it is now.
    static func csv(_ state: AccountState) -> String {
        var lines = [header.joined(separator: ",")]
        let account = state.account
        let rootKeys = state.accessKeys.values.filter { $0.userName == nil }
        let rootCerts = state.signingCertificates.values.filter { $0.userName.isEmpty }
        lines.append(row(
            ["<root_account>", ARN.root(account.id), time(account.createDate), "not_supported",
             account.rootPasswordLastUsed.map(time) ?? "no_information", "not_supported", "not_supported",
             bool(account.rootMFASerial != nil)],
            keys: rootKeys, certs: rootCerts))
        let policyMaxAge = account.passwordPolicy?.maxPasswordAge
        for user in state.users.values.sorted(by: { $0.name.lowercased() < $1.name.lowercased() }) {
            let lower = user.name.lowercased()
            let password: [String]
            if let login = user.loginProfile {
                password = ["true", user.passwordLastUsed.map(time) ?? "no_information", time(login.passwordChangedDate),
                            policyMaxAge.map { time(login.passwordChangedDate.addingTimeInterval(Double($0) * 86_400)) } ?? "N/A"]
            } else {
                password = ["false", "N/A", "N/A", "N/A"]
            }
            lines.append(row(
                [user.name, state.userARN(user), time(user.createDate)] + password + [bool(!user.mfaSerials.isEmpty)],
                keys: state.accessKeys.values.filter { $0.userName?.lowercased() == lower },
                certs: state.signingCertificates.values.filter { $0.userName.lowercased() == lower }))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Adds the two access-key and two certificate column groups, oldest credential first.
    private static func row(_ leading: [String], keys: [AccessKeyRecord], certs: [SigningCertificateRecord]) -> String {
        var fields = leading
        let keys = keys.sorted { ($0.createDate, $0.id) < ($1.createDate, $1.id) }
        for n in 0..<2 {
            guard n < keys.count else { fields += ["false", "N/A", "N/A", "N/A", "N/A"]; continue }
            let k = keys[n]
            fields += [bool(k.status == "Active"), time(k.createDate), k.lastUsedDate.map(time) ?? "N/A",
                       k.lastUsedDate == nil ? "N/A" : (k.lastUsedRegion ?? "N/A"),
                       k.lastUsedDate == nil ? "N/A" : (k.lastUsedService ?? "N/A")]
        }
        let certs = certs.sorted { ($0.uploadDate, $0.id) < ($1.uploadDate, $1.id) }
        for n in 0..<2 {
            guard n < certs.count else { fields += ["false", "N/A"]; continue }
            fields += [bool(certs[n].status == "Active"), time(certs[n].uploadDate)]
        }
        return fields.map(escape).joined(separator: ",")
    }

    /// `2015-06-24T12:45:00+00:00`, the report's timestamp form.
    static func time(_ d: Date) -> String { String(WireFormat.timestamp(d).dropLast()) + "+00:00" }

    private static func bool(_ b: Bool) -> String { b ? "true" : "false" }

    /// RFC 4180 quoting; IAM names cannot contain commas or quotes, so this only guards odd data.
    private static func escape(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
