import Foundation
import HTTPTypes
import Hummingbird
import WardenCore
import WardenService
import WardenSigV4

extension APIResponder {
    /// Authenticates a SigV4-signed request to a Warden-specific route (`/workload/tokens`): the signature must be
    /// valid and scoped to `service`. Returns the caller and the request facts.
    func authenticate(_ request: Request, body: [UInt8], context: WardenRequestContext, service scope: String) throws(ServiceError)
        -> (Caller, RequestMeta) {
        let now = service.clock.now()
        var headers: [(name: String, value: String)] = []
        for field in request.headers { headers.append((field.name.rawName, field.value)) }
        if let authority = request.head.authority { headers.append(("host", authority)) }
        let sigRequest = SigV4Request(method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "", headers: headers,
                                      payloadSHA256Hex: request.headers[HTTPField.Name("x-amz-content-sha256")!] ?? Self.sha256Hex(body))
        let auth: SigV4Authorization
        do { auth = try SigV4.parse(sigRequest) } catch { throw ServiceError(code(error), error.message) }
        guard auth.service == scope else {
            throw ServiceError(.invalidClientTokenID, "Credential should be scoped to a valid service: \(scope).")
        }
        let credential = try service.credential(accessKeyID: auth.accessKeyID, sessionToken: auth.securityToken)
        let key = signingKeys.key(accessKeyID: auth.accessKeyID, secret: credential.secret.value, date: auth.date,
                                  region: auth.region, service: auth.service)
        do { try SigV4.verify(sigRequest, auth, signingKey: key, now: now) } catch { throw ServiceError(code(error), error.message) }
        let client = clientFacts(request, context)
        let meta = RequestMeta(requestID: RequestIDs.next(), sourceIP: client.ip,
                               userAgent: request.headers[.userAgent] ?? "", secureTransport: client.secure, region: auth.region, time: now)
        return (credential.caller, meta)
    }

    /// A JSON answer.
    static func json(_ status: Int, _ object: Any, headers extra: [(String, String)] = []) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        for (k, v) in extra { headers.append(HTTPField(name: HTTPField.Name(k)!, value: v)) }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A JSON error in the shape `{"Error": {"Code": …, "Message": …}}`.
    static func jsonError(_ e: ServiceError, headers: [(String, String)] = []) -> Response {
        json(e.httpStatus, ["Error": ["Code": e.code.rawValue, "Message": e.message]], headers: headers)
    }

    /// ISO 8601 in UTC with seconds, as the SDKs expect (`2026-01-01T12:00:00Z`).
    static func iso8601(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: d)
    }
}
