import Foundation

/// What the writer must remember between runs, in `.warden-audit/state.json`: for each chain, the
/// digest it ends with and the log files delivered since, which the next digest will list.
///
/// INVARIANT: a pending log file is recorded here before its file is written, so a file on disk is
/// never forgotten by the next digest; after a crash, recovery drops the entries whose file never
/// appeared and adopts a digest that was written but not yet recorded (see `AuditFileWriter+Recovery`).
struct AuditWriterState: Codable, Equatable {
    /// The last digest of a chain: what the next one links to.
    struct Head: Codable, Equatable {
        var bucket: String
        var key: String
        /// Lowercase hex SHA-256 of the digest's uncompressed bytes.
        var sha256: String
        /// Lowercase hex signature.
        var signature: String
        /// The digest's `digestEndTime`.
        var endTime: String
    }

    /// A delivered log file that no digest lists yet.
    struct Pending: Codable, Equatable {
        var bucket: String
        var key: String
        var sha256: String
        var oldestEventTime: String
        var newestEventTime: String
    }

    /// One (account, region) chain.
    struct Chain: Codable, Equatable {
        var accountID: String
        var region: String
        /// The next digest's `digestStartTime`: the previous digest's end, or when the chain began.
        var startTime: String
        var head: Head?
        var pending: [Pending]

        var id: AuditChainID { AuditChainID(accountID: accountID, region: region) }
    }

    var version = 1
    var buckets: AuditBucketLayout
    var trailName: String
    var homeRegion: String
    /// Files dated before this were removed on purpose by retention; the verifier does not miss them.
    var prunedBefore: String?
    var chains: [Chain]

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        do { return try encoder.encode(self) } catch {
            throw AuditError(.corruptState, "cannot encode the writer state: \(error)")
        }
    }

    /// The state saved in `root`, or nil when none was saved yet.
    static func load(root: String) throws -> AuditWriterState? {
        let path = AuditRootFiles(root: root).state
        guard let data = try FileIO.contents(path) else { return nil }
        do { return try JSONDecoder().decode(AuditWriterState.self, from: data) } catch {
            throw AuditError(.corruptState, "the writer state cannot be decoded: \(error)", path: path)
        }
    }

    func save(root: String) throws {
        let files = AuditRootFiles(root: root)
        try FileIO.makeDirectories(files.internalDirectory, mode: 0o700)
        try FileIO.writeAtomically(try encoded(), to: files.state, mode: 0o600)
    }
}

extension AuditWriterState {
    /// The index of a chain, adding it (starting at `startTime`) when it is new.
    mutating func chainIndex(_ id: AuditChainID, startingAt startTime: String) -> Int {
        if let index = chains.firstIndex(where: { $0.id == id }) { return index }
        chains.append(Chain(accountID: id.accountID, region: id.region, startTime: startTime, head: nil, pending: []))
        chains.sort { $0.id < $1.id }
        return chains.firstIndex { $0.id == id }!
    }
}
