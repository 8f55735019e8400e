import Foundation

/// What the `Authorization` header or a presigned query string says, as read by `SigV4.parse`.
public struct SigV4Authorization: Sendable, Equatable {
    /// The access key id of the credential scope.
    public var accessKeyID: String
    /// `yyyyMMdd` of the credential scope.
    public var date: String
    /// Region of the credential scope (any well-formed name: clients sign with their own region).
    public var region: String
    /// Service of the credential scope (`iam`, `sts`, ...); the server decides which it accepts.
    public var service: String
    /// Signed header names, lowercased, in the order given.
    public var signedHeaders: [String]
    /// The signature as given (64 hex digits when well formed).
    public var signature: String
    /// The request time as signed, `yyyyMMdd'T'HHmmss'Z'` (from `X-Amz-Date`, or converted from `Date`).
    public var amzDate: String
    /// The instant of `amzDate`.
    public var requestTime: Date
    /// `X-Amz-Security-Token` (header, or query parameter when presigned), for temporary credentials.
    public var securityToken: String?
    /// Presigned URLs: `X-Amz-Expires` in seconds.
    public var expires: Int?
    /// Whether the authorization came from query parameters (a presigned URL).
    public var isPresigned: Bool

    /// Creates an authorization from its parts (normally `SigV4.parse` does this).
    public init(accessKeyID: String, date: String, region: String, service: String, signedHeaders: [String], signature: String,
                amzDate: String, requestTime: Date, securityToken: String?, expires: Int?, isPresigned: Bool) {
        self.accessKeyID = accessKeyID
        self.date = date
        self.region = region
        self.service = service
        self.signedHeaders = signedHeaders
        self.signature = signature
        self.amzDate = amzDate
        self.requestTime = requestTime
        self.securityToken = securityToken
        self.expires = expires
        self.isPresigned = isPresigned
    }

    /// `date/region/service/aws4_request`.
    public var credentialScope: String { "\(date)/\(region)/\(service)/aws4_request" }
}
