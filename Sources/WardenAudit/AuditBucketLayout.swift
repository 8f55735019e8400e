/// Which S3 bucket names the audit files live in.
///
/// The files of every account share one directory tree (keys start with `AWSLogs/<account>/`); the
/// layout only decides the bucket name written into digests and which keys each bucket shows.
public enum AuditBucketLayout: Sendable, Hashable, Codable {
    /// One bucket holds every account's files.
    case shared(String)
    /// Bucket `<prefix><account>` holds the files of that account only (`AWSLogs/<account>/...`).
    case perAccount(prefix: String)

    /// The bucket the files of `accountID` are delivered to.
    public func bucket(forAccount accountID: String) -> String {
        switch self {
        case .shared(let name): name
        case .perAccount(let prefix): prefix + accountID
        }
    }

    /// The key prefix a bucket shows, or nil when the layout has no bucket of that name.
    public func keyPrefix(ofBucket bucket: String) -> String? {
        switch self {
        case .shared(let name):
            return bucket == name ? "" : nil
        case .perAccount(let prefix):
            guard bucket.hasPrefix(prefix) else { return nil }
            let account = String(bucket.dropFirst(prefix.count))
            return AuditNames.isAccountID(account) ? "AWSLogs/\(account)/" : nil
        }
    }

    /// Checks that every bucket the layout can name is a valid S3 bucket name.
    func validate() throws {
        let sample = bucket(forAccount: "123456789012")
        guard AuditNames.isBucketName(sample) else {
            throw AuditError(.invalidName, "`\(sample)` is not a valid S3 bucket name")
        }
    }
}
