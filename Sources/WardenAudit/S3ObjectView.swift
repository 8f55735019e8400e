import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only S3 bucket API over the audit root: ListObjects (V1 and V2), GetObject, HeadObject and
/// GetBucketLocation, as `aws cloudtrail validate-logs` and `aws s3` use them. The server adds HTTP
/// and authorization; this type decides what exists and what it holds.
///
/// Only keys of the bucket's scope are visible, never hidden files (signing key, writer state,
/// signature sidecars, temporary files), and no symbolic link is followed, so no key reaches outside
/// the root. A key with `..`, `.` or a leading `/` is refused with `AccessDenied`.
public struct S3ObjectView: Sendable {
    /// The audit root.
    public let root: String
    /// Which bucket names exist and which keys each shows.
    public let buckets: AuditBucketLayout
    /// The region `GetBucketLocation` reports (`us-east-1` is reported as an empty constraint).
    public let region: String

    /// A view of `root`.
    public init(root: String, buckets: AuditBucketLayout, region: String = "us-east-1") {
        self.root = root
        self.buckets = buckets
        self.region = region
    }

    /// A view of `root` as one bucket.
    public init(root: String, bucket: String, region: String = "us-east-1") {
        self.init(root: root, buckets: .shared(bucket), region: region)
    }

    /// GetBucketLocation: the `LocationConstraint`, nil for `us-east-1` (S3 sends an empty element).
    public func bucketLocation(bucket: String) throws(S3ViewError) -> String? {
        _ = try scope(of: bucket)
        return region == "us-east-1" ? nil : region
    }

    /// ListObjects (V1): keys after `marker`.
    public func listObjects(bucket: String, prefix: String = "", marker: String? = nil, delimiter: String? = nil,
                            maxKeys: Int = 1000, encodingType: String? = nil) throws(S3ViewError) -> S3ListPage {
        let query = S3ListQuery(version: .v1, prefix: prefix, delimiter: delimiter, maxKeys: try clamp(maxKeys),
                                marker: marker, encodingType: encodingType)
        return try list(bucket: bucket, query: query, after: marker)
    }

    /// ListObjectsV2: keys after the continuation token if given, else after `startAfter`.
    public func listObjectsV2(bucket: String, prefix: String = "", startAfter: String? = nil,
                              continuationToken: String? = nil, delimiter: String? = nil, maxKeys: Int = 1000,
                              encodingType: String? = nil) throws(S3ViewError) -> S3ListPage {
        let query = S3ListQuery(version: .v2, prefix: prefix, delimiter: delimiter, maxKeys: try clamp(maxKeys),
                                startAfter: startAfter, continuationToken: continuationToken,
                                encodingType: encodingType)
        var after = startAfter
        if let continuationToken {
            guard let decoded = S3ContinuationToken.decode(continuationToken) else {
                throw S3ViewError(.invalidArgument, message: "The continuation token provided is incorrect",
                                  resource: "continuation-token", argumentValue: continuationToken)
            }
            after = decoded
        }
        return try list(bucket: bucket, query: query, after: after)
    }

    /// HeadObject: the object's headers without its bytes.
    public func headObject(bucket: String, key: String) throws(S3ViewError) -> S3ObjectContent {
        try read(bucket: bucket, key: key, body: false)
    }

    /// GetObject: the object's bytes and headers.
    public func getObject(bucket: String, key: String) throws(S3ViewError) -> S3ObjectContent {
        try read(bucket: bucket, key: key, body: true)
    }

    // MARK: - Internals

    /// The key prefix the bucket shows; `NoSuchBucket` when the layout has no such bucket (or, per
    /// account, when that account has no files yet).
    private func scope(of bucket: String) throws(S3ViewError) -> String {
        guard let scope = buckets.keyPrefix(ofBucket: bucket),
              scope.isEmpty || FileIO.info(root + "/" + scope)?.kind == .directory else {
            throw S3ViewError(.noSuchBucket, resource: bucket)
        }
        return scope
    }

    private func clamp(_ maxKeys: Int) throws(S3ViewError) -> Int {
        guard maxKeys >= 0 else {
            throw S3ViewError(.invalidArgument, message: "Provided max-keys not an integer or within integer range",
                              resource: "max-keys", argumentValue: String(maxKeys))
        }
        return min(maxKeys, 1000)
    }

