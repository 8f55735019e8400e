import Crypto
import Foundation
import Testing
@testable import WardenAudit

@Suite struct AuditFileWriterTests {
    @Test func aFreshTrailVerifies() throws {
        let trail = try SampleTrail()
        let result = trail.verify()
        #expect(result.problems == [])
        // Three chains, three rounds of digests; six log files of which one is still pending.
        #expect(trail.digests.count == 9)
        #expect(result.validDigests == 9)
        #expect(result.validLogFiles == 5)
        #expect(result.pendingLogFiles == 1)
    }

    @Test func logFilesHoldTheRecordsVerbatim() throws {
        let trail = try SampleTrail()
        let first = trail.logs[0]
        #expect(first.chain == AuditChainID(accountID: accountA, region: "us-east-1"))
        #expect(first.recordCount == 2)
        let body = try gunzip(trail.path(first.key))
        #expect(Hex.encode(SHA256.hash(data: body)) == first.sha256)
        let text = String(decoding: body, as: UTF8.self)
        #expect(text.hasPrefix(#"{"Records":[{"eventVersion":"1.08""#))
        let parsed = try JSONSerialization.jsonObject(with: body) as? [String: [[String: Any]]]
        #expect(parsed?["Records"]?.map { $0["eventName"] as? String } == ["ListUsers", "GetUser"])
        #expect(first.key.hasPrefix("AWSLogs/111122223333/CloudTrail/us-east-1/2025/03/01/111122223333_CloudTrail_us-east-1_20250301T1002Z_"))
    }

