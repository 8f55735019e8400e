import Foundation

extension AuditFileWriter {
    /// Removes digests that ended before `cutoff` and the log files they list, plus log files
    /// delivered before `cutoff` that no remaining digest lists (left by an earlier damaged run).
    ///
    /// Kept: every chain's last digest (the next digest links to it), and pending log files. The cutoff
    /// is recorded first, so the verifier knows which missing files were removed on purpose; the
    /// remaining chain still verifies, and validate-logs checks only what it finds after `--start-time`.
    @discardableResult
    public func prune(olderThan cutoff: Date) throws -> AuditPruneSummary {
        let cutoff = AuditTime.truncatedToSecond(cutoff)
        return try mutex.withLock {
            var next = state
            if next.prunedBefore.flatMap(AuditTime.parseISO8601).map({ $0 < cutoff }) ?? true {
                next.prunedBefore = AuditTime.iso8601(cutoff)
                try next.save(root: root)
                state = next
            }
            let heads = Set(state.chains.compactMap { $0.head?.key })
            let pending = Set(state.chains.flatMap { $0.pending.map(\.key) })
            let tree = ObjectTree(root: root)

            var oldDigests: [String] = []
            var logFiles: [AuditObjectKey.LogFileKey] = []
            try tree.walk(prefix: "AWSLogs/") { entry in
                switch AuditKeyLayout.parse(entry.key) {
                case .digest(let digest) where digest.endTime < cutoff && !heads.contains(digest.key):
                    oldDigests.append(digest.key)
                case .logFile(let log) where log.deliveredAt < cutoff && !pending.contains(log.key):
                    logFiles.append(log)
                default: break
                }
                return true
            }
            // A log file may go only if no digest that stays lists it.
            var keptReferences: Set<String> = []
            let removing = Set(oldDigests)
            try tree.walk(prefix: "AWSLogs/") { entry in
                if case .digest = AuditKeyLayout.parse(entry.key), !removing.contains(entry.key),
                   case .success(let digest) = StoredDigest.read(root: root, key: entry.key) {
                    keptReferences.formUnion(digest.document.logFiles.map(\.key))
                }
                return true
            }
            var summary = AuditPruneSummary(digests: 0, logFiles: 0)
            var directories: Set<String> = []
            for log in logFiles where !keptReferences.contains(log.key) {
                try remove(log.key, directories: &directories)
                summary.logFiles += 1
            }
            for key in oldDigests {
                try remove(key, directories: &directories)
                summary.digests += 1
            }
            // Deepest first, so emptied day folders let their month and year folders go too.
            for directory in directories.sorted(by: { $0.count > $1.count }) {
                var path = directory
                while path.count > root.count + "/AWSLogs".count {
                    FileIO.removeIfEmpty(path)
                    path = (path as NSString).deletingLastPathComponent
                }
            }
            if summary.digests + summary.logFiles > 0 {
                logger.info("pruned audit files", metadata: [
                    "warden.audit.digests": "\(summary.digests)", "warden.audit.logFiles": "\(summary.logFiles)",
                ])
            }
            return summary
        }
    }

    private func remove(_ key: String, directories: inout Set<String>) throws {
        let path = root + "/" + key
        try FileIO.remove(path)
        try FileIO.remove(ObjectTree.sidecarPath(ofObjectAt: path))
        directories.insert((path as NSString).deletingLastPathComponent)
    }
}
