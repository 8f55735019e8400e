import Crypto
import Foundation
import Testing
@testable import WardenAudit

@Suite struct AuditFormatTests {
    @Test func timestampsUseCloudTrailsFormats() {
        let date = AuditTime.parseISO8601("2015-08-17T15:01:31Z")!
        #expect(AuditTime.iso8601(date) == "2015-08-17T15:01:31Z")
        #expect(AuditTime.compactSeconds(date) == "20150817T150131Z")
        #expect(AuditTime.compactMinutes(date) == "20150817T1501Z")
        #expect(AuditTime.dayPath(date) == "2015/08/17")
        #expect(AuditTime.s3Timestamp(date.addingTimeInterval(0.25)) == "2015-08-17T15:01:31.250Z")
        #expect(AuditTime.parseCompact("20150817T150131Z", withSeconds: true) == date)
        #expect(AuditTime.parseISO8601("2015-02-30T00:00:00Z") == nil)
        #expect(AuditTime.iso8601(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
    }

    @Test func digestKeysAreWhatValidateLogsLooksFor() throws {
        let end = AuditTime.parseISO8601("2015-08-17T15:01:31Z")!
        let key = AuditKeyLayout.digestKey(accountID: "111122223333", region: "us-east-2", trailName: "your-trail-name",
                                           homeRegion: "us-east-2", endTime: end)
        // The example key of AWS's "CloudTrail digest file structure" page.
        #expect(key == "AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/"
            + "111122223333_CloudTrail-Digest_us-east-2_your-trail-name_us-east-2_20150817T150131Z.json.gz")
        // validate-logs: extract_digest_key_date(key) == key[-24:-8].
        let utf8 = Array(key.utf8)
        #expect(String(decoding: utf8[(utf8.count - 24)..<(utf8.count - 8)], as: UTF8.self) == "20150817T150131Z")
        #expect(key.hasPrefix(AuditKeyLayout.digestPrefix(accountID: "111122223333", region: "us-east-2")))
        guard case .digest(let parsed) = AuditKeyLayout.parse(key) else {
            Issue.record("digest key not parsed")
            return
        }
        #expect(parsed.trailName == "your-trail-name" && parsed.homeRegion == "us-east-2" && parsed.endTime == end)
        // Trail names may hold underscores; the home region never does.
        let odd = AuditKeyLayout.digestKey(accountID: "111122223333", region: "eu-west-1", trailName: "my_trail",
                                           homeRegion: "us-east-1", endTime: end)
        guard case .digest(let oddParsed) = AuditKeyLayout.parse(odd) else {
            Issue.record("digest key with underscore not parsed")
            return
        }
        #expect(oddParsed.trailName == "my_trail" && oddParsed.homeRegion == "us-east-1")
    }

    @Test func logFileKeysRoundTrip() {
        let at = AuditTime.parseISO8601("2025-03-01T10:02:45Z")!
        let key = AuditKeyLayout.logFileKey(accountID: accountA, region: "eu-west-1", deliveredAt: at, unique: "AbCdEfGh12345678")
        #expect(key == "AWSLogs/111122223333/CloudTrail/eu-west-1/2025/03/01/"
            + "111122223333_CloudTrail_eu-west-1_20250301T1002Z_AbCdEfGh12345678.json.gz")
        guard case .logFile(let parsed) = AuditKeyLayout.parse(key) else {
            Issue.record("log key not parsed")
            return
        }
        #expect(parsed.chain == AuditChainID(accountID: accountA, region: "eu-west-1"))
        #expect(parsed.deliveredAt == AuditTime.parseISO8601("2025-03-01T10:02:00Z"))
        #expect(AuditKeyLayout.parse("AWSLogs/111122223333/CloudTrail/eu-west-1/2025/03/02/"
            + "111122223333_CloudTrail_eu-west-1_20250301T1002Z_x.json.gz") == nil)  // folder and name disagree
        #expect(AuditKeyLayout.parse("AWSLogs/../CloudTrail/x") == nil)
    }

    @Test func gzipRoundTripsAndRejectsGarbage() throws {
        let text = Data(String(repeating: "CloudTrail ", count: 10_000).utf8)
        let compressed = try Gzip.compress(text)
        #expect(compressed.count < text.count / 10)
        #expect(compressed.prefix(2) == Data([0x1f, 0x8b]))
        #expect(try Gzip.decompress(compressed) == text)
        #expect(throws: AuditError.self) { try Gzip.decompress(Data("not gzip".utf8)) }
        #expect(throws: AuditError.self) { try Gzip.decompress(compressed.prefix(compressed.count - 10)) }
        #expect(throws: AuditError.self) { try Gzip.decompress(compressed, limit: 1000) }
    }

    @Test func digestJSONHasEveryDocumentedFieldInOrder() throws {
        let document = DigestDocument(
            accountID: accountA, startTime: "2025-03-01T10:00:00Z", endTime: "2025-03-01T11:00:00Z", bucket: testBucket,
            key: "k", publicKeyFingerprint: "ff", newestEventTime: nil, oldestEventTime: nil, previous: nil,
            previousSignature: nil, logFiles: [])
        let text = String(decoding: document.json(), as: UTF8.self)
        #expect(text == #"{"awsAccountId":"111122223333","digestStartTime":"2025-03-01T10:00:00Z","#
            + #""digestEndTime":"2025-03-01T11:00:00Z","digestS3Bucket":"warden-audit-test","digestS3Object":"k","#
            + #""digestPublicKeyFingerprint":"ff","digestSignatureAlgorithm":"SHA256withRSA","newestEventTime":null,"#
            + #""oldestEventTime":null,"previousDigestS3Bucket":null,"previousDigestS3Object":null,"#
            + #""previousDigestHashValue":null,"previousDigestHashAlgorithm":null,"previousDigestSignature":null,"#
            + #""logFiles":[]}"#)
        #expect(try DigestDocument(json: document.json()) == document)
    }

    @Test func stringToSignMatchesTheValidator() {
        // Sha256RSADigestValidator._create_string_to_sign, with a first digest's null previous signature.
        let body = Data("{}".utf8)
        let toSign = DigestDocument.stringToSign(endTime: "2025-03-01T11:00:00Z", bucket: "b", key: "k/d.json.gz",
                                                 uncompressedDigest: body, previousSignature: nil)
        let hash = Hex.encode(SHA256.hash(data: body))
        #expect(String(decoding: toSign, as: UTF8.self) == "2025-03-01T11:00:00Z\nb/k/d.json.gz\n\(hash)\nnull")
    }

    @Test func publicKeyFormsAreWhatListPublicKeysReturns() throws {
        let key = testSigningKey
        // PKCS #1 RSAPublicKey: SEQUENCE { INTEGER n, INTEGER e } starting 30 82 01 0a 02 82 01 01 00.
        #expect(key.publicKeyDER.prefix(9) == Data([0x30, 0x82, 0x01, 0x0a, 0x02, 0x82, 0x01, 0x01, 0x00]))
        #expect(key.fingerprint == Hex.encode(Insecure.MD5.hash(data: key.publicKeyDER)))
        #expect(key.fingerprint.count == 32)
        // ListPublicKeys' Value blob is the DER; on the JSON wire, base64 once, as AWS shows it.
        #expect(key.publicKey.listPublicKeysValue == key.publicKeyDER)
        #expect(key.publicKey.listPublicKeysValue.base64EncodedString().hasPrefix("MIIBCgKCAQEA"))
        let signature = try key.sign(Data("hello".utf8))
        #expect(signature.count == 256)
        #expect(key.publicKey.isValidSignature(signature, for: Data("hello".utf8)))
        #expect(!key.publicKey.isValidSignature(signature, for: Data("hellO".utf8)))
        #expect(!key.description.contains("PRIVATE"))
    }

    @Test func signingKeyIsCreatedOnceWithPrivateMode() throws {
        let root = try TemporaryRoot()
        let created = try AuditSigningKey.loadOrCreate(root: root.path, now: t0)
        let loaded = try AuditSigningKey.loadOrCreate(root: root.path, now: t0.addingTimeInterval(999))
        #expect(created.fingerprint == loaded.fingerprint)
        #expect(loaded.validityStart == t0)
        let attributes = try FileManager.default.attributesOfItem(atPath: root.path + "/.warden-audit/signing-key.pem")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func namesThatCouldEscapeTheTreeAreRefused() throws {
        let root = try TemporaryRoot()
        let writer = try AuditFileWriter(root: root.path, bucket: testBucket, trailName: "warden", signer: testSigningKey)
        for (account, region) in [("../../../etc", "us-east-1"), ("111122223333", "../x"), ("11112222333", "us-east-1"),
                                  ("111122223333", "US-EAST-1"), ("111122223333", "")] {
            #expect(throws: AuditError.self) {
                _ = try writer.deliver([AuditRecord(accountID: account, region: region, eventTime: t0, json: "{}")], now: t0)
            }
        }
        #expect(throws: AuditError.self) {
            _ = try AuditFileWriter(root: root.path + "/x", bucket: "Bad_Bucket", trailName: "warden", signer: testSigningKey)
        }
        #expect(throws: AuditError.self) {
            _ = try AuditFileWriter(root: root.path + "/y", bucket: testBucket, trailName: "a/b", signer: testSigningKey)
        }
    }
}
