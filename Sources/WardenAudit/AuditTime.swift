import Foundation
import WardenCore

/// The UTC timestamp formats of CloudTrail file names, digests and S3 listings.
///
/// Written with integer calendar arithmetic rather than `DateFormatter` so that formatting is pure,
/// allocation-light, locale-proof and identical on every platform.
enum AuditTime {
    /// A UTC calendar instant at one-second resolution.
    struct Civil: Equatable {
        var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
    }

    /// The instant truncated to whole seconds (toward the past), the resolution of every CloudTrail time.
    static func truncatedToSecond(_ date: Date) -> Date {
        Date(timeIntervalSince1970: floor(date.timeIntervalSince1970))
    }

    static func civil(_ date: Date) -> Civil {
        let seconds = Int(floor(date.timeIntervalSince1970))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (y, m, d) = civilFromDays(days)
        return Civil(year: y, month: m, day: d, hour: secondOfDay / 3600, minute: secondOfDay % 3600 / 60,
                     second: secondOfDay % 60)
    }

    static func date(_ c: Civil) -> Date? {
        guard (1...12).contains(c.month), (1...31).contains(c.day), (0...23).contains(c.hour),
              (0...59).contains(c.minute), (0...59).contains(c.second) else { return nil }
        let days = daysFromCivil(c.year, c.month, c.day)
        // Reject dates such as February 30th, which the arithmetic would silently roll over.
        guard civilFromDays(days) == (c.year, c.month, c.day) else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + c.hour * 3600 + c.minute * 60 + c.second))
    }

    /// `2015-08-17T15:01:31Z`: digest and event times.
    static func iso8601(_ date: Date) -> String {
        let c = civil(date)
        return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))Z"
    }

    /// `2015-08-17T15:01:31.000Z`: S3's `LastModified`.
    static func s3Timestamp(_ date: Date) -> String {
        let millis = Int((date.timeIntervalSince1970 - floor(date.timeIntervalSince1970)) * 1000)
        return String(iso8601(date).dropLast()) + "." + pad(min(millis, 999), 3) + "Z"
    }

    /// `20150817T150131Z`: the timestamp at the end of a digest's key.
    static func compactSeconds(_ date: Date) -> String {
        let c = civil(date)
        return "\(pad(c.year, 4))\(pad(c.month))\(pad(c.day))T\(pad(c.hour))\(pad(c.minute))\(pad(c.second))Z"
    }

    /// `20150817T1501Z`: the timestamp in a log file's key.
    static func compactMinutes(_ date: Date) -> String {
        let c = civil(date)
        return "\(pad(c.year, 4))\(pad(c.month))\(pad(c.day))T\(pad(c.hour))\(pad(c.minute))Z"
    }

    /// `2015/08/17`: the date folders of log and digest keys.
    static func dayPath(_ date: Date) -> String {
        let c = civil(date)
        return "\(pad(c.year, 4))/\(pad(c.month))/\(pad(c.day))"
    }

    /// Parses `2015-08-17T15:01:31Z` exactly (the form this module writes).
    static func parseISO8601(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count == 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"), b[19] == UInt8(ascii: "Z"),
              let y = number(b, 0, 4), let mo = number(b, 5, 2), let d = number(b, 8, 2),
              let h = number(b, 11, 2), let mi = number(b, 14, 2), let s = number(b, 17, 2) else { return nil }
        return date(Civil(year: y, month: mo, day: d, hour: h, minute: mi, second: s))
    }

    /// Parses `20150817T150131Z` (`withSeconds`) or `20150817T1501Z`.
    static func parseCompact(_ text: String, withSeconds: Bool) -> Date? {
        let b = Array(text.utf8)
        guard b.count == (withSeconds ? 16 : 14), b[8] == UInt8(ascii: "T"), b[b.count - 1] == UInt8(ascii: "Z"),
              let y = number(b, 0, 4), let mo = number(b, 4, 2), let d = number(b, 6, 2),
              let h = number(b, 9, 2), let mi = number(b, 11, 2) else { return nil }
        let s = withSeconds ? number(b, 13, 2) : 0
        guard let s else { return nil }
        return date(Civil(year: y, month: mo, day: d, hour: h, minute: mi, second: s))
    }

    private static func number(_ b: [UInt8], _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for i in start..<(start + count) {
            guard b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(b[i] - UInt8(ascii: "0"))
        }
        return value
    }

    private static func pad(_ value: Int, _ width: Int = 2) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int { CivilDays.days(fromCivil: year, month, day) }
    private static func civilFromDays(_ days: Int) -> (Int, Int, Int) { CivilDays.civil(fromDays: days) }
}
