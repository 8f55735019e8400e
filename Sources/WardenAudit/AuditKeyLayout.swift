import Foundation

/// The S3 keys CloudTrail delivers to, and their parsing. Pure.
///
/// The digest key is the contract with `aws cloudtrail validate-logs`: it lists keys under
/// ``digestPrefix(accountID:region:)``, keeps those matching
/// `<account>_CloudTrail-Digest_<region>_<trail>_<home region>_.+\.json\.gz` and reads the digest's end
/// time from the 16 characters before `.json.gz`, comparing them as strings. So the timestamp must be
/// the last thing in the name and every digest of a chain must have a distinct one.
public enum AuditKeyLayout {
    /// `AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/<account>_CloudTrail_<region>_<yyyymmdd>T<hhmm>Z_<unique>.json.gz`
    public static func logFileKey(accountID: String, region: String, deliveredAt: Date, unique: String) -> String {
        "AWSLogs/\(accountID)/CloudTrail/\(region)/\(AuditTime.dayPath(deliveredAt))/"
            + "\(accountID)_CloudTrail_\(region)_\(AuditTime.compactMinutes(deliveredAt))_\(unique).json.gz"
    }

    /// `AWSLogs/<account>/CloudTrail-Digest/<region>/<yyyy>/<mm>/<dd>/<account>_CloudTrail-Digest_<region>_<trail>_<home region>_<yyyymmdd>T<hhmmss>Z.json.gz`,
    /// dated by the digest's end time.
    public static func digestKey(
        accountID: String, region: String, trailName: String, homeRegion: String, endTime: Date
    ) -> String {
        "\(digestPrefix(accountID: accountID, region: region))/\(AuditTime.dayPath(endTime))/"
            + "\(accountID)_CloudTrail-Digest_\(region)_\(trailName)_\(homeRegion)_\(AuditTime.compactSeconds(endTime)).json.gz"
    }

    /// `AWSLogs/<account>/CloudTrail-Digest/<region>`: the `Prefix` validate-logs lists (no trailing slash).
    public static func digestPrefix(accountID: String, region: String) -> String {
        "AWSLogs/\(accountID)/CloudTrail-Digest/\(region)"
    }

    /// `AWSLogs/<account>/CloudTrail/<region>`: the folder of a region's log files.
    public static func logPrefix(accountID: String, region: String) -> String {
        "AWSLogs/\(accountID)/CloudTrail/\(region)"
    }

    /// The `Marker` validate-logs sends for `--start-time start`: the key a digest ending one minute
    /// before `start` would have. Useful to test a listing exactly as the CLI asks for it.
    public static func validateLogsMarker(
        accountID: String, region: String, trailName: String, homeRegion: String, startTime: Date
    ) -> String {
        digestKey(accountID: accountID, region: region, trailName: trailName, homeRegion: homeRegion,
                  endTime: startTime.addingTimeInterval(-60))
    }

    /// What a key names, or nil when it is neither a log file nor a digest of this layout.
    public static func parse(_ key: String) -> AuditObjectKey? {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 8, parts[0] == "AWSLogs", AuditNames.isAccountID(parts[1]),
              AuditNames.isRegion(parts[3]) else { return nil }
        let account = parts[1], region = parts[3], name = parts[7]
        guard let day = AuditTime.date(.init(year: Int(parts[4]) ?? -1, month: Int(parts[5]) ?? -1,
                                             day: Int(parts[6]) ?? -1, hour: 0, minute: 0, second: 0)),
              AuditTime.dayPath(day) == "\(parts[4])/\(parts[5])/\(parts[6])",
              name.hasSuffix(".json.gz") else { return nil }
        let stem = String(name.dropLast(".json.gz".count))
        switch parts[2] {
        case "CloudTrail":
            // <account>_CloudTrail_<region>_<yyyymmddThhmmZ>_<unique>
            let head = "\(account)_CloudTrail_\(region)_"
            guard stem.hasPrefix(head) else { return nil }
            let rest = stem.dropFirst(head.count)
            guard let underscore = rest.firstIndex(of: "_"),
                  let time = AuditTime.parseCompact(String(rest[..<underscore]), withSeconds: false),
                  AuditTime.dayPath(time) == AuditTime.dayPath(day) else { return nil }
            let unique = String(rest[rest.index(after: underscore)...])
            guard !unique.isEmpty else { return nil }
            return .logFile(.init(key: key, chain: .init(accountID: account, region: region), deliveredAt: time,
                                  unique: unique))
        case "CloudTrail-Digest":
            // <account>_CloudTrail-Digest_<region>_<trail>_<home>_<yyyymmddThhmmssZ>
            let head = "\(account)_CloudTrail-Digest_\(region)_"
            guard stem.hasPrefix(head), stem.utf8.count > head.utf8.count + 17 else { return nil }
            let rest = String(stem.dropFirst(head.count))
            let stamp = String(rest.suffix(16))
            let middle = rest.dropLast(17)
            guard rest.dropLast(16).hasSuffix("_"), let end = AuditTime.parseCompact(stamp, withSeconds: true),
                  AuditTime.dayPath(end) == AuditTime.dayPath(day),
                  let underscore = middle.lastIndex(of: "_") else { return nil }
            let trail = String(middle[..<underscore])
            let home = String(middle[middle.index(after: underscore)...])
            guard AuditNames.isTrailName(trail), AuditNames.isRegion(home) else { return nil }
            return .digest(.init(key: key, chain: .init(accountID: account, region: region), trailName: trail,
                                 homeRegion: home, endTime: end))
        default:
            return nil
        }
    }
}
