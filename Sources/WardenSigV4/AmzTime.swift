import Foundation

/// SigV4 timestamps without Calendar or DateFormatter (both are slow and allocate): `yyyyMMdd'T'HHmmss'Z'`
/// ("ISO-8601 basic format", what `X-Amz-Date` carries) and the HTTP `Date` header's IMF-fixdate.
enum AmzTime {
    /// Seconds since 1970 of `yyyyMMdd'T'HHmmss'Z'`, or nil if malformed.
    static func parse(_ s: String) -> Int64? {
        var s = s
        return s.withUTF8 { b -> Int64? in
            guard b.count == 16, b[8] == UInt8(ascii: "T"), b[15] == UInt8(ascii: "Z") else { return nil }
            guard let y = digits(b, 0, 4), let mo = digits(b, 4, 2), let d = digits(b, 6, 2),
                  let h = digits(b, 9, 2), let mi = digits(b, 11, 2), let se = digits(b, 13, 2) else { return nil }
            return epoch(year: y, month: mo, day: d, hour: h, minute: mi, second: se)
        }
    }

    /// Seconds since 1970 of an HTTP date: `Mon, 23 Nov 2026 12:00:00 GMT` (also `UTC`, `+0000`, `-0000`, as
    /// Python's `formatdate` writes), the weekday optional.
    static func parseHTTPDate(_ s: String) -> Int64? {
        let parts = s.split(separator: " ", omittingEmptySubsequences: true)
        var i = 0
        if let first = parts.first, first.hasSuffix(",") { i = 1 }
        guard parts.count - i == 5 else { return nil }
        guard let day = Int(parts[i]), let month = months.firstIndex(of: parts[i + 1].lowercased()), let year = Int(parts[i + 2]) else { return nil }
        let time = parts[i + 3].split(separator: ":")
        guard time.count == 3, let h = Int(time[0]), let mi = Int(time[1]), let se = Int(time[2]) else { return nil }
        guard ["GMT", "UTC", "+0000", "-0000", "Z"].contains(String(parts[i + 4])) else { return nil }
        return epoch(year: year, month: month + 1, day: day, hour: h, minute: mi, second: se)
    }

    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// `yyyyMMdd'T'HHmmss'Z'` of seconds since 1970.
    static func format(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rem = Int(seconds - days * 86_400)
        let (y, m, d) = civil(fromDays: days)
        var out = [UInt8](repeating: 0, count: 16)
        func put(_ v: Int, _ at: Int, _ width: Int) {
            var v = v
            for k in stride(from: at + width - 1, through: at, by: -1) { out[k] = UInt8(48 + v % 10); v /= 10 }
        }
        put(y, 0, 4); put(m, 4, 2); put(d, 6, 2)
        out[8] = UInt8(ascii: "T")
        put(rem / 3600, 9, 2); put(rem / 60 % 60, 11, 2); put(rem % 60, 13, 2)
        out[15] = UInt8(ascii: "Z")
        return String(decoding: out, as: UTF8.self)
    }

    /// `yyyyMMdd'T'HHmmss'Z'` of an instant (whole seconds, rounded down).
    static func format(_ date: Date) -> String { format(Int64(date.timeIntervalSince1970.rounded(.down))) }

    @inline(__always)
    private static func digits(_ b: UnsafeBufferPointer<UInt8>, _ at: Int, _ count: Int) -> Int? {
        var v = 0
        for i in at..<(at + count) {
            let c = b[i] &- 48
            guard c < 10 else { return nil }
            v = v * 10 + Int(c)
        }
        return v
    }

    /// Seconds since 1970, validating ranges (a leap second :60 is refused, as Foundation does).
    static func epoch(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Int64? {
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              (0..<24).contains(hour), (0..<60).contains(minute), (0..<60).contains(second) else { return nil }
        return days(year: year, month: month, day: day) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
    static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day number since 1970-01-01 (H. Hinnant's civil_from_days).
    static func civil(fromDays z0: Int64) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(yoe + era * 400 + (m <= 2 ? 1 : 0)), Int(m), Int(d))
    }
}
