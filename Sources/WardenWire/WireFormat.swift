import Foundation
import WardenCore

/// Scalar encodings of the AWS Query protocol.
public enum WireFormat {
    /// ISO 8601 in UTC with whole seconds, as AWS writes timestamps: `2024-01-02T03:04:05Z`.
    public static func timestamp(_ date: Date) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(20)
        appendTimestamp(date, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `timestamp(date)` as UTF-8.
    static func appendTimestamp(_ date: Date, to out: inout [UInt8]) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        var days = seconds / 86_400
        var rem = seconds % 86_400
        if rem < 0 { rem += 86_400; days -= 1 }
        let (y, m, d) = civil(fromDays: days)
        let zero = UInt8(ascii: "0")
        func two(_ v: Int) {
            out.append(zero + UInt8(v / 10))
            out.append(zero + UInt8(v % 10))
        }
        if y >= 0 && y <= 9999 {
            two(y / 100)
            two(y % 100)
        } else {
            out.append(contentsOf: String(y).utf8)
        }
        out.append(UInt8(ascii: "-")); two(m); out.append(UInt8(ascii: "-")); two(d)
        out.append(UInt8(ascii: "T"))
        two(rem / 3600); out.append(UInt8(ascii: ":")); two(rem / 60 % 60); out.append(UInt8(ascii: ":")); two(rem % 60)
        out.append(UInt8(ascii: "Z"))
    }

    /// Parses an ISO 8601 timestamp (`2024-01-02T03:04:05Z`, optional fraction, `Z` or `±hh:mm` offset;
    /// no offset means UTC) or epoch seconds. Returns nil for anything else.
    public static func parseTimestamp(_ text: String) -> Date? {
        let b = Array(text.utf8)
        if !b.isEmpty, b.allSatisfy({ ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".") }),
           let epoch = Double(text) {
            return Date(timeIntervalSince1970: epoch)
        }
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= b.count else { return nil }
            var v = 0
            for i in from..<(from + len) {
                guard b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") else { return nil }
                v = v * 10 + Int(b[i] - UInt8(ascii: "0"))
            }
            return v
        }
        func at(_ i: Int, _ c: Character) -> Bool { i < b.count && b[i] == c.asciiValue! }
        guard let y = num(0, 4), at(4, "-"), let mo = num(5, 2), at(7, "-"), let d = num(8, 2),
              (1...12).contains(mo), (1...31).contains(d) else { return nil }
        var seconds = Double(days(fromCivil: y, mo, d) * 86_400)
        var i = 10
        if i == b.count { return Date(timeIntervalSince1970: seconds) }
        guard at(i, "T") || at(i, "t") || at(i, " "), let h = num(11, 2), at(13, ":"), let mi = num(14, 2),
              h < 24, mi < 60 else { return nil }
        seconds += Double(h * 3600 + mi * 60)
        i = 16
        if at(i, ":") {
            guard let s = num(17, 2), s < 61 else { return nil }
            seconds += Double(s)
            i = 19
            if at(i, ".") || at(i, ",") {
                i += 1
                var scale = 0.1
                let start = i
                while i < b.count, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") {
                    seconds += Double(b[i] - UInt8(ascii: "0")) * scale
                    scale /= 10
                    i += 1
                }
                guard i > start else { return nil }
            }
        }
        if i == b.count { return Date(timeIntervalSince1970: seconds) }
        if (at(i, "Z") || at(i, "z")) && i + 1 == b.count { return Date(timeIntervalSince1970: seconds) }
        guard at(i, "+") || at(i, "-"), let oh = num(i + 1, 2) else { return nil }
        var om = 0
        if at(i + 3, ":") {
            guard let v = num(i + 4, 2), i + 6 == b.count else { return nil }
            om = v
        } else if i + 3 < b.count {
            guard let v = num(i + 3, 2), i + 5 == b.count else { return nil }
            om = v
        } else if i + 3 != b.count {
            return nil
        }
        let offset = Double(oh * 3600 + om * 60)
        seconds += at(i, "+") ? -offset : offset
        return Date(timeIntervalSince1970: seconds)
    }

    /// Percent-encodes a string the way IAM returns policy documents: RFC 3986, every byte except
    /// `A–Z a–z 0–9 - _ . ~` as `%XX` (upper-case hex) of its UTF-8 encoding. botocore url-unquotes and then
    /// JSON-decodes such members.
    public static func percentEncode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count * 2)
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(b)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `%XX` escapes (the inverse of `percentEncode`; `+` stays `+`); malformed escapes are kept literally.
    public static func percentDecode(_ text: String) -> String {
        var result: [UInt8] = []
        let bytes = Array(text.utf8)
        result.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
               let hi = QueryParameters.hexValue(bytes[i + 1]), let lo = QueryParameters.hexValue(bytes[i + 2]) {
                result.append(hi << 4 | lo)
                i += 3
            } else {
                result.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// Base64 (standard alphabet, padded), as blobs travel in AWS Query.
    public static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    /// Decodes standard base64 (padding optional); nil if malformed.
    public static func decodeBase64(_ text: String) -> [UInt8]? {
        var padded = text
        let rem = padded.utf8.count % 4
        if rem == 2 { padded += "==" } else if rem == 3 { padded += "=" } else if rem == 1 { return nil }
        return Data(base64Encoded: padded).map { [UInt8]($0) }
    }

    static func civil(fromDays z: Int) -> (Int, Int, Int) { CivilDays.civil(fromDays: z) }
    static func days(fromCivil y: Int, _ m: Int, _ d: Int) -> Int { CivilDays.days(fromCivil: y, m, d) }
}
