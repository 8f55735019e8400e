import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import WardenCore
import WardenService
import WardenWire

/// Sign-in for people (docs/signin.md): `POST /signin` with a password (and an MFA code when the person has a
/// device), `POST /signin/change-password` for expired or reset passwords, `GET /signin/session` to read the
/// cookie's session, `POST /signout` to drop the cookie. Form or JSON bodies. Nothing here logs a secret.
struct SignInRoutes: Sendable {
    let responder: APIResponder
    var service: WardenService { responder.service }
    static let cookieName = "warden-console"

    func register(_ router: Router<WardenRequestContext>) {
        router.post("/signin") { request, context in try await signIn(request, context) }
        router.post("/signin/change-password") { request, context in try await changePassword(request, context) }
        router.get("/signin/session") { request, _ in session(request) }
        router.post("/signout") { _, _ in
            APIResponder.json(200, ["status": "signed_out"], headers: [("Set-Cookie", "\(Self.cookieName)=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict")])
        }
    }

    /// The fields of a form or JSON body.
    func fields(_ request: Request) async throws -> [String: String] {
        var buffer = try await request.body.collect(upTo: 64 * 1024)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        if (request.headers[.contentType] ?? "").lowercased().hasPrefix("application/json") {
            let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
            var out: [String: String] = [:]
            for (k, v) in object {
                if let s = v as? String { out[k] = s } else if let b = v as? Bool { out[k] = b ? "true" : "false" } else if let n = v as? NSNumber { out[k] = n.stringValue }
            }
            return out
        }
        return QueryParameters(formEncoded: String(decoding: bytes, as: UTF8.self)).pairs
    }

    func answer(_ outcome: SignInOutcome) -> Response {
        switch outcome {
        case .signedIn(let s):
            return sessionResponse(s)
        case .mfaRequired(let token):
            return APIResponder.json(401, ["status": "mfa_required", "signin_token": token,
                                           "message": "Enter the code from your MFA device."])
        case .passwordChangeRequired(let token, let reason):
            return APIResponder.json(403, ["status": "password_change_required", "change_token": token, "message": reason])
        case .failed(let message, let status):
            return APIResponder.json(status, ["status": "failed", "message": message])
        case .throttled(let wait):
            return APIResponder.json(429, ["status": "throttled", "message": "Too many failed sign-in attempts. Try again later."],
                                     headers: [("Retry-After", "\(wait)")])
        }
    }

    func sessionResponse(_ s: ConsoleSession) -> Response {
        let maxAge = max(0, Int(s.expiration.timeIntervalSince(service.clock.now())))
        let cookie = "\(Self.cookieName)=\(s.cookie.value); Path=/; Max-Age=\(maxAge); HttpOnly; Secure; SameSite=Strict"
        return APIResponder.json(200, [
            "status": "signed_in", "principal": s.principalARN, "account": s.accountID, "user": s.userName,
            "mfa_authenticated": s.mfaAuthenticated,
            "credentials": ["AccessKeyId": s.accessKeyID, "SecretAccessKey": s.secretAccessKey.value, "SessionToken": s.sessionToken.value,
                            "Expiration": APIResponder.iso8601(s.expiration)],
        ], headers: [("Set-Cookie", cookie)])
    }

    func signIn(_ request: Request, _ context: WardenRequestContext) async throws -> Response {
        let f = try await fields(request)
        guard let account = f["account"], !account.isEmpty else {
            return APIResponder.json(400, ["status": "failed", "message": "`account` (account id or alias) is required."])
        }
        let isRoot = f["root"] == "true" || f["username"] == nil || f["username"] == ""
        let facts = client(request, context)
        var signIn = SignInRequest(account: account, userName: isRoot ? nil : f["username"], password: f["password"].map(Redacted.init),
                                   mfaCode: f["mfa_code"], signinToken: f["signin_token"], sourceIP: facts.sourceIP)
        signIn.userAgent = facts.userAgent
        signIn.secureTransport = facts.secureTransport
        signIn.loginTo = facts.loginTo
        return answer(service.signIn(signIn))
    }

    /// The request's facts for its audit record: address, `User-Agent`, TLS, and the endpoint signed in at.
    func client(_ request: Request, _ context: WardenRequestContext) -> SignInClient {
        let facts = responder.clientFacts(request, context)
        let host = request.head.authority ?? "localhost"
        return SignInClient(sourceIP: facts.ip, userAgent: request.headers[.userAgent] ?? "", secureTransport: facts.secure,
                            loginTo: "\(facts.secure ? "https" : "http")://\(host)/")
    }

    func changePassword(_ request: Request, _ context: WardenRequestContext) async throws -> Response {
        let f = try await fields(request)
        guard let token = f["change_token"], let newPassword = f["new_password"] else {
            return APIResponder.json(400, ["status": "failed", "message": "`change_token` and `new_password` are required."])
        }
        do {
            return sessionResponse(try service.changeExpiredPassword(token: token, newPassword: Redacted(newPassword),
                                                                   client: client(request, context)))
        } catch let e as ServiceError {
            return APIResponder.json(e.httpStatus, ["status": "failed", "code": e.code.rawValue, "message": e.message])
        }
    }

    func session(_ request: Request) -> Response {
        let cookies = (request.headers[.cookie] ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let value = cookies.first(where: { $0.hasPrefix("\(Self.cookieName)=") })?.dropFirst(Self.cookieName.count + 1),
              let s = service.consoleSession(cookie: String(value)) else {
            return APIResponder.json(401, ["status": "signed_out"])
        }
        return APIResponder.json(200, ["status": "signed_in", "principal": s.principalARN, "expiration": APIResponder.iso8601(s.expiration),
                                       "mfa_authenticated": s.mfa])
    }
}
