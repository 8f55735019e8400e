import Foundation
import Synchronization
import WardenWire

/// The audit trail's log and digest files, as the CloudTrail and S3 operations see them. The server provides
/// one (WardenAudit's files in the data directory); without it, no trail files exist.
public protocol AuditArchive: Sendable {
    /// The built-in trail's name.
    var trailName: String { get }
    /// The bucket an account's files are delivered to.
    func bucket(forAccount account: String) -> String
    /// The public keys that verify digest signatures, valid at some time in the range.
    func publicKeys(from start: Date?, to end: Date?) -> [AuditArchivePublicKey]
    /// When files were last delivered for an account (GetTrailStatus).
    func deliveryStatus(account: String) -> (logs: Date?, digests: Date?)
    /// Answers one read-only S3 operation on a bucket (`ListObjects`, `ListObjectsV2`, `GetObject`, `HeadObject`,
    /// `GetBucketLocation`, `HeadBucket`), already authorized, in S3's wire format.
    func s3(_ operation: String, bucket: String, key: String?, query: QueryParameters, requestID: String) -> WireResponse
}

/// A public key of the trail's digest signatures.
public struct AuditArchivePublicKey: Sendable {
    /// The key, DER-encoded as ListPublicKeys returns it.
    public var der: [UInt8]
    /// Its fingerprint as digests name it (`digestPublicKeyFingerprint`).
    public var fingerprint: String
    public var validityStart: Date
    public var validityEnd: Date
    public init(der: [UInt8], fingerprint: String, validityStart: Date, validityEnd: Date) {
        self.der = der; self.fingerprint = fingerprint; self.validityStart = validityStart; self.validityEnd = validityEnd
    }
}

/// Holds the archive (set once when the server starts).
final class AuditArchiveBox: Sendable {
    private let value = Mutex<(any AuditArchive)?>(nil)
    var archive: (any AuditArchive)? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
