import Crypto
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Delivers CloudTrail log files and signed, chained digest files into the audit root, laid out as the
/// keys of an S3 bucket so that `aws cloudtrail validate-logs` can check them through the S3 view.
///
/// One writer owns a root at a time (an exclusive `flock` on `.warden-audit/lock`, held until the
/// writer is released). Calls are serialized by a lock, so one writer may be shared between tasks.
/// Every file is written to a temporary name, flushed and renamed, and the writer's state is saved so
/// that a restart neither loses nor repeats a pending log file.
public final class AuditFileWriter: @unchecked Sendable {
    /// The audit root (the server's `DATA_DIR/audit`).
    public let root: String
    /// The bucket names digests and log entries name.
    public let buckets: AuditBucketLayout
    /// The trail name in digest keys (validate-logs takes it from the trail ARN).
    public let trailName: String
    /// The trail's home region in digest keys (validate-logs takes it from the trail ARN).
    public let homeRegion: String
    /// The key that signs digests.
    public let signer: AuditSigningKey

    let logger: Logger
    // INVARIANT: `state` and the files on disk only change while `mutex` is held.
    let mutex = NSLock()
    var state: AuditWriterState
    private let lockDescriptor: Int32

    /// A writer delivering into one bucket for every account.
    public convenience init(root: String, bucket: String, trailName: String, homeRegion: String = "us-east-1",
                            signer: AuditSigningKey, logger: Logger = Logger(label: "warden.audit")) throws {
        try self.init(root: root, buckets: .shared(bucket), trailName: trailName, homeRegion: homeRegion,
                      signer: signer, logger: logger)
    }

