import Foundation

/// One object in a listing, or the head of one object.
public struct S3ObjectSummary: Sendable, Hashable {
    /// The key.
    public var key: String
    /// Its size in bytes.
    public var size: Int
    /// When the file was last written.
    public var lastModified: Date
    /// The MD5 of its bytes in lowercase hex, inside double quotes, as S3 writes `ETag`.
    public var etag: String
}

/// An object's bytes and the headers S3 sends with them.
public struct S3ObjectContent: Sendable, Hashable {
    /// Key, size, last modified, ETag.
    public var summary: S3ObjectSummary
    /// `Content-Type`.
    public var contentType: String
    /// `Content-Encoding`, when there is one.
    public var contentEncoding: String?
    /// User metadata, names without the `x-amz-meta-` prefix (digests: `signature`,
    /// `signature-algorithm`); send each as header `x-amz-meta-<name>`.
    public var metadata: [String: String]
    /// The bytes (empty for a HEAD).
    public var body: Data
}

/// What a listing was asked for, echoed in its result.
public struct S3ListQuery: Sendable, Hashable {
    /// ListObjects (V1) or ListObjectsV2.
    public enum Version: Sendable, Hashable { case v1, v2 }

    /// Which API.
    public var version: Version
    /// `prefix`.
    public var prefix: String
    /// `delimiter`.
    public var delimiter: String?
    /// `max-keys`, after clamping to S3's 1000.
    public var maxKeys: Int
    /// V1 `marker`.
    public var marker: String?
    /// V2 `start-after`.
    public var startAfter: String?
    /// V2 `continuation-token`.
    public var continuationToken: String?
    /// `encoding-type` (`url` or nil); botocore always sends `url` and decodes the keys.
    public var encodingType: String?
}

/// One page of a listing.
public struct S3ListPage: Sendable, Hashable {
    /// The bucket listed.
    public var bucket: String
    /// The request, as the response echoes it.
    public var query: S3ListQuery
    /// Objects, in key order.
    public var objects: [S3ObjectSummary]
    /// Common prefixes (with a delimiter), in key order.
    public var commonPrefixes: [String]
    /// Whether more keys follow.
    public var isTruncated: Bool
    /// V1 `NextMarker`: sent when truncated and a delimiter was given, as S3 does (botocore's paginator
    /// otherwise continues from the last key).
    public var nextMarker: String?
    /// V2 `NextContinuationToken` when truncated.
    public var nextContinuationToken: String?

    /// V2 `KeyCount`: objects plus common prefixes.
    public var keyCount: Int { objects.count + commonPrefixes.count }
}

/// An S3 error, with the code, message and HTTP status S3 answers with.
public struct S3ViewError: Error, Sendable, Hashable, CustomStringConvertible {
    /// S3 error codes this view produces.
    public enum Code: String, Sendable, Hashable {
        case noSuchKey = "NoSuchKey"
        case noSuchBucket = "NoSuchBucket"
        case accessDenied = "AccessDenied"
        case invalidArgument = "InvalidArgument"
        case internalError = "InternalError"
        case notImplemented = "NotImplemented"
    }

    /// The code.
    public var code: Code
    /// S3's message for it.
    public var message: String
    /// The key (`NoSuchKey`), bucket (`NoSuchBucket`), argument name (`InvalidArgument`) or operation
    /// (`NotImplemented`).
    public var resource: String?
    /// For `InvalidArgument`: the refused value.
    public var argumentValue: String?

    /// Creates an error.
    public init(_ code: Code, message: String? = nil, resource: String? = nil, argumentValue: String? = nil) {
        self.code = code
        self.resource = resource
        self.argumentValue = argumentValue
        self.message = message ?? {
            switch code {
            case .noSuchKey: "The specified key does not exist."
            case .noSuchBucket: "The specified bucket does not exist"
            case .accessDenied: "Access Denied"
            case .invalidArgument: "Invalid Argument"
            case .internalError: "We encountered an internal error. Please try again."
            case .notImplemented: "A header you provided implies functionality that is not implemented"
            }
        }()
    }

    /// The HTTP status S3 sends with the code.
    public var httpStatus: Int {
        switch code {
        case .noSuchKey, .noSuchBucket: 404
        case .accessDenied: 403
        case .invalidArgument: 400
        case .internalError: 500
        case .notImplemented: 501
        }
    }

    /// The code, message and resource, for logs.
    public var description: String { "\(code.rawValue): \(message)" + (resource.map { " (`\($0)`)" } ?? "") }
}
