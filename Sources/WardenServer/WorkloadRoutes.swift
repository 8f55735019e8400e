import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import WardenCore
import WardenService

/// Rotating credentials for workloads (docs/workloads.md): `GET /workload/credentials` answers in the format of
/// the AWS SDKs' container credentials provider for a workload token; `/workload/tokens` creates, lists and
/// revokes tokens with SigV4-signed requests for service `iam`.
struct WorkloadRoutes: Sendable {
    let responder: APIResponder
    var service: WardenService { responder.service }

    func register(_ router: Router<WardenRequestContext>) {
        router.get("/workload/credentials") { request, _ in credentials(request) }
        router.post("/workload/tokens") { request, context in try await create(request, context) }
        router.get("/workload/tokens") { request, context in try await list(request, context) }
        router.delete("/workload/tokens/:id") { request, context in try await delete(request, context) }
    }

    func credentials(_ request: Request) -> Response {
        let unauthorized = ServiceError(.accessDenied, "The workload token is missing, unknown or revoked.")
        guard let token = request.headers[.authorization]?.trimmingCharacters(in: .whitespaces), !token.isEmpty else {
            return APIResponder.jsonError(unauthorized, headers: [("WWW-Authenticate", "WardenWorkloadToken")]).withStatus(401)
        }
        do {
            guard let c = try service.workloadCredentials(token: token) else {
                return APIResponder.jsonError(unauthorized).withStatus(401)
            }
            return APIResponder.json(200, ["AccessKeyId": c.accessKeyID, "SecretAccessKey": c.secretAccessKey.value, "Token": c.token.value,
                                           "Expiration": APIResponder.iso8601(c.expiration), "RoleArn": c.roleARN])
        } catch let e as ServiceError {
            return APIResponder.jsonError(e)
        } catch {
            return APIResponder.jsonError(ServiceError(.serviceFailure, "An internal error occurred."))
        }
    }

    func body(_ request: Request) async throws -> [UInt8] {
        var buffer = try await request.body.collect(upTo: 64 * 1024)
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }

    static func info(_ i: WorkloadTokenInfo) -> [String: Any] {
        var o: [String: Any] = ["TokenId": i.id, "InstanceProfileName": i.instanceProfileName, "InstanceProfileArn": i.instanceProfileARN,
                                "CreateDate": APIResponder.iso8601(i.createDate), "CreatedBy": i.createdBy]
        if let r = i.roleARN { o["RoleArn"] = r }
        if let d = i.description { o["Description"] = d }
        if let d = i.lastUsedDate { o["LastUsedDate"] = APIResponder.iso8601(d) }
        return o
    }

    func create(_ request: Request, _ context: WardenRequestContext) async throws -> Response {
        let bytes = try await body(request)
        do {
            let (caller, meta) = try responder.authenticate(request, body: bytes, context: context, service: "iam")
            let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
            // A missing name is refused (and recorded) by the service.
            let profile = object["InstanceProfileName"] as? String ?? ""
            let (token, info) = try service.createWorkloadToken(caller: caller, meta: meta, instanceProfileName: profile,
                                                                 description: object["Description"] as? String)
            var o = Self.info(info)
            o["Token"] = token.value
            return APIResponder.json(200, o)
        } catch let e as ServiceError {
            return APIResponder.jsonError(e)
        }
    }

    func list(_ request: Request, _ context: WardenRequestContext) async throws -> Response {
        let bytes = try await body(request)
        do {
            let (caller, meta) = try responder.authenticate(request, body: bytes, context: context, service: "iam")
            return APIResponder.json(200, ["Tokens": try service.listWorkloadTokens(caller: caller, meta: meta).map(Self.info)])
        } catch let e as ServiceError {
            return APIResponder.jsonError(e)
        }
    }

    func delete(_ request: Request, _ context: WardenRequestContext) async throws -> Response {
        let bytes = try await body(request)
        do {
            let (caller, meta) = try responder.authenticate(request, body: bytes, context: context, service: "iam")
            let id = context.parameters.get("id") ?? ""
            try service.deleteWorkloadToken(caller: caller, meta: meta, id: id)
            return APIResponder.json(200, ["TokenId": id, "Deleted": true])
        } catch let e as ServiceError {
            return APIResponder.jsonError(e)
        }
    }
}

extension Response {
    /// The same response with another status.
    func withStatus(_ code: Int) -> Response {
        var r = self
        r.status = .init(code: code)
        return r
    }
}
