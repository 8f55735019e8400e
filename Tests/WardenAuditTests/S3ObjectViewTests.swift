import Crypto
import Foundation
import Testing
@testable import WardenAudit

@Suite struct S3ObjectViewTests {
    @Test func listsEveryObjectInKeyOrderAndNothingHidden() throws {
        let trail = try SampleTrail()
        let view = S3ObjectView(root: trail.root.path, bucket: testBucket)
        let page = try view.listObjects(bucket: testBucket)
        let keys = page.objects.map(\.key)
        #expect(keys.count == trail.logs.count + trail.pending.count + trail.digests.count)
        #expect(keys == keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(!keys.contains { $0.contains("/.") || $0.hasPrefix(".") })
        #expect(!page.isTruncated)
        let digest = trail.digests[0]
        let listed = try #require(page.objects.first { $0.key == digest.key })
        let bytes = try Data(contentsOf: URL(fileURLWithPath: trail.path(digest.key)))
        #expect(listed.size == bytes.count)
        #expect(listed.etag == "\"" + Hex.encode(Insecure.MD5.hash(data: bytes)) + "\"")
    }

    @Test func listsWhatValidateLogsAsksFor() throws {
        let trail = try SampleTrail()
        let view = S3ObjectView(root: trail.root.path, bucket: testBucket)
        // --start-time 11:30: Marker = the key of a digest ending at 11:29, Prefix = the chain's folder.
        let marker = AuditKeyLayout.validateLogsMarker(accountID: accountA, region: "us-east-1", trailName: "warden",
                                                       homeRegion: "us-east-1", startTime: t0.addingTimeInterval(5400))
        let page = try view.listObjects(bucket: testBucket, prefix: AuditKeyLayout.digestPrefix(accountID: accountA, region: "us-east-1"),
                                        marker: marker, encodingType: "url")
        #expect(page.objects.map(\.key) == trail.digests(of: accountA, "us-east-1").dropFirst().map(\.key))
    }

    @Test func pagesWithMarkersContinuationTokensAndDelimiters() throws {
        let trail = try SampleTrail()
        let view = S3ObjectView(root: trail.root.path, bucket: testBucket)
        let all = try view.listObjects(bucket: testBucket).objects.map(\.key)
        // V1, two at a time, continuing from the last key as botocore's paginator does.
        var keys: [String] = []
        var marker: String?
        repeat {
            let page = try view.listObjects(bucket: testBucket, marker: marker, maxKeys: 2)
            keys += page.objects.map(\.key)
            marker = page.isTruncated ? (page.nextMarker ?? page.objects.last?.key) : nil
        } while marker != nil
        #expect(keys == all)
        // V2 with continuation tokens.
        keys = []
        var token: String?
        repeat {
            let page = try view.listObjectsV2(bucket: testBucket, continuationToken: token, maxKeys: 4)
            #expect(page.keyCount <= 4)
            keys += page.objects.map(\.key)
            token = page.nextContinuationToken
        } while token != nil
        #expect(keys == all)
        // Delimiter: the accounts as common prefixes, paged one at a time with NextMarker.
        let first = try view.listObjects(bucket: testBucket, prefix: "AWSLogs/", delimiter: "/", maxKeys: 1)
        #expect(first.commonPrefixes == ["AWSLogs/111122223333/"] && first.isTruncated)
        #expect(first.nextMarker == "AWSLogs/111122223333/")
        let second = try view.listObjects(bucket: testBucket, prefix: "AWSLogs/", marker: first.nextMarker, delimiter: "/")
        #expect(second.commonPrefixes == ["AWSLogs/444455556666/"] && !second.isTruncated)
        let startAfter = try view.listObjectsV2(bucket: testBucket, startAfter: all[3])
        #expect(startAfter.objects.map(\.key) == Array(all.dropFirst(4)))
        #expect(try view.listObjects(bucket: testBucket, maxKeys: 0).objects.isEmpty)
        #expect(throws: S3ViewError.self) { try view.listObjectsV2(bucket: testBucket, continuationToken: "%%%") }
        #expect(throws: S3ViewError.self) { try view.listObjects(bucket: testBucket, maxKeys: -1) }
    }

    @Test func getsObjectsWithTheirSignatureMetadata() throws {
        let trail = try SampleTrail()
        let view = S3ObjectView(root: trail.root.path, bucket: testBucket)
        let digest = trail.digests[4]
        let object = try view.getObject(bucket: testBucket, key: digest.key)
        #expect(object.metadata == ["signature": digest.signature, "signature-algorithm": "SHA256withRSA"])
        #expect(object.body == (try Data(contentsOf: URL(fileURLWithPath: trail.path(digest.key)))))
        #expect(object.summary.etag == "\"" + Hex.encode(Insecure.MD5.hash(data: object.body)) + "\"")
        #expect(object.contentType == "application/json" && object.contentEncoding == "gzip")
        let head = try view.headObject(bucket: testBucket, key: digest.key)
        #expect(head.body.isEmpty && head.metadata == object.metadata && head.summary == object.summary)
        let log = try view.getObject(bucket: testBucket, key: trail.logs[0].key)
        #expect(log.metadata.isEmpty)
        #expect(try Gzip.decompress(log.body).count > 0)
    }

