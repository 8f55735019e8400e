import Crypto
import Foundation

/// The working state of one `AuditVerifier.verify()`.
struct VerificationRun {
    let root: String
    var publicKey: AuditPublicKey?
    var buckets: AuditBucketLayout?
    var lowerBound: Date?
    var result = AuditVerification()
    /// Log files listed by digests whose signature verified: key → (expected hash, listing digest).
    var listed: [String: (sha256: String, digest: String)] = [:]
    /// Every log file some readable digest lists, trusted or not (a tampered digest's files are not
    /// also reported as unlisted).
    var mentioned: Set<String> = []
    /// The newest digest end time seen per chain.
    var newestDigest: [AuditChainID: Date] = [:]

    init(root: String) { self.root = root }

    mutating func report(_ kind: AuditProblem.Kind, key: String, _ message: String) {
        result.problems.append(AuditProblem(kind, key: key, message))
    }

    func inRange(_ date: Date) -> Bool {
        lowerBound.map { date >= $0 } ?? true
    }

    /// Checks every digest of a chain on its own, then walks the chain from its newest digest back
    /// along the `previousDigest*` links, like validate-logs: after a missing or invalid digest it
    /// resumes at the newest listed digest older than it. Good digests the walk never reaches are
    /// reported as not in the chain.
    mutating func verifyChain(_ sorted: [AuditObjectKey.DigestKey]) {
        var remaining = sorted.filter { inRange($0.endTime) }
        guard let newest = remaining.last else { return }
        let chain = newest.chain
        newestDigest[chain] = max(newestDigest[chain] ?? .distantPast, newest.endTime)
        var good: [String: StoredDigest] = [:]
        for key in remaining {
            if let stored = check(key) { good[key.key] = stored }
        }
        var visited: Set<String> = []

        func older(than date: Date) -> AuditObjectKey.DigestKey? {
            while let candidate = remaining.popLast() {
                if candidate.endTime < date && !visited.contains(candidate.key) { return candidate }
            }
            return nil
        }

        var current = remaining.popLast()
        while let digestKey = current {
            visited.insert(digestKey.key)
            guard let digest = good[digestKey.key] else {
                current = older(than: digestKey.endTime)
                continue
            }
            guard let previous = digest.document.previous else {
                // The start of a chain (or of a new chain after a gap).
                current = older(than: digestKey.endTime)
                continue
            }
            guard case .digest(let previousKey) = AuditKeyLayout.parse(previous.key),
                  DigestGroup(previousKey) == DigestGroup(digestKey), previousKey.endTime < digestKey.endTime,
                  !visited.contains(previous.key) else {
                report(.digestChainBroken, key: digestKey.key, "links to `\(previous.key)`, which cannot precede it in this chain")
                current = older(than: digestKey.endTime)
                continue
            }
            if !inRange(previousKey.endTime) { break }
            switch StoredDigest.read(root: root, key: previous.key) {
            case .failure(.missing):
                report(.digestMissing, key: previous.key, "linked from `\(digestKey.key)` but does not exist")
                current = older(than: previousKey.endTime)
                continue
            case .failure(.invalidFormat):
                break  // reported by its own check
            case .success(let stored):
                var broken: [String] = []
                if previous.sha256 != stored.sha256 { broken.append("previousDigestHashValue") }
                if digest.document.previousSignature != stored.signature { broken.append("previousDigestSignature") }
                if digest.document.startTime != stored.document.endTime { broken.append("digestStartTime") }
                if previous.bucket != stored.document.bucket { broken.append("previousDigestS3Bucket") }
                if !broken.isEmpty {
                    report(.digestChainBroken, key: digestKey.key,
                           "its \(broken.joined(separator: ", ")) disagrees with `\(previous.key)`")
                }
            }
            // Follow the link; listed digests between the two are left unvisited.
            while let last = remaining.last, last.endTime >= previousKey.endTime, last.key != previous.key {
                remaining.removeLast()
            }
            if remaining.last?.key == previous.key { remaining.removeLast() }
            current = previousKey
        }
        for digest in sorted where good[digest.key] != nil && !visited.contains(digest.key) {
            report(.digestNotInChain, key: digest.key, "no digest of its chain links to it")
        }
    }