    @Test func digestsChainAndListTheirLogFiles() throws {
        let trail = try SampleTrail()
        let chain = trail.digests(of: accountA, "us-east-1")
        #expect(chain.map(\.logFileCount) == [2, 1, 0])
        #expect(chain[0].previousKey == nil)
        #expect(chain[1].previousKey == chain[0].key)
        #expect(chain[2].previousKey == chain[1].key)
        #expect(chain[1].startTime == chain[0].endTime)
        #expect(chain[0].key.hasSuffix("111122223333_CloudTrail-Digest_us-east-1_warden_us-east-1_20250301T110000Z.json.gz"))

        let first = try DigestDocument(json: gunzip(trail.path(chain[0].key)))
        #expect(first.previous == nil && first.previousSignature == nil)
        #expect(first.startTime == "2025-03-01T10:02:00Z")  // the chain began with its first delivery
        #expect(first.oldestEventTime == "2025-03-01T10:01:00Z" && first.newestEventTime == "2025-03-01T10:19:10Z")
        #expect(first.publicKeyFingerprint == testSigningKey.fingerprint)

        let secondBytes = try gunzip(trail.path(chain[1].key))
        let second = try DigestDocument(json: secondBytes)
        #expect(second.previous?.key == chain[0].key)
        #expect(second.previous?.sha256 == Hex.encode(SHA256.hash(data: try gunzip(trail.path(chain[0].key)))))
        #expect(second.previousSignature == chain[0].signature)
        #expect(second.logFiles.map(\.key) == [trail.logs[4].key])

        let quiet = try DigestDocument(json: gunzip(trail.path(chain[2].key)))
        #expect(quiet.logFiles.isEmpty && quiet.newestEventTime == nil)

        // The signature is the sidecar's, and verifies over validate-logs' string to sign.
        let sidecar = try #require(ObjectSidecar.decode(Data(contentsOf: URL(fileURLWithPath:
            ObjectTree.sidecarPath(ofObjectAt: trail.path(chain[1].key))))))
        #expect(sidecar.metadata == ["signature": chain[1].signature, "signature-algorithm": "SHA256withRSA"])
        let toSign = DigestDocument.stringToSign(endTime: second.endTime, bucket: testBucket, key: chain[1].key,
                                                 uncompressedDigest: secondBytes, previousSignature: chain[0].signature)
        #expect(testSigningKey.publicKey.isValidSignature(Hex.decode(chain[1].signature)!, for: toSign))
    }

    @Test func pendingFilesSurviveARestartAndAreDigestedOnce() throws {
        var trail: SampleTrail? = try SampleTrail()
        let root = trail!.root
        let pendingKey = trail!.pending[0].key
        trail = nil  // releases the writer and its lock (the root stays: `root` holds it)
        let writer = try AuditFileWriter(root: root.path, bucket: testBucket, trailName: "warden", signer: testSigningKey)
        let chain = AuditChainID(accountID: accountA, region: "us-east-1")
        #expect(writer.pendingLogFiles(of: chain) == [pendingKey])
        let digests = try writer.writeDigests(now: t0.addingTimeInterval(14400))
        #expect(digests.first { $0.chain == chain }?.logFileCount == 1)
        #expect(writer.pendingLogFiles(of: chain) == [])
        let again = try writer.writeDigests(now: t0.addingTimeInterval(18000))
        #expect(again.first { $0.chain == chain }?.logFileCount == 0)
        #expect(AuditVerifier.verify(root: root.path).problems == [])
    }

    @Test func aDigestInTheSameSecondIsSkipped() throws {
        let trail = try SampleTrail()
        #expect(try trail.writer.writeDigests(now: t0.addingTimeInterval(10800.5)).isEmpty)
        #expect(try trail.writer.writeDigests(now: t0.addingTimeInterval(10000)).isEmpty)  // clock went back
    }

    @Test func aStartedChainGetsDigestsWithoutEvents() throws {
        let root = try TemporaryRoot()
        let writer = try makeWriter(root.path)
        let quiet = AuditChainID(accountID: accountB, region: "ap-south-1")
        try writer.startChains([quiet], now: t0)
        #expect(writer.chains == [quiet])
        let first = try writer.writeDigests(now: t0.addingTimeInterval(3600))
        let second = try writer.writeDigests(now: t0.addingTimeInterval(7200))
        #expect(first.map(\.logFileCount) == [0] && second.first?.previousKey == first.first?.key)
        #expect(AuditVerifier.verify(root: root.path).problems == [])
        #expect(throws: AuditError.self) { try writer.startChains([AuditChainID(accountID: "x", region: "y")], now: t0) }
    }

    @Test func oneWriterPerRoot() throws {
        let trail = try SampleTrail()
        #expect(throws: AuditError.self) {
            _ = try AuditFileWriter(root: trail.root.path, bucket: testBucket, trailName: "warden", signer: testSigningKey)
        }
    }

    @Test func recoveryForgetsFilesNeverWrittenAndAdoptsDigestsNeverRecorded() throws {
        let root = try TemporaryRoot()
        let chain = AuditChainID(accountID: accountA, region: "us-east-1")
        var savedState: Data
        do {
            let writer = try makeWriter(root.path)
            let delivered = try writer.deliver([record(accountA, "us-east-1", at: t0, "A")], now: t0)
            _ = try writer.writeDigests(now: t0.addingTimeInterval(3600))
            savedState = try Data(contentsOf: URL(fileURLWithPath: root.path + "/.warden-audit/state.json"))
            // A second delivery and digest; then the state is rolled back to before them, as if the
            // process had stopped right after writing the digest file but before saving its state.
            _ = try writer.deliver([record(accountA, "us-east-1", at: t0.addingTimeInterval(3700), "B")],
                                   now: t0.addingTimeInterval(3700))
            let second = try writer.writeDigests(now: t0.addingTimeInterval(7200))
            #expect(second.count == 1 && delivered.count == 1)
            var state = try JSONDecoder().decode(AuditWriterState.self, from: savedState)
            // The rolled-back state also names a log file that was never written.
            state.chains[0].pending.append(.init(bucket: testBucket, key: "AWSLogs/111122223333/CloudTrail/us-east-1/"
                + "2025/03/01/111122223333_CloudTrail_us-east-1_20250301T1100Z_NeverWritten0000.json.gz",
                sha256: "00", oldestEventTime: "2025-03-01T11:00:00Z", newestEventTime: "2025-03-01T11:00:00Z"))
            savedState = try state.encoded()
        }
        try savedState.write(to: URL(fileURLWithPath: root.path + "/.warden-audit/state.json"))
        let writer = try AuditFileWriter(root: root.path, bucket: testBucket, trailName: "warden", signer: testSigningKey)
        #expect(writer.pendingLogFiles(of: chain) == [])
        let third = try writer.writeDigests(now: t0.addingTimeInterval(10800))
        #expect(third.first?.previousKey?.hasSuffix("20250301T120000Z.json.gz") == true)
        #expect(AuditVerifier.verify(root: root.path).problems == [])
    }

    @Test func pruningKeepsTheRestVerifiable() throws {
        let trail = try SampleTrail()
        // Everything that ended before 11:30: the first round of digests and the log files they list.
        let summary = try trail.writer.prune(olderThan: t0.addingTimeInterval(5400))
        #expect(summary.digests == 3)
        #expect(summary.logFiles == 4)
        #expect(!FileManager.default.fileExists(atPath: trail.path(trail.digests[0].key)))
        #expect(!FileManager.default.fileExists(atPath: trail.path(trail.logs[0].key)))
        #expect(FileManager.default.fileExists(atPath: trail.path(trail.logs[4].key)))
        let result = trail.verify()
        #expect(result.problems == [])
        #expect(result.validDigests == 6)
        // A later digest still chains to the kept files.
        _ = try trail.writer.writeDigests(now: t0.addingTimeInterval(14400))
        #expect(trail.verify().problems == [])
    }

    @Test func perAccountBucketsNameEachAccountsBucket() throws {
        let trail = try SampleTrail(buckets: .perAccount(prefix: "warden-audit-"))
        #expect(trail.digests(of: accountB, "us-east-1").allSatisfy { $0.bucket == "warden-audit-444455556666" })
        let document = try DigestDocument(json: gunzip(trail.path(trail.digests(of: accountB, "us-east-1")[0].key)))
        #expect(document.bucket == "warden-audit-444455556666")
        #expect(document.logFiles.allSatisfy { $0.bucket == "warden-audit-444455556666" })
        #expect(trail.verify().problems == [])
    }

    @Test func changingTheBucketStartsNewChains() throws {
        var trail: SampleTrail? = try SampleTrail()
        let root = trail!.root
        trail = nil
        let writer = try AuditFileWriter(root: root.path, bucket: "warden-audit-renamed", trailName: "warden",
                                         signer: testSigningKey)
        let digests = try writer.writeDigests(now: t0.addingTimeInterval(14400))
        #expect(digests.allSatisfy { $0.previousKey == nil && $0.bucket == "warden-audit-renamed" })
        // The verifier checks each digest against the bucket it was written for.
        let result = AuditVerifier(root: root.path, buckets: .shared("warden-audit-renamed")).verify()
        #expect(result.problems(.digestMoved).count == 9)
        #expect(AuditVerifier(root: root.path).verify().problems == [])
    }
}
