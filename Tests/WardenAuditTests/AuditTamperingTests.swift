import Foundation
import Testing
@testable import WardenAudit

/// Each way of changing the files after delivery is reported, with the file concerned.
@Suite struct AuditTamperingTests {
    @Test func anEditedLogFile() throws {
        let trail = try SampleTrail()
        let log = trail.logs[0]
        var text = String(decoding: try gunzip(trail.path(log.key)), as: UTF8.self)
        text = text.replacingOccurrences(of: "ListUsers", with: "ListRoles")
        try gzip(Data(text.utf8), to: trail.path(log.key))
        let result = trail.verify()
        #expect(result.problems.map(\.kind) == [.logHashMismatch])
        #expect(result.problems.first?.key == log.key)
    }

    @Test func aLogFileReplacedByGarbage() throws {
        let trail = try SampleTrail()
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: trail.path(trail.logs[1].key)))
        #expect(trail.verify().problems.map(\.kind) == [.logInvalidFormat])
    }

    @Test func aDeletedLogFile() throws {
        let trail = try SampleTrail()
        try FileManager.default.removeItem(atPath: trail.path(trail.logs[2].key))
        let result = trail.verify()
        #expect(result.problems.map(\.kind) == [.logMissing])
        #expect(result.problems.first?.key == trail.logs[2].key)
    }

    @Test func aRenamedLogFile() throws {
        let trail = try SampleTrail()
        let key = trail.logs[0].key
        let renamed = key.replacingOccurrences(of: "_20250301T1002Z_", with: "_20250301T1002Z_Renamed")
        try FileManager.default.moveItem(atPath: trail.path(key), toPath: trail.path(renamed))
        let result = trail.verify()
        #expect(result.kinds == [.logMissing, .logNotInDigest])
        #expect(result.problems(.logNotInDigest).first?.key == renamed)
    }

    @Test func aLogFileSlippedInAfterwards() throws {
        let trail = try SampleTrail()
        let key = AuditKeyLayout.logFileKey(accountID: accountA, region: "us-east-1", deliveredAt: t0.addingTimeInterval(1800),
                                            unique: "Injected00000000")
        try gzip(Data(#"{"Records":[]}"#.utf8), to: trail.path(key))
        #expect(trail.verify().problems.map(\.kind) == [.logNotInDigest])
    }

    @Test func anEditedDigest() throws {
        let trail = try SampleTrail()
        let digest = trail.digests(of: accountA, "us-east-1")[1]
        var text = String(decoding: try gunzip(trail.path(digest.key)), as: UTF8.self)
        // Drop the log file from the digest, as someone hiding it would.
        text = text.replacingOccurrences(of: trail.logs[4].key, with: trail.logs[3].key)
        try gzip(Data(text.utf8), to: trail.path(digest.key))
        let result = trail.verify()
        #expect(result.problems(.digestSignatureInvalid).map(\.key) == [digest.key])
        // The next digest's hash of it no longer matches either.
        #expect(result.problems(.digestChainBroken).map(\.key) == [trail.digests(of: accountA, "us-east-1")[2].key])
    }

    @Test func aDeletedDigest() throws {
        let trail = try SampleTrail()
        let chain = trail.digests(of: accountA, "us-east-1")
        try FileManager.default.removeItem(atPath: trail.path(chain[1].key))
        let result = trail.verify()
        #expect(result.problems(.digestMissing).map(\.key) == [chain[1].key])
        // Its log file is no longer vouched for.
        #expect(result.problems(.logNotInDigest).map(\.key) == [trail.logs[4].key])
        #expect(result.kinds == [.digestMissing, .logNotInDigest])
    }

    @Test func theNewestDigestDeleted() throws {
        let trail = try SampleTrail()
        let newest = trail.digests(of: accountB, "us-east-1").last!
        try FileManager.default.removeItem(atPath: trail.path(newest.key))
        // Nothing links to the newest digest; the writer's record of it is what reveals the deletion.
        #expect(trail.verify().problems.map(\.kind) == [.digestMissing])
    }

    @Test func twoDigestsSwapped() throws {
        let trail = try SampleTrail()
        let chain = trail.digests(of: accountA, "us-east-1")
        let a = trail.path(chain[0].key), b = trail.path(chain[1].key)
        let dataA = try Data(contentsOf: URL(fileURLWithPath: a)), dataB = try Data(contentsOf: URL(fileURLWithPath: b))
        try dataB.write(to: URL(fileURLWithPath: a))
        try dataA.write(to: URL(fileURLWithPath: b))
        let result = trail.verify()
        #expect(Set(result.problems(.digestMoved).map(\.key)) == [chain[0].key, chain[1].key])
    }

    @Test func aDigestCopiedUnderAnotherName() throws {
        let trail = try SampleTrail()
        let digest = trail.digests(of: accountA, "eu-west-1")[1]
        let copy = digest.key.replacingOccurrences(of: "T120000Z", with: "T123000Z")
        try FileManager.default.copyItem(atPath: trail.path(digest.key), toPath: trail.path(copy))
        let result = trail.verify()
        #expect(result.problems.map(\.kind) == [.digestMoved])
        #expect(result.problems.first?.key == copy)
    }

    @Test func aSignatureRemovedOrReplaced() throws {
        let trail = try SampleTrail()
        let chain = trail.digests(of: accountB, "us-east-1")
        try FileManager.default.removeItem(atPath: ObjectTree.sidecarPath(ofObjectAt: trail.path(chain[0].key)))
        let other = ObjectTree.sidecarPath(ofObjectAt: trail.path(chain[2].key))
        try Data(contentsOf: URL(fileURLWithPath: ObjectTree.sidecarPath(ofObjectAt: trail.path(chain[1].key))))
            .write(to: URL(fileURLWithPath: other))
        let result = trail.verify()
        #expect(result.problems(.digestSignatureMissing).map(\.key) == [chain[0].key])
        #expect(result.problems(.digestSignatureInvalid).map(\.key) == [chain[2].key])
    }

    @Test func aDigestSignedWithAnotherKey() throws {
        let trail = try SampleTrail()
        let stranger = try AuditSigningKey.generate(validityStart: t0)
        let result = AuditVerifier(root: trail.root.path, publicKey: stranger.publicKey).verify()
        #expect(result.problems.count == 9)
        #expect(result.kinds == [.digestUnknownKey])
    }

    @Test func aStrayFile() throws {
        let trail = try SampleTrail()
        try Data("hi".utf8).write(to: URL(fileURLWithPath: trail.path("AWSLogs/notes.txt")))
        let result = trail.verify()
        #expect(result.problems.map(\.kind) == [.unexpectedObject])
        #expect(result.problems.first?.key == "AWSLogs/notes.txt")
    }

    @Test func theCheckedRangeCanStartLater() throws {
        let trail = try SampleTrail()
        try FileManager.default.removeItem(atPath: trail.path(trail.digests(of: accountA, "us-east-1")[0].key))
        #expect(!trail.verify().isValid)
        // From 11:30 on, only the later digests are checked; the missing one ended before.
        #expect(AuditVerifier(root: trail.root.path, from: t0.addingTimeInterval(5400)).verify().problems == [])
    }
}
