/// A SigV4 failure with AWS's error code, message and HTTP status, ready for the AWS error envelope.
///
/// Codes and statuses follow what IAM and STS return on the Query protocol:
/// - no `Authorization` header and no presigned parameters: `MissingAuthenticationToken`, 403;
/// - malformed header or query parameters: `IncompleteSignature`, 400;
/// - bad signature, a request time outside ±15 minutes of the server clock (`Signature expired: …` /
///   `Signature not yet current: …`), a scope date that differs from the request date, `host` not signed:
///   `SignatureDoesNotMatch`, 403 (the AWS CLI shows exactly these for STS and IAM);
/// - a presigned URL used after its own `X-Amz-Expires`: `AccessDenied` "Request has expired", 403 (the wording
///   of AWS's presigned-URL services; STS itself caps presigned validity at 15 minutes, which Warden also does);
/// - `x-amz-content-sha256` differs from the body received: `XAmzContentSHA256Mismatch`, 400 (S3's code;
///   IAM and STS clients never send a wrong one, so this only stops a replayed signature with another body);
/// - unknown access key: `InvalidClientTokenId`, 403 (raised by the server when the key lookup fails).
public struct SigV4Error: Error, Sendable, Equatable {
    /// AWS error codes, raw values as on the wire.
    public enum Code: String, Sendable, CaseIterable {
        /// No authentication at all.
        case missingAuthenticationToken = "MissingAuthenticationToken"
        /// The `Authorization` header or presigned parameters are malformed.
        case incompleteSignature = "IncompleteSignature"
        /// The signature, its time or its scope is wrong.
        case signatureDoesNotMatch = "SignatureDoesNotMatch"
        /// A presigned URL past its `X-Amz-Expires`.
        case accessDenied = "AccessDenied"
        /// The access key id is unknown (or the session token does not belong to it).
        case invalidClientTokenId = "InvalidClientTokenId"
        /// `x-amz-content-sha256` does not match the body.
        case xAmzContentSHA256Mismatch = "XAmzContentSHA256Mismatch"
    }

    /// The stable code.
    public var code: Code
    /// AWS's message text for the failure.
    public var message: String

    /// The HTTP status AWS answers with for this code.
    public var httpStatus: Int {
        switch code {
        case .incompleteSignature, .xAmzContentSHA256Mismatch: 400
        case .missingAuthenticationToken, .signatureDoesNotMatch, .accessDenied, .invalidClientTokenId: 403
        }
    }

    /// Creates an error from a code and message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

extension SigV4Error {
    /// `MissingAuthenticationToken`: the request carries no SigV4 authentication.
    public static let missingAuthenticationToken = SigV4Error(.missingAuthenticationToken, "Request is missing Authentication Token")

    /// `SignatureDoesNotMatch` with AWS's generic text.
    public static let signatureDoesNotMatch = SigV4Error(
        .signatureDoesNotMatch,
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")

    /// `InvalidClientTokenId`: the server found no such access key (or the token does not match it).
    public static let invalidClientTokenId = SigV4Error(.invalidClientTokenId, "The security token included in the request is invalid.")

    /// `AccessDenied`: a presigned URL past its `X-Amz-Expires`.
    public static let requestHasExpired = SigV4Error(.accessDenied, "Request has expired")

    /// `XAmzContentSHA256Mismatch`: the declared payload hash is not the body's.
    public static let contentSHA256Mismatch = SigV4Error(
        .xAmzContentSHA256Mismatch, "The provided 'x-amz-content-sha256' header does not match what was computed.")

    /// `SignatureDoesNotMatch`: `host` is not among the signed headers.
    public static let hostNotSigned = SigV4Error(.signatureDoesNotMatch, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")

    /// `IncompleteSignature`: both header and query authentication were given.
    public static let twoAuthMechanisms = SigV4Error(
        .incompleteSignature,
        "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified")
}