    @Test func refusesWhatIsNotAnObject() throws {
        let trail = try SampleTrail()
        let view = S3ObjectView(root: trail.root.path, bucket: testBucket)
        func code(_ key: String, bucket: String = testBucket) -> S3ViewError.Code? {
            do {
                _ = try view.getObject(bucket: bucket, key: key)
                return nil
            } catch { return error.code }
        }
        #expect(code("AWSLogs/nope") == .noSuchKey)
        #expect(code("AWSLogs") == .noSuchKey)  // a folder
        #expect(code(".warden-audit/signing-key.pem") == .noSuchKey)
        #expect(code(".warden-audit/state.json") == .noSuchKey)
        let sidecar = ObjectTree.sidecarPath(ofObjectAt: trail.digests[0].key)
        #expect(code(sidecar) == .noSuchKey)
        #expect(code("../../etc/passwd") == .accessDenied)
        #expect(code("AWSLogs/../.warden-audit/signing-key.pem") == .accessDenied)
        #expect(code("/etc/passwd") == .accessDenied)
        #expect(code("AWSLogs/./x") == .accessDenied)
        #expect(code(trail.logs[0].key, bucket: "other-bucket") == .noSuchBucket)
        #expect(throws: S3ViewError.self) { try view.listObjects(bucket: "other-bucket") }
    }

    @Test func neverFollowsSymbolicLinks() throws {
        let trail = try SampleTrail()
        let outside = try TemporaryRoot()
        try Data("secret".utf8).write(to: URL(fileURLWithPath: outside.path + "/secret.txt"))
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: trail.path("AWSLogs/link.txt"), withDestinationPath: outside.path + "/secret.txt")
        try fm.createSymbolicLink(atPath: trail.path("AWSLogs/dir"), withDestinationPath: outside.path)
        try fm.createSymbolicLink(atPath: trail.path("AWSLogs/key.pem"),
                                  withDestinationPath: trail.path(".warden-audit/signing-key.pem"))
        let view = S3ObjectView(root: trail.root.path, bucket: testBucket)
        for key in ["AWSLogs/link.txt", "AWSLogs/dir/secret.txt", "AWSLogs/key.pem"] {
            #expect(throws: S3ViewError.self) { try view.getObject(bucket: testBucket, key: key) }
        }
        let keys = try view.listObjects(bucket: testBucket).objects.map(\.key)
        #expect(!keys.contains { $0.contains("link") || $0.contains("dir/") || $0.contains("key.pem") })
    }

    @Test func perAccountBucketsShowOnlyTheirAccount() throws {
        let trail = try SampleTrail(buckets: .perAccount(prefix: "warden-audit-"))
        let view = S3ObjectView(root: trail.root.path, buckets: .perAccount(prefix: "warden-audit-"))
        let keys = try view.listObjects(bucket: "warden-audit-444455556666").objects.map(\.key)
        #expect(!keys.isEmpty && keys.allSatisfy { $0.hasPrefix("AWSLogs/444455556666/") })
        #expect(try view.listObjects(bucket: "warden-audit-444455556666", prefix: "AWSLogs/111122223333/").objects.isEmpty)
        #expect(throws: S3ViewError.self) { try view.getObject(bucket: "warden-audit-444455556666", key: trail.logs[0].key) }
        #expect(throws: S3ViewError.self) { try view.listObjects(bucket: "warden-audit-999999999999") }
        #expect(try view.bucketLocation(bucket: "warden-audit-111122223333") == nil)
    }

    @Test func rendersS3sXML() throws {
        let summary = S3ObjectSummary(key: "AWSLogs/a b+c&d.json.gz", size: 42, lastModified: t0, etag: "\"abc\"")
        var page = S3ListPage(bucket: "b", query: S3ListQuery(version: .v1, prefix: "AWSLogs/", delimiter: nil, maxKeys: 1,
                                                              marker: "m", encodingType: "url"),
                              objects: [summary], commonPrefixes: [], isTruncated: true)
        let v1 = S3XML.listBucketResult(page)
        #expect(v1 == #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
            + #"<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>AWSLogs/</Prefix>"#
            + #"<Marker>m</Marker><MaxKeys>1</MaxKeys><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>"#
            + #"<Contents><Key>AWSLogs/a%20b%2Bc%26d.json.gz</Key><LastModified>2025-03-01T10:00:00.000Z</LastModified>"#
            + #"<ETag>&quot;abc&quot;</ETag><Size>42</Size><StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>"#)
        page.query.version = .v2
        page.query.encodingType = nil
        page.nextContinuationToken = "dG9rZW4="
        let v2 = S3XML.listBucketResult(page)
        #expect(v2.contains("<NextContinuationToken>dG9rZW4=</NextContinuationToken><KeyCount>1</KeyCount>"))
        #expect(v2.contains("<Key>AWSLogs/a b+c&amp;d.json.gz</Key>"))
        #expect(S3XML.locationConstraint(nil).hasSuffix(#"<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>"#))
        #expect(S3XML.locationConstraint("eu-west-1").hasSuffix(">eu-west-1</LocationConstraint>"))
        #expect(S3XML.error(S3ViewError(.noSuchKey, resource: "k<"), requestID: "R") == #"<?xml version="1.0" encoding="UTF-8"?>"#
            + "\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>k&lt;</Key>"
            + "<RequestId>R</RequestId><HostId></HostId></Error>")
        #expect(S3ViewError(.noSuchBucket).httpStatus == 404 && S3ViewError(.accessDenied).httpStatus == 403)
    }
}
