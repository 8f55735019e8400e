import Foundation
import Testing
@testable import WardenAudit

/// Writes audit trees, intact and tampered, with the exact S3 and CloudTrail responses the server will
/// give `aws cloudtrail validate-logs` for them (rendered by this library), so that
/// `tests/audit/validate_with_awscli.py` can run the real validator over them.
///
/// Set `WARDEN_AUDIT_FIXTURES` to a directory to keep them; otherwise they are written to a temporary
/// directory and removed (the Swift side of the check still runs).
@Suite struct AWSCLIFixtureTests {
    struct Scenario: Sendable {
        var name: String
        /// Changes the copied tree; returns the messages validate-logs must print per (account, region).
        var tamper: @Sendable (_ trail: SampleTrail, _ root: String) throws -> [String: [String]]
        var verifierFinds: Set<AuditProblem.Kind>
    }

    static let startTime = t0.addingTimeInterval(-3600)
    static let endTime = t0.addingTimeInterval(4 * 3600)

    static func message(_ what: String, _ key: String, _ verdict: String) -> String {
        "\(what)\ts3://\(testBucket)/\(key)\tINVALID: \(verdict)"
    }

    static let scenarios: [Scenario] = [
        Scenario(name: "intact", tamper: { _, _ in [:] }, verifierFinds: []),
        Scenario(name: "log-modified", tamper: { trail, root in
            let log = trail.logs[0]
            let text = String(decoding: try gunzip(root + "/" + log.key), as: UTF8.self)
            try gzip(Data(text.replacingOccurrences(of: "ListUsers", with: "ListRoles").utf8), to: root + "/" + log.key)
            return ["\(accountA)/us-east-1": [message("Log file", log.key, "hash value doesn't match")]]
        }, verifierFinds: [.logHashMismatch]),
        Scenario(name: "log-deleted", tamper: { trail, root in
            let log = trail.logs[2]
            try FileManager.default.removeItem(atPath: root + "/" + log.key)
            return ["\(accountB)/us-east-1": [message("Log file", log.key, "not found")]]
        }, verifierFinds: [.logMissing]),
        Scenario(name: "log-renamed", tamper: { trail, root in
            let log = trail.logs[1]
            try FileManager.default.moveItem(atPath: root + "/" + log.key,
                                             toPath: root + "/" + log.key.replacingOccurrences(of: ".json.gz", with: "x.json.gz"))
            return ["\(accountA)/eu-west-1": [message("Log file", log.key, "not found")]]
        }, verifierFinds: [.logMissing, .logNotInDigest]),
        Scenario(name: "digest-modified", tamper: { trail, root in
            let digest = trail.digests(of: accountA, "us-east-1")[1]
            let text = String(decoding: try gunzip(root + "/" + digest.key), as: UTF8.self)
            try gzip(Data(text.replacingOccurrences(of: trail.logs[4].key, with: trail.logs[3].key).utf8),
                     to: root + "/" + digest.key)
            return ["\(accountA)/us-east-1": [message("Digest file", digest.key, "signature verification failed")]]
        }, verifierFinds: [.digestSignatureInvalid, .digestChainBroken, .logNotInDigest]),
        Scenario(name: "digest-deleted", tamper: { trail, root in
            let digest = trail.digests(of: accountA, "us-east-1")[1]
            try FileManager.default.removeItem(atPath: root + "/" + digest.key)
            return ["\(accountA)/us-east-1": [message("Digest file", digest.key, "not found")]]
        }, verifierFinds: [.digestMissing, .logNotInDigest]),
    ]

