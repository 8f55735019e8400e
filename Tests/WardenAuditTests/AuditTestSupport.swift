import Foundation
@testable import WardenAudit

/// A temporary audit root, removed when released.
final class TemporaryRoot {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "warden-audit-tests-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// One RSA key for the whole test run: generating 2048-bit keys is slow.
let testSigningKey: AuditSigningKey = {
    try! AuditSigningKey.generate(validityStart: Date(timeIntervalSince1970: 1_740_000_000))
}()

let t0 = AuditTime.parseISO8601("2025-03-01T10:00:00Z")!
let accountA = "111122223333"
let accountB = "444455556666"
let testBucket = "warden-audit-test"

/// A writer signing with the test key, which it keeps in the root so the verifier finds it.
func makeWriter(_ root: String, buckets: AuditBucketLayout = .shared(testBucket), trailName: String = "warden") throws
    -> AuditFileWriter
{
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    try testSigningKey.save(root: root)
    return try AuditFileWriter(root: root, buckets: buckets, trailName: trailName, signer: testSigningKey)
}

func record(_ account: String, _ region: String, at date: Date, _ name: String) -> AuditRecord {
    let time = AuditTime.iso8601(date)
    let json = #"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","accountId":"\#(account)"},"#
        + #""eventTime":"\#(time)","eventSource":"iam.amazonaws.com","eventName":"\#(name)","#
        + #""awsRegion":"\#(region)","sourceIPAddress":"192.0.2.1","userAgent":"aws-cli/2","#
        + #""requestParameters":null,"responseElements":null,"eventID":"\#(UUID().uuidString.lowercased())","#
        + #""readOnly":true,"eventType":"AwsApiCall","recipientAccountId":"\#(account)"}"#
    return AuditRecord(accountID: account, region: region, eventTime: date, json: json)
}

/// A small trail written over three hours: log files in two accounts and two regions, three rounds
/// of digests (the last one covering a quiet hour), and one log file delivered after the last digest.
struct SampleTrail {
    let root: TemporaryRoot
    let writer: AuditFileWriter
    var logs: [DeliveredLogFile] = []
    var digests: [DeliveredDigest] = []
    var pending: [DeliveredLogFile] = []

    init(buckets: AuditBucketLayout = .shared(testBucket), trailName: String = "warden") throws {
        root = try TemporaryRoot()
        writer = try makeWriter(root.path, buckets: buckets, trailName: trailName)
        logs += try writer.deliver([
            record(accountA, "us-east-1", at: t0.addingTimeInterval(60), "ListUsers"),
            record(accountA, "eu-west-1", at: t0.addingTimeInterval(70), "GetCallerIdentity"),
            record(accountB, "us-east-1", at: t0.addingTimeInterval(80), "CreateRole"),
            record(accountA, "us-east-1", at: t0.addingTimeInterval(90), "GetUser"),
        ], now: t0.addingTimeInterval(120))
        logs += try writer.deliver([record(accountA, "us-east-1", at: t0.addingTimeInterval(1150), "CreateUser")],
                                   now: t0.addingTimeInterval(1200))
        digests += try writer.writeDigests(now: t0.addingTimeInterval(3600))
        logs += try writer.deliver([record(accountA, "us-east-1", at: t0.addingTimeInterval(4150), "DeleteUser")],
                                   now: t0.addingTimeInterval(4200))
        digests += try writer.writeDigests(now: t0.addingTimeInterval(7200))
        digests += try writer.writeDigests(now: t0.addingTimeInterval(10800))
        pending = try writer.deliver([record(accountA, "us-east-1", at: t0.addingTimeInterval(11000), "ListRoles")],
                                     now: t0.addingTimeInterval(11100))
    }

    func path(_ key: String) -> String { root.path + "/" + key }

    func digests(of account: String, _ region: String) -> [DeliveredDigest] {
        digests.filter { $0.chain == AuditChainID(accountID: account, region: region) }
    }

    func verify() -> AuditVerification { AuditVerifier.verify(root: root.path) }
}

/// Reads a gzip file's uncompressed bytes.
func gunzip(_ path: String) throws -> Data {
    try Gzip.decompress(Data(contentsOf: URL(fileURLWithPath: path)))
}

/// Writes `data` gzip-compressed to `path`.
func gzip(_ data: Data, to path: String) throws {
    try Gzip.compress(data).write(to: URL(fileURLWithPath: path))
}

extension AuditVerification {
    var kinds: Set<AuditProblem.Kind> { Set(problems.map(\.kind)) }

    func problems(_ kind: AuditProblem.Kind) -> [AuditProblem] { problems.filter { $0.kind == kind } }
}
