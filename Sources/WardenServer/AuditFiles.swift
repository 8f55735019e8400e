import Foundation
import Logging
import Synchronization
import WardenAudit
import WardenService
import WardenStore
import WardenWire

/// The trail's files in `DATA_DIR/audit`: the log files and signed digests that WardenAudit writes, served to
/// the CloudTrail operations (ListPublicKeys, GetTrailStatus) and to the read-only S3 view.
final class AuditFiles: AuditArchive {
    /// Bucket `warden-audit-ACCOUNT` holds the files of that account only.
    static let buckets = AuditBucketLayout.perAccount(prefix: "warden-audit-")
    let root: String
    let writer: AuditFileWriter
    let view: S3ObjectView
    private let status = Mutex<[String: (logs: Date?, digests: Date?)]>([:])

    var trailName: String { WardenService.trailName }

    init(dataDir: String, now: Date, logger: Logger) throws {
        root = dataDir + "/audit"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let signer = try AuditSigningKey.loadOrCreate(root: root, now: now)
        writer = try AuditFileWriter(root: root, buckets: Self.buckets, trailName: WardenService.trailName, signer: signer, logger: logger)
        view = S3ObjectView(root: root, buckets: Self.buckets)
    }

    func bucket(forAccount account: String) -> String { Self.buckets.bucket(forAccount: account) }

    func publicKeys(from start: Date?, to end: Date?) -> [AuditArchivePublicKey] {
        let key = writer.signer.publicKey
        // One key for the life of the data directory; AWS reports a validity window, so the key is valid until a
        // year past now and listed for any range that ends after it became valid.
        let validityEnd = Date().addingTimeInterval(365 * 86_400)
        if let end, end < key.validityStart { return [] }
        if let start, start > validityEnd { return [] }
        return [AuditArchivePublicKey(der: Array(key.pkcs1DER), fingerprint: key.fingerprint,
                                      validityStart: key.validityStart, validityEnd: validityEnd)]
    }

    func deliveryStatus(account: String) -> (logs: Date?, digests: Date?) {
        status.withLock { $0[account] ?? (logs: nil, digests: nil) }
    }

    func noteDelivered(logs: [DeliveredLogFile], digests: [DeliveredDigest], at now: Date) {
        status.withLock { s in
            for l in logs { s[l.chain.accountID, default: (nil, nil)].logs = now }
            for d in digests { s[d.chain.accountID, default: (nil, nil)].digests = now }
        }
    }

    func s3(_ operation: String, bucket: String, key: String?, query: QueryParameters, requestID: String) -> WireResponse {
        do throws(S3ViewError) {
            switch operation {
            case "GetBucketLocation":
                return xml(S3XML.locationConstraint(try view.bucketLocation(bucket: bucket)), requestID)
            case "HeadBucket":
                _ = try view.bucketLocation(bucket: bucket)
                return WireResponse(status: 200, headers: ["x-amz-bucket-region": view.region], body: [])
            case "ListObjects":
                let page = try view.listObjects(bucket: bucket, prefix: query["prefix"] ?? "", marker: query["marker"],
                                                delimiter: query["delimiter"], maxKeys: Int(query["max-keys"] ?? "") ?? 1000,
                                                encodingType: query["encoding-type"])
                return xml(S3XML.listBucketResult(page), requestID)
            case "ListObjectsV2":
                let page = try view.listObjectsV2(bucket: bucket, prefix: query["prefix"] ?? "", startAfter: query["start-after"],
                                                  continuationToken: query["continuation-token"], delimiter: query["delimiter"],
                                                  maxKeys: Int(query["max-keys"] ?? "") ?? 1000, encodingType: query["encoding-type"])
                return xml(S3XML.listBucketResult(page), requestID)
            case "GetObject", "HeadObject":
                let object = operation == "GetObject" ? try view.getObject(bucket: bucket, key: key ?? "")
                    : try view.headObject(bucket: bucket, key: key ?? "")
                var headers = ["Content-Type": object.contentType, "ETag": object.summary.etag,
                               "Last-Modified": Self.httpDate(object.summary.lastModified),
                               "Content-Length": String(object.summary.size)]
                if let e = object.contentEncoding { headers["Content-Encoding"] = e }
                for (k, v) in object.metadata { headers["x-amz-meta-\(k)"] = v }
                return WireResponse(status: 200, headers: headers, body: operation == "GetObject" ? Array(object.body) : [])
            default:
                throw S3ViewError(.invalidArgument, message: "Unsupported operation", resource: operation)
            }
        } catch {
            var headers = ["Content-Type": "application/xml"]
            headers["x-amz-request-id"] = requestID
            return WireResponse(status: error.httpStatus, headers: headers, body: Array(S3XML.error(error, requestID: requestID).utf8))
        }
    }

    private func xml(_ body: String, _ requestID: String) -> WireResponse {
        WireResponse(status: 200, headers: ["Content-Type": "application/xml", "x-amz-request-id": requestID], body: Array(body.utf8))
    }

    static func httpDate(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f.string(from: d)
    }
}
