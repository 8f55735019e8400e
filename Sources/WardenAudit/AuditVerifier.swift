import Crypto
import Foundation

/// Checks an audit root offline, as `aws cloudtrail validate-logs` checks the bucket and more: every
/// digest's format, location and signature; every chain link (hash, signature and times of the
/// previous digest); every listed log file's SHA-256; missing, moved and inserted files; and log files
/// that no digest lists although their chain has a later digest.
///
/// Files dated before the writer's retention cutoff (or before `from`) are not checked, just as
/// validate-logs checks only what lies after `--start-time`.
public struct AuditVerifier: Sendable {
    /// The audit root.
    public var root: String
    /// The key that signed the digests; nil loads it from the root.
    public var publicKey: AuditPublicKey?
    /// The bucket names digests must carry; nil accepts the names they were signed with (the
    /// signature covers them, and a bucket may have been renamed since).
    public var buckets: AuditBucketLayout?
    /// Ignore digests that ended, and log files delivered, before this.
    public var from: Date?

    /// A verifier of `root`.
    public init(root: String, publicKey: AuditPublicKey? = nil, buckets: AuditBucketLayout? = nil, from: Date? = nil) {
        self.root = root
        self.publicKey = publicKey
        self.buckets = buckets
        self.from = from
    }

    /// Verifies `root` with the key and bucket names kept in it.
    public static func verify(root: String) -> AuditVerification {
        AuditVerifier(root: root).verify()
    }

    /// Runs every check and returns what it found.
    public func verify() -> AuditVerification {
        var run = VerificationRun(root: root)
        var state: AuditWriterState?
        do { state = try AuditWriterState.load(root: root) } catch {
            run.report(.stateUnreadable, key: "", "the writer's state cannot be read: \(error)")
        }
        run.buckets = buckets
        if let publicKey {
            run.publicKey = publicKey
        } else {
            do {
                run.publicKey = try AuditSigningKey.load(root: root)?.publicKey
                if run.publicKey == nil { run.report(.signingKeyMissing, key: "", "no signing key in the audit root") }
            } catch {
                run.report(.signingKeyMissing, key: "", "the signing key cannot be loaded: \(error)")
            }
        }
        let pruned = state?.prunedBefore.flatMap(AuditTime.parseISO8601)
        run.lowerBound = [from, pruned].compactMap { $0 }.max()

        var digests: [DigestGroup: [AuditObjectKey.DigestKey]] = [:]
        var logFiles: [AuditObjectKey.LogFileKey] = []
        do {
            try ObjectTree(root: root).walk { entry in
                switch AuditKeyLayout.parse(entry.key) {
                case .digest(let digest): digests[DigestGroup(digest), default: []].append(digest)
                case .logFile(let log): logFiles.append(log)
                case nil: run.report(.unexpectedObject, key: entry.key, "neither a CloudTrail log file nor a digest file")
                }
                return true
            }
        } catch {
            run.report(.unexpectedObject, key: "", "the audit root cannot be read: \(error)")
        }

        for group in digests.keys.sorted() {
            run.verifyChain(digests[group]!.sorted { $0.endTime < $1.endTime })
        }
        run.verifyReferencedLogFiles()
        run.verifyUnreferenced(logFiles, pending: Set(state?.chains.flatMap { $0.pending.map(\.key) } ?? []))
        for chain in state?.chains ?? [] {
            guard let head = chain.head, case .digest(let parsed) = AuditKeyLayout.parse(head.key),
                  run.inRange(parsed.endTime), FileIO.info(root + "/" + head.key) == nil else { continue }
            run.report(.digestMissing, key: head.key, "the last digest the writer recorded for \(chain.id) does not exist")
        }
        return run.result
    }
}

/// The digests of one chain: validate-logs reads a trail's digests per account and region.
struct DigestGroup: Hashable, Comparable {
    var chain: AuditChainID
    var trailName: String
    var homeRegion: String

    init(_ key: AuditObjectKey.DigestKey) {
        chain = key.chain
        trailName = key.trailName
        homeRegion = key.homeRegion
    }

    static func < (a: Self, b: Self) -> Bool {
        (a.chain.accountID, a.chain.region, a.trailName, a.homeRegion)
            < (b.chain.accountID, b.chain.region, b.trailName, b.homeRegion)
    }
}
