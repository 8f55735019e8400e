import Foundation
import Testing
@testable import WardenSigV4

/// Malformed authentication of every kind, with AWS's codes and messages.
@Suite struct MalformedTests {
    static let good = "AWS4-HMAC-SHA256 Credential=AKID/20261123/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc"

    @Test func noAuthenticationAtAll() {
        let e = parseError(request(authorization: nil))
        #expect(e == .missingAuthenticationToken)
        #expect(e?.message == "Request is missing Authentication Token")
        #expect(e?.httpStatus == 403)
        #expect(parseError(request(authorization: "   ")) == .missingAuthenticationToken)
        // Query parameters that merely look like SigV4 do not count as authentication.
        #expect(parseError(request(authorization: nil, query: "X-Amz-Date=20261123T120000Z&Action=ListUsers")) == .missingAuthenticationToken)
    }

    @Test func wellFormedHeaderParses() throws {
        let auth = try SigV4.parse(request(authorization: Self.good))
        #expect(auth == SigV4Authorization(
            accessKeyID: "AKID", date: "20261123", region: "us-east-1", service: "iam", signedHeaders: ["host", "x-amz-date"],
            signature: "abc", amzDate: "20261123T120000Z", requestTime: SigV4.parseAmzDate("20261123T120000Z")!,
            securityToken: nil, expires: nil, isPresigned: false))
        // Components in another order, extra spaces, no space after commas, upper-case signed header names.
        let other = try SigV4.parse(request(authorization: "  AWS4-HMAC-SHA256   Signature=abc,SignedHeaders=Host;X-Amz-Date ,  Credential=AKID/20261123/us-east-1/iam/aws4_request"))
        #expect(other.signedHeaders == ["host", "x-amz-date"])
        #expect(other.signature == "abc" && other.accessKeyID == "AKID")
    }

    @Test func missingComponentsAreListedInAWSOrder() {
        let e = parseError(request(authorization: "AWS4-HMAC-SHA256 SignedHeaders=host", date: nil))
        #expect(e?.code == .incompleteSignature)
        #expect(e?.httpStatus == 400)
        #expect(e?.message == "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 SignedHeaders=host")
        let onlyDate = parseError(request(authorization: Self.good, date: nil))
        #expect(onlyDate?.message == "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=\(Self.good)")
    }

    @Test func otherSchemesLackEverything() {
        let e = parseError(request(authorization: "Bearer eyJhbGciOi", date: nil))
        #expect(e?.code == .incompleteSignature)
        #expect(e?.message == "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=Bearer eyJhbGciOi")
        #expect(parseError(request(authorization: "Basic dXNlcjpwYXNz"))?.code == .incompleteSignature)
        let sigv4a = parseError(request(authorization: "AWS4-ECDSA-P256-SHA256 Credential=AKID/20261123/iam/aws4_request, SignedHeaders=host, Signature=ab"))
        #expect(sigv4a == SigV4Error(.incompleteSignature, "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256'."))
    }

    @Test func componentWithoutEqualSign() {
        let header = "AWS4-HMAC-SHA256 Credential=AKID/20261123/us-east-1/iam/aws4_request, SignedHeaders, Signature=abc"
        #expect(parseError(request(authorization: header)) == SigV4Error(
            .incompleteSignature, "'SignedHeaders' not a valid key=value pair (missing equal-sign) in Authorization header: '\(header)'."))
    }

    @Test func malformedCredential() {
        func cred(_ c: String) -> SigV4Error? {
            parseError(request(authorization: "AWS4-HMAC-SHA256 Credential=\(c), SignedHeaders=host;x-amz-date, Signature=abc"))
        }
        #expect(cred("AKID/20261123/us-east-1/iam") == SigV4Error(
            .incompleteSignature, "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKID/20261123/us-east-1/iam'"))
        #expect(cred("AKID/20261123/us-east-1/iam/aws4_request/x")?.code == .incompleteSignature)
        #expect(cred("AKID/20261123/US East/iam/aws4_request") == SigV4Error(
            .signatureDoesNotMatch, "Credential should be scoped to a valid region, not 'US East'. "))
        #expect(cred("AKID/20261123//iam/aws4_request")?.code == .signatureDoesNotMatch)
        #expect(cred("AKID/20261123/us-east-1/iam/aws5_request") == SigV4Error(
            .signatureDoesNotMatch, "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. "))
        #expect(cred("AKID/20261122/us-east-1/iam/aws4_request") == SigV4Error(
            .signatureDoesNotMatch, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261122' != '20261123', from '20261123T120000Z'."))
        #expect(cred("AKID/2026-11-23/us-east-1/iam/aws4_request")?.code == .signatureDoesNotMatch)
    }

    @Test func hostMustBeSigned() {
        let e = parseError(request(authorization: "AWS4-HMAC-SHA256 Credential=AKID/20261123/us-east-1/iam/aws4_request, SignedHeaders=x-amz-date, Signature=abc"))
        #expect(e == SigV4Error(.signatureDoesNotMatch, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."))
        #expect(parseError(request(authorization: "AWS4-HMAC-SHA256 Credential=AKID/20261123/us-east-1/iam/aws4_request, SignedHeaders=, Signature=abc")) == .hostNotSigned)
    }

    @Test func badDates() {
        for bad in ["2026-11-23T12:00:00Z", "20261123T120000", "20261323T120000Z", "20260230T120000Z", "20261123T250000Z", "yesterday"] {
            #expect(parseError(request(authorization: Self.good, date: bad)) == SigV4Error(
                .incompleteSignature, "Date must be in ISO-8601 'basic format'. Got '\(bad)'. See http://en.wikipedia.org/wiki/ISO_8601"), "\(bad)")
        }
        // The Date header in HTTP form is accepted when there is no X-Amz-Date; its ISO form is what was signed.
        var r = request(authorization: Self.good, date: nil, extra: [("Date", "Mon, 23 Nov 2026 12:00:00 GMT")])
        #expect((try? SigV4.parse(r))?.amzDate == "20261123T120000Z")
        r = request(authorization: Self.good, date: nil, extra: [("Date", "Mon, 23 Nov 2026 12:00:00 +0100")])
        #expect(parseError(r)?.code == .incompleteSignature)
    }

    @Test func presignedMissingParameters() {
        let e = parseError(request(authorization: nil, date: nil, query: "Action=GetCallerIdentity&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261123T120000Z"))
        #expect(e == SigV4Error(.incompleteSignature, "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters."))
    }

    @Test func presignedBadValues() {
        let base = Vectors.named("presigned GetCallerIdentity").query
        func with(_ from: String, _ to: String) -> SigV4Error? {
            parseError(request(authorization: nil, date: nil, query: base.replacingOccurrences(of: from, with: to)))
        }
        #expect(with("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA1") == SigV4Error(.incompleteSignature, "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\""))
        #expect(with("X-Amz-Expires=900", "X-Amz-Expires=soon") == SigV4Error(.incompleteSignature, "X-Amz-Expires should be a number"))
        #expect(with("X-Amz-Expires=900", "X-Amz-Expires=-1") == SigV4Error(.incompleteSignature, "X-Amz-Expires must be non-negative"))
        #expect(with("X-Amz-Expires=900", "X-Amz-Expires=604801") == SigV4Error(.incompleteSignature, "X-Amz-Expires must be less than a week (in seconds) that is 604800"))
        #expect(with("X-Amz-Date=20261123T120000Z", "X-Amz-Date=20261123") == SigV4.invalidDate("20261123"))
        #expect(with("X-Amz-Credential=AKIDEXAMPLE%2F", "X-Amz-Credential=AKIDEXAMPLE%2Fx%2F")?.code == .incompleteSignature)
        #expect(with("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=x-amz-date") == .hostNotSigned)
    }

    @Test func headerAndQueryTogetherAreRefused() {
        let e = parseError(request(authorization: Self.good, query: Vectors.named("presigned GetCallerIdentity").query))
        #expect(e == .twoAuthMechanisms)
        #expect(e?.httpStatus == 400)
    }

    @Test func everyCodeHasAStatus() {
        for code in SigV4Error.Code.allCases {
            #expect([400, 403].contains(SigV4Error(code, "").httpStatus))
        }
        #expect(SigV4Error.invalidClientTokenId.message == "The security token included in the request is invalid.")
        #expect(SigV4Error.signatureDoesNotMatch.message == "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
    }
}