    /// Checks one digest's format, location and signature; the decoded digest when it is good enough
    /// to follow (its signature verified, or could not be checked for want of a key).
    private mutating func check(_ key: AuditObjectKey.DigestKey) -> StoredDigest? {
        let stored: StoredDigest
        switch StoredDigest.read(root: root, key: key.key) {
        case .failure(.missing):
            report(.digestMissing, key: key.key, "vanished during verification")
            return nil
        case .failure(.invalidFormat(let why)):
            report(.digestInvalidFormat, key: key.key, "invalid format: \(why)")
            return nil
        case .success(let s):
            stored = s
        }
        let document = stored.document
        mentioned.formUnion(document.logFiles.map(\.key))
        var moved: [String] = []
        if document.key != key.key { moved.append("digestS3Object `\(document.key)`") }
        if let buckets, document.bucket != buckets.bucket(forAccount: key.chain.accountID) {
            moved.append("digestS3Bucket `\(document.bucket)`")
        }
        if document.accountID != key.chain.accountID { moved.append("awsAccountId `\(document.accountID)`") }
        if document.endTime != AuditTime.iso8601(key.endTime) { moved.append("digestEndTime `\(document.endTime)`") }
        if !moved.isEmpty {
            report(.digestMoved, key: key.key, "has been moved from its original location: \(moved.joined(separator: ", "))")
            return nil
        }
        guard let publicKey else { return stored }
        guard document.publicKeyFingerprint == publicKey.fingerprint else {
            report(.digestUnknownKey, key: key.key, "signed by an unknown key (fingerprint `\(document.publicKeyFingerprint)`)")
            return nil
        }
        guard stored.signature != nil else {
            report(.digestSignatureMissing, key: key.key, "has no signature metadata")
            return nil
        }
        guard stored.signatureAlgorithm == AuditSigningKey.algorithm, stored.hasValidSignature(publicKey) else {
            report(.digestSignatureInvalid, key: key.key, "signature verification failed")
            return nil
        }
        result.validDigests += 1
        for log in document.logFiles {
            listed[log.key] = (log.sha256, key.key)
        }
        return stored
    }

    /// Hashes every log file a good digest lists.
    mutating func verifyReferencedLogFiles() {
        for key in listed.keys.sorted() {
            let (expected, digest) = listed[key]!
            let data: Data?
            if ObjectTree.components(of: key) == nil {
                data = nil
            } else {
                data = try? FileIO.contents(root + "/" + key)
            }
            guard let data else {
                report(.logMissing, key: key, "listed in `\(digest)` but not found")
                continue
            }
            guard let uncompressed = try? Gzip.decompress(data) else {
                report(.logInvalidFormat, key: key, "not a gzip file")
                continue
            }
            if Hex.encode(SHA256.hash(data: uncompressed)) == expected {
                result.validLogFiles += 1
            } else {
                report(.logHashMismatch, key: key, "hash value doesn't match the one in `\(digest)`")
            }
        }
    }

    /// Log files no digest lists: fine when pending (delivered after the chain's newest digest, at the
    /// minute resolution of log file names) or before the checked range; otherwise a problem.
    mutating func verifyUnreferenced(_ logFiles: [AuditObjectKey.LogFileKey], pending: Set<String>) {
        for log in logFiles where !mentioned.contains(log.key) && !listed.keys.contains(log.key) {
            if let lowerBound, log.deliveredAt.addingTimeInterval(60) <= lowerBound { continue }
            let newest = newestDigest[log.chain].map { Date(timeIntervalSince1970: floor($0.timeIntervalSince1970 / 60) * 60) }
            if pending.contains(log.key) || newest.map({ log.deliveredAt >= $0 }) ?? true {
                result.pendingLogFiles += 1
                continue
            }
            report(.logNotInDigest, key: log.key, "no digest lists it, although a later digest exists")
        }
    }
}