    private func list(bucket: String, query: S3ListQuery, after: String?) throws(S3ViewError) -> S3ListPage {
        let scope = try scope(of: bucket)
        var page = S3ListPage(bucket: bucket, query: query, objects: [], commonPrefixes: [], isTruncated: false)
        guard query.maxKeys > 0 else { return page }
        let prefix = query.prefix
        // Walk the narrower of the two prefixes; keys must match both.
        guard KeyOrder.hasPrefix(prefix, scope) || KeyOrder.hasPrefix(scope, prefix) else { return page }
        let walkPrefix = prefix.utf8.count >= scope.utf8.count ? prefix : scope
        let delimiter = query.delimiter.flatMap { $0.isEmpty ? nil : $0 }
        var last: String?
        do {
            try ObjectTree(root: root).walk(prefix: walkPrefix, after: after) { entry in
                if let delimiter, let range = entry.key.utf8.dropFirst(prefix.utf8.count).firstRange(of: delimiter.utf8) {
                    let common = String(decoding: entry.key.utf8[..<range.upperBound], as: UTF8.self)
                    if common == page.commonPrefixes.last { return true }
                    // A common prefix at or before the marker was returned on an earlier page.
                    if let after, !KeyOrder.less(after, common) { return true }
                    if page.keyCount == query.maxKeys {
                        page.isTruncated = true
                        return false
                    }
                    page.commonPrefixes.append(common)
                    last = common
                    return true
                }
                if page.keyCount == query.maxKeys {
                    page.isTruncated = true
                    return false
                }
                page.objects.append(try summary(key: entry.key, path: entry.path))
                last = entry.key
                return true
            }
        } catch let error as S3ViewError {
            throw error
        } catch {
            throw S3ViewError(.internalError)
        }
        if page.isTruncated, let last {
            switch query.version {
            case .v1: page.nextMarker = delimiter == nil ? nil : last
            case .v2: page.nextContinuationToken = S3ContinuationToken.encode(last)
            }
        }
        return page
    }

    private func summary(key: String, path: String) throws -> S3ObjectSummary {
        // Read through the same no-symlink opening as GetObject, so a listing never shows what a GET
        // would refuse.
        guard let opened = ObjectTree(root: root).open(key: key) else { throw S3ViewError(.noSuchKey, resource: key) }
        defer { close(opened.fd) }
        var md5 = Insecure.MD5()
        try FileIO.forEachChunk(opened.fd, path: key) { md5.update(bufferPointer: $0) }
        return S3ObjectSummary(key: key, size: opened.info.size, lastModified: opened.info.modified,
                               etag: "\"" + Hex.encode(md5.finalize()) + "\"")
    }

    private func read(bucket: String, key: String, body: Bool) throws(S3ViewError) -> S3ObjectContent {
        if ObjectTree.isTraversal(key) { throw S3ViewError(.accessDenied, resource: key) }
        let scope = try scope(of: bucket)
        let tree = ObjectTree(root: root)
        guard KeyOrder.hasPrefix(key, scope), let opened = tree.open(key: key) else {
            throw S3ViewError(.noSuchKey, resource: key)
        }
        let data: Data
        do {
            defer { close(opened.fd) }
            data = try FileIO.readAll(opened.fd, path: key)
        } catch {
            throw S3ViewError(.internalError)
        }
        let info = opened.info
        let path = tree.path(of: key)
        let sidecar = (try? FileIO.contents(ObjectTree.sidecarPath(ofObjectAt: path))).flatMap { $0 }.flatMap(ObjectSidecar.decode)
        let gzip = key.hasSuffix(".gz")
        return S3ObjectContent(
            summary: S3ObjectSummary(key: key, size: info.size, lastModified: info.modified,
                                     etag: "\"" + Hex.encode(Insecure.MD5.hash(data: data)) + "\""),
            contentType: key.hasSuffix(".json.gz") || key.hasSuffix(".json") ? "application/json" : "application/octet-stream",
            contentEncoding: gzip ? "gzip" : nil,
            metadata: sidecar?.metadata ?? [:],
            body: body ? data : Data())
    }
}

/// V2 continuation tokens: the last key or common prefix of the page, base64-encoded so that clients
/// treat it as opaque.
enum S3ContinuationToken {
    static func encode(_ last: String) -> String {
        Data(last.utf8).base64EncodedString()
    }

    static func decode(_ token: String) -> String? {
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8),
              !text.isEmpty else { return nil }
        return text
    }
}