    /// A writer for any bucket layout. Recovers from an interrupted previous run before returning.
    public init(root: String, buckets: AuditBucketLayout, trailName: String, homeRegion: String = "us-east-1",
                signer: AuditSigningKey, logger: Logger = Logger(label: "warden.audit")) throws {
        try buckets.validate()
        guard AuditNames.isTrailName(trailName) else {
            throw AuditError(.invalidName, "`\(trailName)` is not a valid trail name")
        }
        guard AuditNames.isRegion(homeRegion) else {
            throw AuditError(.invalidName, "`\(homeRegion)` is not a region name")
        }
        self.root = root
        self.buckets = buckets
        self.trailName = trailName
        self.homeRegion = homeRegion
        self.signer = signer
        self.logger = logger
        let files = AuditRootFiles(root: root)
        try FileIO.makeDirectories(root)
        try FileIO.makeDirectories(files.internalDirectory, mode: 0o700)
        lockDescriptor = open(files.lock, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lockDescriptor >= 0 else { throw FileIO.failure("cannot open the lock file", files.lock) }
        guard flock(lockDescriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(lockDescriptor)
            throw AuditError(.locked, "another writer is using this audit root", path: root)
        }
        do {
            state = try AuditWriterState.load(root: root)
                ?? AuditWriterState(buckets: buckets, trailName: trailName, homeRegion: homeRegion, chains: [])
            try recover()
        } catch {
            close(lockDescriptor)
            throw error
        }
    }

    deinit {
        close(lockDescriptor)
    }

    /// The chains the writer keeps, each of which gets a digest on every `writeDigests`.
    public var chains: [AuditChainID] {
        mutex.withLock { state.chains.map(\.id) }
    }

    /// The keys of the log files delivered to a chain since its last digest.
    public func pendingLogFiles(of chain: AuditChainID) -> [String] {
        mutex.withLock { state.chains.first { $0.id == chain }?.pending.map(\.key) ?? [] }
    }

    /// Starts chains for (account, region) pairs that have none yet, beginning at `now`, so that they
    /// get a digest on every `writeDigests` from then on even while no event happens (a trail
    /// created for an account, say). Chains that exist are left alone.
    public func startChains(_ ids: [AuditChainID], now: Date) throws {
        for id in ids { try AuditNames.validate(id) }
        try mutex.withLock {
            var next = state
            for id in ids { _ = next.chainIndex(id, startingAt: AuditTime.iso8601(AuditTime.truncatedToSecond(now))) }
            guard next != state else { return }
            try next.save(root: root)
            state = next
        }
    }

    /// Writes one log file per (account, region) holding that pair's records, in the order given,
    /// and records each as pending for the chain's next digest. Returns what was written.
    public func deliver(_ records: [AuditRecord], now: Date) throws -> [DeliveredLogFile] {
        var batch = AuditLogBatch()
        for record in records {
            guard batch.append(record) else { try AuditNames.validate(AuditChainID(accountID: record.accountID, region: record.region)); continue }
        }
        return try deliver(batch, now: now)
    }

    /// Writes the log files of a batch (one per account and region) and records each as pending for the chain's
    /// next digest. Returns what was written.
    public func deliver(_ batch: AuditLogBatch, now: Date) throws -> [DeliveredLogFile] {
        guard !batch.isEmpty else { return [] }
        // Build every file before touching the disk, so a failure here changes nothing.
        var files: [(delivered: DeliveredLogFile, gzip: Data)] = []
        for id in batch.order {
            let file = batch.files[id]!
            let body = file.finished
            let bucket = buckets.bucket(forAccount: id.accountID)
            let key = AuditKeyLayout.logFileKey(accountID: id.accountID, region: id.region, deliveredAt: now,
                                                unique: Self.uniqueSuffix(now: now))
            files.append((DeliveredLogFile(chain: id, bucket: bucket, key: key,
                                           sha256: Hex.encode(SHA256.hash(data: body)), recordCount: file.records,
                                           oldestEventTime: file.oldest, newestEventTime: file.newest),
                          try body.withUnsafeBytes { try Gzip.compress($0, level: Gzip.fastest) }))
        }
        return try mutex.withLock {
            // Intent first: the state names the files before they exist (see AuditWriterState).
            var next = state
            for (file, _) in files {
                let index = next.chainIndex(file.chain, startingAt: AuditTime.iso8601(AuditTime.truncatedToSecond(now)))
                next.chains[index].pending.append(.init(
                    bucket: file.bucket, key: file.key, sha256: file.sha256,
                    oldestEventTime: AuditTime.iso8601(file.oldestEventTime),
                    newestEventTime: AuditTime.iso8601(file.newestEventTime)))
            }
            try next.save(root: root)
            state = next
            var written: Set<String> = []
            do {
                for (file, gzip) in files {
                    guard try FileIO.writeAtomically(gzip, to: root + "/" + file.key, replace: false) else {
                        throw AuditError(.fileSystem, "a log file with this key exists already", path: file.key)
                    }
                    written.insert(file.key)
                }
            } catch {
                // Forget the files that were not written, so no digest lists a file that never existed.
                let unwritten = Set(files.map(\.delivered.key)).subtracting(written)
                for index in state.chains.indices {
                    state.chains[index].pending.removeAll { unwritten.contains($0.key) }
                }
                try? state.save(root: root)
                throw error
            }
            for (file, _) in files {
                logger.debug("delivered an audit log file", metadata: [
                    "warden.audit.key": "\(file.key)", "warden.audit.records": "\(file.recordCount)",
                ])
            }
            return files.map(\.delivered)
        }
    }

    /// Writes one signed digest per chain, covering the time since the chain's previous digest and
    /// listing the log files delivered since, even when there are none (CloudTrail does the same, so a
    /// quiet hour is not mistaken for a deleted digest). A chain whose previous digest ended at or after
    /// `now`'s second is skipped, since two digests of a chain must not share a key timestamp.
    public func writeDigests(now: Date) throws -> [DeliveredDigest] {
        let end = AuditTime.truncatedToSecond(now)
        let endText = AuditTime.iso8601(end)
        return try mutex.withLock {
            var delivered: [DeliveredDigest] = []
            var next = state
            var failure: Error?
            for index in next.chains.indices {
                let chain = next.chains[index]
                guard let start = AuditTime.parseISO8601(chain.startTime), end > start else { continue }
                do {
                    let digest = try writeDigest(chain: chain, endTime: end, endText: endText)
                    next.chains[index].head = digest.head
                    next.chains[index].startTime = endText
                    next.chains[index].pending = []
                    delivered.append(digest.delivered)
                } catch {
                    failure = error
                    break
                }
            }
            // The digests written are on disk whatever happens next, so memory follows them even if the
            // state cannot be saved (a restart would then adopt them, see recover()).
            state = next
            if !delivered.isEmpty { try state.save(root: root) }
            if let failure { throw failure }
            return delivered
        }
    }

    private func writeDigest(chain: AuditWriterState.Chain, endTime: Date, endText: String) throws
        -> (head: AuditWriterState.Head, delivered: DeliveredDigest)
    {
        let bucket = buckets.bucket(forAccount: chain.accountID)
        let key = AuditKeyLayout.digestKey(accountID: chain.accountID, region: chain.region, trailName: trailName,
                                           homeRegion: homeRegion, endTime: endTime)
        let logs = chain.pending.map {
            DigestDocument.LogFile(bucket: $0.bucket, key: $0.key, sha256: $0.sha256,
                                   newestEventTime: $0.newestEventTime, oldestEventTime: $0.oldestEventTime)
        }
        // ISO 8601 UTC times of one format order as strings do.
        let document = DigestDocument(
            accountID: chain.accountID, startTime: chain.startTime, endTime: endText, bucket: bucket, key: key,
            publicKeyFingerprint: signer.fingerprint,
            newestEventTime: logs.map(\.newestEventTime).max(), oldestEventTime: logs.map(\.oldestEventTime).min(),
            previous: chain.head.map { .init(bucket: $0.bucket, key: $0.key, sha256: $0.sha256) },
            previousSignature: chain.head?.signature, logFiles: logs)
        let json = document.json()
        let signature = Hex.encode(try signer.sign(DigestDocument.stringToSign(
            endTime: endText, bucket: bucket, key: key, uncompressedDigest: json,
            previousSignature: document.previousSignature)))
        let path = root + "/" + key
        // The signature first: a digest is never visible without it, and a signature without its digest
        // is a hidden file nobody reads.
        let sidecar = ObjectSidecar(metadata: ["signature": signature, "signature-algorithm": AuditSigningKey.algorithm])
        try FileIO.writeAtomically(sidecar.encoded(), to: ObjectTree.sidecarPath(ofObjectAt: path))
        guard try FileIO.writeAtomically(try Gzip.compress(json), to: path, replace: false) else {
            throw AuditError(.fileSystem, "a digest with this key exists already", path: key)
        }
        logger.debug("delivered an audit digest", metadata: [
            "warden.audit.key": "\(key)", "warden.audit.logFiles": "\(logs.count)",
        ])
        let head = AuditWriterState.Head(bucket: bucket, key: key, sha256: Hex.encode(SHA256.hash(data: json)),
                                         signature: signature, endTime: endText)
        return (head, DeliveredDigest(chain: chain.id, bucket: bucket, key: key,
                                      startTime: AuditTime.parseISO8601(chain.startTime) ?? endTime, endTime: endTime,
                                      logFileCount: logs.count, signature: signature, previousKey: chain.head?.key))
    }

    /// 16 letters and digits, like the suffix of CloudTrail's log file names: 8 that count milliseconds (in an
    /// alphabet in ASCII order, so that names sort in delivery order, as a person listing the folder expects)
    /// and 8 random ones.
    static func uniqueSuffix(now: Date) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        var clock: [Character] = []
        for _ in 0..<8 { clock.append(alphabet[Int(millis % 62)]); millis /= 62 }
        var generator = SystemRandomNumberGenerator()
        let random = (0..<8).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] }
        return String(clock.reversed()) + String(random)
    }
}
