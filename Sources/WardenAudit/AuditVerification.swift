/// One thing wrong with the audit files.
public struct AuditProblem: Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, stable across releases.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A digest is not gzip, not JSON, or lacks a field validate-logs requires.
        case digestInvalidFormat
        /// A digest names another bucket, key, account or end time than where it lies.
        case digestMoved
        /// A digest has no signature sidecar (S3 would have no `x-amz-meta-signature`).
        case digestSignatureMissing
        /// A digest's signature does not verify: the digest or its signature was changed.
        case digestSignatureInvalid
        /// A digest names a public key fingerprint that is not the signing key's.
        case digestUnknownKey
        /// A digest that a later digest links to (or the writer recorded last) does not exist.
        case digestMissing
        /// A digest's link to its predecessor disagrees with the predecessor (hash, signature, times,
        /// order), or names a digest of another chain.
        case digestChainBroken
        /// A digest that no chain reaches: inserted, copied or left by a rename.
        case digestNotInChain
        /// A log file a digest lists does not exist.
        case logMissing
        /// A log file's uncompressed contents do not have the hash its digest lists.
        case logHashMismatch
        /// A log file a digest lists is not a gzip stream.
        case logInvalidFormat
        /// A log file that no digest lists although a later digest exists for its chain.
        case logNotInDigest
        /// A file in the tree that is neither a log file nor a digest.
        case unexpectedObject
        /// The signing key cannot be found, so no signature can be checked.
        case signingKeyMissing
        /// The writer's state file cannot be read.
        case stateUnreadable
    }

    /// What is wrong.
    public var kind: Kind
    /// The S3 key of the file concerned (its path below the audit root); empty when none.
    public var key: String
    /// A sentence for operators.
    public var message: String

    /// Creates a problem.
    public init(_ kind: Kind, key: String, _ message: String) {
        self.kind = kind
        self.key = key
        self.message = message
    }

    /// The file's path below `root` (the root itself when the problem names no file).
    public func path(root: String) -> String {
        key.isEmpty ? root : root + "/" + key
    }

    /// `kind <tab> key <tab> message`, one line for a report.
    public var description: String { "\(kind.rawValue)\t\(key)\t\(message)" }
}

/// The outcome of verifying an audit root.
public struct AuditVerification: Sendable, Hashable {
    /// Everything found wrong, in the order found; empty when the files are intact.
    public var problems: [AuditProblem] = []
    /// Digests whose format, location and signature were checked and found good.
    public var validDigests = 0
    /// Log files whose hash matched their digest.
    public var validLogFiles = 0
    /// Log files delivered after their chain's newest digest, which no digest can list yet.
    public var pendingLogFiles = 0

    /// True when no problem was found.
    public var isValid: Bool { problems.isEmpty }
}
