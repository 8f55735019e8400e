/// Validation of the names that become S3 key components or bucket names.
///
/// Account ids and regions arrive from requests; they end up as folder names on disk, so anything
/// outside a strict alphabet is refused before it can name a path (`..`, `/`, NUL).
enum AuditNames {
    static func isAccountID(_ s: String) -> Bool {
        s.utf8.count == 12 && s.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// Regions as AWS spells them: lowercase letters, digits and dashes (`us-east-1`, `us-gov-west-1`).
    static func isRegion(_ s: String) -> Bool {
        (2...32).contains(s.utf8.count) && s.utf8.first != UInt8(ascii: "-")
            && s.utf8.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    /// CloudTrail trail names: letters, digits, `.`, `_`, `-`, 3 to 128 characters, starting with a letter
    /// or digit.
    static func isTrailName(_ s: String) -> Bool {
        guard (3...128).contains(s.utf8.count), let first = s.utf8.first, isAlnum(first) else { return false }
        return s.utf8.allSatisfy {
            isAlnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
        }
    }

    /// S3 bucket names: 3 to 63 lowercase letters, digits, `.` and `-`, starting and ending with a letter
    /// or digit.
    static func isBucketName(_ s: String) -> Bool {
        guard (3...63).contains(s.utf8.count), let first = s.utf8.first, let last = s.utf8.last,
              isLowerAlnum(first), isLowerAlnum(last) else { return false }
        return s.utf8.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    static func validate(_ chain: AuditChainID) throws {
        guard isAccountID(chain.accountID) else {
            throw AuditError(.invalidName, "`\(chain.accountID)` is not a 12-digit account id")
        }
        guard isRegion(chain.region) else {
            throw AuditError(.invalidName, "`\(chain.region)` is not a region name")
        }
    }

    private static func isLowerAlnum(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
    }

    private static func isAlnum(_ c: UInt8) -> Bool {
        isLowerAlnum(c) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
    }
}
