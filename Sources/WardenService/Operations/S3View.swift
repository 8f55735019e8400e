import Foundation
import WardenCore
import WardenWire

/// A read-only S3 view of the audit bucket (`aws cloudtrail validate-logs` reads digests and log files through
/// it). Authorized on S3 ARNs like any call: `s3:ListBucket` on `arn:aws:s3:::BUCKET`, `s3:GetObject` on
/// `arn:aws:s3:::BUCKET/KEY`, `s3:GetBucketLocation` on the bucket. Each account sees only its own bucket.
extension WardenService {
    /// The S3 operation a REST request names, or nil.
    public static func s3Operation(method: String, path: String, query: QueryParameters) -> String? {
        let trimmed = path.drop { $0 == "/" }
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bucket = parts.first, !bucket.isEmpty else { return method == "GET" ? "ListBuckets" : nil }
        let hasKey = parts.count > 1 && !parts[1].isEmpty
        switch (method, hasKey) {
        case ("GET", true): return "GetObject"
        case ("HEAD", true): return "HeadObject"
        case ("HEAD", false): return "HeadBucket"
        case ("GET", false):
            if query.pairs["location"] != nil { return "GetBucketLocation" }
            return query.pairs["list-type"] == "2" ? "ListObjectsV2" : "ListObjects"
        default: return nil
        }
    }

    static func registerS3View(_ r: inout Registry) {
        for name in ["GetObject", "HeadObject", "HeadBucket", "GetBucketLocation", "ListObjects", "ListObjectsV2"] {
            r.rest(.s3, name, authorize: .declared { request, _ in [s3Requirement(name, request)] }) { request, call in try s3(name, request, call) }
        }
        r.rest(.s3, "ListBuckets", authorize: .declared { _, _ in [Requirement("*", action: "s3:ListAllMyBuckets")] }) { _, call in
            throw ServiceError(.accessDenied, "Warden's S3 view serves only the audit bucket; list it by name.")
        }
    }

    /// The bucket and key a REST request names.
    static func s3Path(_ request: RESTRequest) -> (bucket: String, key: String?) {
        let trimmed = request.path.drop { $0 == "/" }
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        return (parts[0], parts.count > 1 ? parts[1] : nil)
    }

    /// What an S3 view operation needs: its S3 action on the object or the bucket.
    static func s3Requirement(_ operation: String, _ request: RESTRequest) -> Requirement {
        let (bucket, key) = s3Path(request)
        let action: String = switch operation {
        case "GetObject", "HeadObject": "s3:GetObject"
        case "GetBucketLocation": "s3:GetBucketLocation"
        default: "s3:ListBucket"
        }
        return Requirement(key.map { "arn:aws:s3:::\(bucket)/\($0)" } ?? "arn:aws:s3:::\(bucket)", action: action)
    }

    static func s3(_ operation: String, _ request: RESTRequest, _ call: Call) throws -> WireResponse {
        let (bucket, key) = s3Path(request)
        guard let archive = call.service.auditArchive.archive, archive.bucket(forAccount: call.account) == bucket else {
            return WireProtocol.restXML.errorResponse(WireError(code: "NoSuchBucket", message: "The specified bucket does not exist", httpStatus: 404),
                                                      requestID: call.meta.requestID)
        }
        return archive.s3(operation, bucket: bucket, key: key, query: request.query, requestID: call.meta.requestID)
    }
}
