/// A domain error with a stable AWS error code. The wire layer renders it as an AWS error envelope;
/// this is the one place where codes map to HTTP statuses and fault types.
public struct ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The AWS error codes Warden answers with.
    public enum Code: String, Sendable, CaseIterable {
        case noSuchEntity = "NoSuchEntity"
        case entityAlreadyExists = "EntityAlreadyExists"
        case deleteConflict = "DeleteConflict"
        case limitExceeded = "LimitExceeded"
        case concurrentModification = "ConcurrentModification"
        case validationError = "ValidationError"
        case invalidInput = "InvalidInput"
        case invalidUserType = "InvalidUserType"
        case malformedPolicyDocument = "MalformedPolicyDocument"
        case packedPolicyTooLarge = "PackedPolicyTooLarge"
        case passwordPolicyViolation = "PasswordPolicyViolation"
        case entityTemporarilyUnmodifiable = "EntityTemporarilyUnmodifiable"
        case invalidAuthenticationCode = "InvalidAuthenticationCode"
        case malformedCertificate = "MalformedCertificate"
        case invalidCertificate = "InvalidCertificate"
        case duplicateCertificate = "DuplicateCertificate"
        case keyPairMismatch = "KeyPairMismatch"
        case invalidPublicKey = "InvalidPublicKey"
        case duplicateSSHPublicKey = "DuplicateSSHPublicKey"
        case unrecognizedPublicKeyEncoding = "UnrecognizedPublicKeyEncoding"
        case credentialReportNotPresent = "ReportNotPresent"
        case credentialReportExpired = "ReportExpired"
        case credentialReportNotReady = "ReportInProgress"
        case unmodifiableEntity = "UnmodifiableEntity"
        case notSupported = "NotSupportedService"
        case policyNotAttachable = "PolicyNotAttachable"
        case policyEvaluation = "PolicyEvaluation"
        case serviceFailure = "ServiceFailure"
        case accessDenied = "AccessDenied"
        case invalidAction = "InvalidAction"
        case missingAction = "MissingAction"
        case invalidParameterValue = "InvalidParameterValue"
        case missingParameter = "MissingParameter"
        case expiredToken = "ExpiredToken"
        case invalidClientTokenID = "InvalidClientTokenId"
        case signatureDoesNotMatch = "SignatureDoesNotMatch"
        case incompleteSignature = "IncompleteSignature"
        case contentSHA256Mismatch = "XAmzContentSHA256Mismatch"
        case missingAuthenticationToken = "MissingAuthenticationToken"
        case requestExpired = "RequestExpired"
        case regionDisabled = "RegionDisabledException"
        case idpRejectedClaim = "IDPRejectedClaim"
        case invalidIdentityToken = "InvalidIdentityToken"
        case expiredTokenException = "ExpiredTokenException"
        case idpCommunicationError = "IDPCommunicationError"
        case invalidAuthorizationMessage = "InvalidAuthorizationMessageException"
        case malformedPolicyDocumentSTS = "MalformedPolicyDocumentException"
        case packedPolicyTooLargeSTS = "PackedPolicyTooLargeException"
        case throttling = "Throttling"
        case openIdIdpCommunicationError = "OpenIdIdpCommunicationError"
        case unrecognizedClient = "UnrecognizedClientException"
        case expiredTradeInToken = "ExpiredTradeInTokenException"
        case outboundWebIdentityFederationDisabled = "OutboundWebIdentityFederationDisabledException"
        case featureDisabled = "FeatureDisabled"
        case organizationNotFound = "OrganizationNotFoundException"
        // JSON-protocol services (CloudTrail) name their errors `…Exception`.
        case accessDeniedException = "AccessDeniedException"
        case validationException = "ValidationException"
        case invalidLookupAttributes = "InvalidLookupAttributesException"
        case invalidTimeRange = "InvalidTimeRangeException"
        case invalidNextToken = "InvalidNextTokenException"
        case invalidMaxResults = "InvalidMaxResultsException"
        case invalidEventCategory = "InvalidEventCategoryException"
        case trailNotFound = "TrailNotFoundException"
        case invalidTrailName = "InvalidTrailNameException"
        case operationNotPermitted = "OperationNotPermittedException"
        case unsupportedOperation = "UnsupportedOperationException"
        case resourceNotFound = "ResourceNotFoundException"
        case conflictException = "ConflictException"
        case serviceQuotaExceeded = "ServiceQuotaExceededException"
        case invalidParameterException = "InvalidParameterException"
        case unprocessableEntity = "UnprocessableEntityException"
        case unknownOperation = "UnknownOperationException"
    }

    public var code: Code
    public var message: String
    /// For `NoSuchEntity`: the ARN the missing entity would have. A caller who may not act on that ARN is told
    /// `AccessDenied` instead, as in AWS, so that the answer does not reveal which entities exist.
    public var missingResource: String?

    public init(_ code: Code, _ message: String, missingResource: String? = nil) {
        self.code = code
        self.message = message
        self.missingResource = missingResource
    }

    /// AWS's HTTP status for the code.
    public var httpStatus: Int {
        switch code {
        case .noSuchEntity: 404
        case .entityAlreadyExists, .deleteConflict, .limitExceeded, .concurrentModification,
             .entityTemporarilyUnmodifiable, .duplicateCertificate, .conflictException:
            409
        case .serviceQuotaExceeded: 402
        case .unprocessableEntity: 422
        case .credentialReportNotPresent, .credentialReportExpired: 410
        case .credentialReportNotReady, .notSupported, .featureDisabled, .trailNotFound, .resourceNotFound: 404
        case .accessDenied, .invalidAuthenticationCode, .invalidClientTokenID, .signatureDoesNotMatch,
             .missingAuthenticationToken, .expiredToken, .regionDisabled, .idpRejectedClaim, .unrecognizedClient,
             .outboundWebIdentityFederationDisabled, .accessDeniedException:
            403
        case .serviceFailure, .policyEvaluation: 500
        case .throttling: 400
        default: 400
        }
    }

    /// Whether the caller is at fault (`Sender`) or the service (`Receiver`).
    public var isSenderFault: Bool { code != .serviceFailure }

    public var description: String { "\(code.rawValue): \(message)" }

    // Common constructors with AWS's wording.
    public static func noSuchEntity(_ message: String, resource: String? = nil) -> ServiceError {
        .init(.noSuchEntity, message, missingResource: resource)
    }
    public static func alreadyExists(_ message: String) -> ServiceError { .init(.entityAlreadyExists, message) }
    public static func deleteConflict(_ message: String) -> ServiceError { .init(.deleteConflict, message) }
    public static func limitExceeded(_ message: String) -> ServiceError { .init(.limitExceeded, message) }
    public static func invalidInput(_ message: String) -> ServiceError { .init(.invalidInput, message) }
    public static func validation(_ message: String) -> ServiceError { .init(.validationError, message) }
}
