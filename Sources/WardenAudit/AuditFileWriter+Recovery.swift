import Foundation

extension AuditFileWriter {
    /// Brings the saved state in line with the files after an interrupted run. Called from `init`
    /// with the root locked.
    ///
    /// - A pending log file whose file does not exist was recorded but never written (the process
    ///   stopped between the two steps): it is forgotten.
    /// - A digest that was written but not recorded (the process stopped before saving the state) is
    ///   adopted as the chain's head when it links to the recorded head, starts where the chain
    ///   starts and carries a valid signature; its log files stop being pending.
    /// - When the bucket layout, trail name or home region changed, each chain starts afresh (the old
    ///   digests stay valid where they are; validate-logs reports the join as a gap).
    func recover() throws {
        var next = state
        if next.buckets != buckets || next.trailName != trailName || next.homeRegion != homeRegion {
            logger.info("the audit trail's bucket or name changed; digest chains start afresh", metadata: [
                "warden.audit.trail": "\(trailName)",
            ])
            next.buckets = buckets
            next.trailName = trailName
            next.homeRegion = homeRegion
            for index in next.chains.indices {
                next.chains[index].head = nil
                let bucket = buckets.bucket(forAccount: next.chains[index].accountID)
                for p in next.chains[index].pending.indices { next.chains[index].pending[p].bucket = bucket }
            }
        }
        for index in next.chains.indices {
            next.chains[index].pending.removeAll { pending in
                guard FileIO.info(root + "/" + pending.key)?.kind != .file else { return false }
                logger.info("forgetting an audit log file that was never written", metadata: [
                    "warden.audit.key": "\(pending.key)",
                ])
                return true
            }
            try adoptUnrecordedDigests(&next.chains[index])
        }
        if next != state {
            try next.save(root: root)
            state = next
        }
    }

    private func adoptUnrecordedDigests(_ chain: inout AuditWriterState.Chain) throws {
        let tree = ObjectTree(root: root)
        let bucket = buckets.bucket(forAccount: chain.accountID)
        var candidates: [String] = []
        try tree.walk(prefix: AuditKeyLayout.digestPrefix(accountID: chain.accountID, region: chain.region) + "/",
                      after: chain.head?.key) { entry in
            if case .digest(let parsed) = AuditKeyLayout.parse(entry.key), parsed.trailName == trailName,
               parsed.homeRegion == homeRegion {
                candidates.append(entry.key)
            }
            return true
        }
        for key in candidates {
            guard case .success(let digest) = StoredDigest.read(root: root, key: key) else { continue }
            let document = digest.document
            guard document.previous?.key == chain.head?.key, document.startTime == chain.startTime,
                  document.bucket == bucket, document.key == key, digest.hasValidSignature(signer.publicKey),
                  let signature = digest.signature else { continue }
            logger.info("adopting an audit digest written before an interruption", metadata: ["warden.audit.key": "\(key)"])
            chain.head = .init(bucket: bucket, key: key, sha256: digest.sha256, signature: signature,
                               endTime: document.endTime)
            chain.startTime = document.endTime
            let listed = Set(document.logFiles.map(\.key))
            chain.pending.removeAll { listed.contains($0.key) }
        }
    }
}