    @Test func writeFixturesForTheAWSCLIValidator() throws {
        let keep = ProcessInfo.processInfo.environment["WARDEN_AUDIT_FIXTURES"]
        let scratch = try TemporaryRoot()
        let output = keep ?? scratch.path
        let trail = try SampleTrail()
        for scenario in Self.scenarios {
            let directory = output + "/" + scenario.name
            let root = directory + "/root"
            try? FileManager.default.removeItem(atPath: directory)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: trail.root.path, toPath: root)
            try? FileManager.default.removeItem(atPath: root + "/.warden-audit/lock")
            let expectedErrors = try scenario.tamper(trail, root)

            let verification = AuditVerifier(root: root).verify()
            #expect(verification.kinds == scenario.verifierFinds, "scenario \(scenario.name): \(verification.problems)")
            try writeResponses(root: root, directory: directory, trail: trail, expectedErrors: expectedErrors)
        }
    }

    private func writeResponses(root: String, directory: String, trail: SampleTrail, expectedErrors: [String: [String]]) throws {
        let view = S3ObjectView(root: root, bucket: testBucket)
        var listings: [String: String] = [:]
        var runs: [[String: Any]] = []
        let chains = [(accountA, "us-east-1"), (accountA, "eu-west-1"), (accountB, "us-east-1")]
        for (index, (account, region)) in chains.enumerated() {
            // Exactly the ListObjects call validate-logs makes for --start-time.
            let prefix = AuditKeyLayout.digestPrefix(accountID: account, region: region)
            let marker = AuditKeyLayout.validateLogsMarker(accountID: account, region: region, trailName: "warden",
                                                           homeRegion: "us-east-1", startTime: Self.startTime)
            let page = try view.listObjects(bucket: testBucket, prefix: prefix, marker: marker, encodingType: "url")
            let file = "listings/\(index).xml"
            try write(S3XML.listBucketResult(page), to: directory + "/" + file)
            listings[prefix + "\n" + marker] = file
            let errors = expectedErrors["\(account)/\(region)"] ?? []
            let digests = trail.digests(of: account, region).count
            let logs = trail.digests(of: account, region).reduce(0) { $0 + $1.logFileCount }
            runs.append([
                "account": account, "region": region, "trailArn": "arn:aws:cloudtrail:us-east-1:\(account):trail/warden",
                "expectExit": errors.isEmpty ? 0 : 1, "expectStderr": errors,
                "expectStdout": errors.isEmpty ? ["\(digests)/\(digests) digest files valid", "\(logs)/\(logs) log files valid"] : [],
            ])
        }
        var objects: [String: Any] = [:]
        for object in try view.listObjects(bucket: testBucket).objects {
            let head = try view.headObject(bucket: testBucket, key: object.key)
            var entry: [String: Any] = ["contentType": head.contentType, "metadata": head.metadata, "etag": head.summary.etag]
            entry["contentEncoding"] = head.contentEncoding
            objects[object.key] = entry
        }
        try write(S3XML.error(S3ViewError(.noSuchKey, resource: "@KEY@"), requestID: "fixture"), to: directory + "/errors/NoSuchKey.xml")
        try write(S3XML.locationConstraint(try view.bucketLocation(bucket: testBucket)), to: directory + "/location.xml")

        // CloudTrail's JSON 1.1 wire bodies, as a generic encoder renders them: blobs base64-encoded
        // once, timestamps as epoch seconds.
        let key = trail.writer.signer.publicKey
        let publicKeys: [String: Any] = ["PublicKeyList": [[
            "Value": key.listPublicKeysValue.base64EncodedString(),
            "ValidityStartTime": key.validityStart.timeIntervalSince1970,
            "Fingerprint": key.fingerprint,
        ]]]
        try write(json(publicKeys), to: directory + "/cloudtrail/list-public-keys.json")
        let trails: [String: Any] = ["trailList": [accountA, accountB].map { account in [
            "Name": "warden", "S3BucketName": testBucket, "TrailARN": "arn:aws:cloudtrail:us-east-1:\(account):trail/warden",
            "HomeRegion": "us-east-1", "IsMultiRegionTrail": true, "IsOrganizationTrail": false,
            "LogFileValidationEnabled": true, "IncludeGlobalServiceEvents": true,
        ] as [String: Any] }]
        try write(json(trails), to: directory + "/cloudtrail/describe-trails.json")

        let manifest: [String: Any] = [
            "bucket": testBucket, "root": "root", "startTime": AuditTime.iso8601(Self.startTime),
            "endTime": AuditTime.iso8601(Self.endTime), "runs": runs, "listings": listings, "objects": objects,
            "noSuchKey": "errors/NoSuchKey.xml", "location": "location.xml",
            "listPublicKeys": "cloudtrail/list-public-keys.json", "describeTrails": "cloudtrail/describe-trails.json",
        ]
        try write(json(manifest), to: directory + "/manifest.json")
    }

    private func json(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self)
    }

    private func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}
