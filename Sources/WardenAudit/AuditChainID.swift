/// The (account, region) pair that owns one chain of digests, as CloudTrail chains them.
public struct AuditChainID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The 12-digit account id.
    public var accountID: String
    /// The region whose events the chain covers.
    public var region: String

    /// Creates a chain id.
    public init(accountID: String, region: String) {
        self.accountID = accountID
        self.region = region
    }

    /// Orders by account, then region.
    public static func < (a: Self, b: Self) -> Bool {
        (a.accountID, a.region) < (b.accountID, b.region)
    }

    /// `account/region`.
    public var description: String { "\(accountID)/\(region)" }
}

extension AuditChainID {
    /// Whether an account id and region can name a chain (12 digits; a region name).
    public static func isValid(account: String, region: String) -> Bool {
        AuditNames.isAccountID(account) && AuditNames.isRegion(region)
    }
}
