import Foundation

/// Everything Warden knows about one account, as a value. Transactions mutate a copy; the store persists the
/// changed rows and then publishes the copy.
public struct AccountState: Sendable {
    public var account: AccountRecord
    /// Users by lowercased name (names are unique case-insensitively).
    public var users = Table<UserRecord>()
    public var groups = Table<GroupRecord>()
    public var roles = Table<RoleRecord>()
    public var instanceProfiles = Table<InstanceProfileRecord>()
    /// Customer managed policies by lowercased name.
    public var policies = Table<ManagedPolicyRecord>()
    /// Access keys by key id.
    public var accessKeys = Table<AccessKeyRecord>()
    /// Virtual MFA devices by serial number.
    public var mfaDevices = Table<MFADeviceRecord>()
    public var sshPublicKeys = Table<SSHPublicKeyRecord>()
    public var signingCertificates = Table<SigningCertificateRecord>()
    /// Server certificates by lowercased name.
    public var serverCertificates = Table<ServerCertificateRecord>()
    public var serviceSpecificCredentials = Table<ServiceSpecificCredentialRecord>()
    /// OIDC providers by ARN.
    public var oidcProviders = Table<OIDCProviderRecord>()
    /// SAML providers by ARN.
    public var samlProviders = Table<SAMLProviderRecord>()
    /// Workload tokens by token hash (hex SHA-256).
    public var workloadTokens = Table<WorkloadTokenRecord>()
    /// The access advisor's last-access facts by `LastAccessRecord.key`.
    public var lastAccess = Table<LastAccessRecord>()
    /// Alerts raised for the account, by id (`AlertRecord.kept` at most).
    public var alerts = Table<AlertRecord>()
    /// Remediations applied, reported or announced, by id (`RemediationRecord.kept` at most).
    public var remediations = Table<RemediationRecord>()
    /// Access Analyzer analyzers by `AnalyzerRecord.key`.
    public var analyzers = Table<AnalyzerRecord>()
    /// Their findings by id.
    public var analyzerFindings = Table<AnalyzerFindingRecord>()
    /// The resources they analysed, by `AnalyzedResourceRecord.key`.
    public var analyzedResources = Table<AnalyzedResourceRecord>()
    /// Whether the account record changed in this transaction.
    public var accountDirty = false
    /// Counts committed transactions since start (not persisted): caches derived from the account
    /// (compiled policy sets) are valid while it is unchanged.
    public internal(set) var generation: UInt64 = 0

    public init(account: AccountRecord) { self.account = account }

    /// Replaces the account record and marks it for persistence.
    public mutating func updateAccount(_ body: (inout AccountRecord) throws -> Void) rethrows {
        try body(&account)
        accountDirty = true
    }
}

/// One row of the store: an encoded record of a kind, in an account, under a key.
public struct StoredRow: Sendable, Equatable {
    public var account: String
    public var kind: String
    public var key: String
    /// The JSON encoding of the record, or nil for a deletion.
    public var body: [UInt8]?
    public init(account: String, kind: String, key: String, body: [UInt8]?) {
        self.account = account; self.kind = kind; self.key = key; self.body = body
    }
}

extension AccountState {
    static let accountKind = "account"

    /// Calls `visit` for each table with its persistent kind name.
    fileprivate mutating func forEachTable(_ visit: (String, inout any AnyTable) throws -> Void) rethrows {
        func go<R>(_ kind: String, _ t: inout Table<R>) throws {
            var erased: any AnyTable = t
            try visit(kind, &erased)
            t = erased as! Table<R>
        }
        try go("user", &users); try go("group", &groups); try go("role", &roles)
        try go("instance-profile", &instanceProfiles); try go("policy", &policies); try go("access-key", &accessKeys)
        try go("mfa", &mfaDevices); try go("ssh-key", &sshPublicKeys); try go("signing-cert", &signingCertificates)
        try go("server-cert", &serverCertificates); try go("service-cred", &serviceSpecificCredentials)
        try go("oidc", &oidcProviders); try go("saml", &samlProviders)
        try go("workload-token", &workloadTokens)
        try go("last-access", &lastAccess)
        try go("alert", &alerts)
        try go("remediation", &remediations)
        try go("analyzer", &analyzers); try go("analyzer-finding", &analyzerFindings)
        try go("analyzed-resource", &analyzedResources)
    }

    /// The rows this transaction changed; clears the change marks.
    public mutating func takeChanges() throws -> [StoredRow] {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        var rows: [StoredRow] = []
        let id = account.id
        if accountDirty {
            rows.append(StoredRow(account: id, kind: Self.accountKind, key: "", body: Array(try encoder.encode(account))))
            accountDirty = false
        }
        try forEachTable { kind, table in
            rows += try table.encodeDirty(account: id, kind: kind, encoder: encoder)
            table.clearDirtyMarks()
        }
        return rows
    }

    /// Rebuilds accounts from stored rows.
    public static func load(rows: [StoredRow]) throws -> [String: AccountState] {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        var accounts: [String: AccountState] = [:]
        for row in rows where row.kind == accountKind {
            guard let body = row.body else { continue }
            let record = try decoder.decode(AccountRecord.self, from: Data(body))
            accounts[row.account] = AccountState(account: record)
        }
        for row in rows where row.kind != accountKind {
            guard let body = row.body, var state = accounts[row.account] else { continue }
            try state.forEachTable { kind, table in
                if kind == row.kind { try table.loadRow(key: row.key, body: body, decoder: decoder) }
            }
            accounts[row.account] = state
        }
        return accounts
    }
}

/// Type-erased access to a table for persistence.
protocol AnyTable {
    func encodeDirty(account: String, kind: String, encoder: JSONEncoder) throws -> [StoredRow]
    mutating func clearDirtyMarks()
    mutating func loadRow(key: String, body: [UInt8], decoder: JSONDecoder) throws
}

extension Table: AnyTable {
    func encodeDirty(account: String, kind: String, encoder: JSONEncoder) throws -> [StoredRow] {
        try dirty.sorted().map { key in
            StoredRow(account: account, kind: kind, key: key, body: try rows[key].map { Array(try encoder.encode($0)) })
        }
    }
    mutating func clearDirtyMarks() { clearDirty() }
    mutating func loadRow(key: String, body: [UInt8], decoder: JSONDecoder) throws {
        load(key, try decoder.decode(Record.self, from: Data(body)))
    }
}
