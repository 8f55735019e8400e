import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import WardenCore
import WardenPolicy
import WardenService
import WardenSigV4
import WardenWire

/// Adapts HTTP to the service: decode the Query request, authenticate it with SigV4, run it, encode the result.
struct APIResponder: Sendable {
    let service: WardenService
    let signingKeys = SigningKeyCache()
    let logger: Logger
    /// Proxies whose forwarding headers are believed (empty: the peer is the client, the transport plain HTTP).
    let trustedProxies: IPNetworkSet
    /// The largest request body accepted: UploadServerCertificate's chain alone may be 2 MiB before form encoding.
    static let maxBody = 8 << 20
    static let stsActions: Set<String> = ["AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "AssumeRoot",
                                          "DecodeAuthorizationMessage", "GetAccessKeyInfo", "GetCallerIdentity", "GetDelegatedAccessToken",
                                          "GetFederationToken", "GetSessionToken", "GetWebIdentityToken"]

    func respond(_ request: Request, _ context: WardenRequestContext) async throws -> Response {
        let requestID = RequestIDs.next()
        let now = service.clock.now()
        var body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maxBody)
        } catch {
            let wire = WireError(code: "RequestEntityTooLarge", message: "Request body exceeds the maximum of \(Self.maxBody) bytes.",
                                 httpStatus: 413, isSender: true)
            return Self.xml(413, QueryProtocol.error(wire, namespace: IAM.namespace, requestID: requestID), requestID)
        }
        let bodyBytes = body.readBytes(length: body.readableBytes) ?? []
        let rawQuery = request.uri.query ?? ""
        let target = request.headers[HTTPField.Name("X-Amz-Target")!]

        var pairs = QueryParameters(formEncoded: rawQuery).pairs
        let contentType = request.headers[.contentType] ?? ""
        if target == nil, request.method == .post, contentType.isEmpty || contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") {
            for (k, v) in QueryParameters(formEncoded: String(decoding: bodyBytes, as: UTF8.self)).pairs { pairs[k] = v }
        }
        let params = QueryParameters(pairs)
        var headers: [(name: String, value: String)] = []
        for field in request.headers { headers.append((field.name.rawName, field.value)) }
        // HTTP/1's Host header arrives as the :authority pseudo-header.
        if let authority = request.head.authority { headers.append(("host", authority)) }

        // S3 clients may sign without hashing the body; the canonical request then carries the literal.
        let declaredHash = request.headers[HTTPField.Name("x-amz-content-sha256")!]
        let payloadHash = declaredHash == "UNSIGNED-PAYLOAD" && bodyBytes.isEmpty ? "UNSIGNED-PAYLOAD" : Self.sha256Hex(bodyBytes)
        let sigRequest = SigV4Request(method: request.method.rawValue, path: request.uri.path, query: rawQuery, headers: headers,
                                      payloadSHA256Hex: payloadHash)  // always the body received; verify checks x-amz-content-sha256 against it
        // Until the credential scope names the service, answer in the protocol the request is written in.
        let guessed = Self.guessProtocol(target: target, params: params, contentType: contentType)
        var apiService: APIService = params.action.map { Self.stsActions.contains($0) } == true ? .sts : .iam
        let client = clientFacts(request, context)
        let meta = { (region: String) in
            RequestMeta(requestID: requestID, sourceIP: client.ip, userAgent: request.headers[.userAgent] ?? "",
                        secureTransport: client.secure, region: region, time: now)
        }
        // AssumeRoleWithWebIdentity and AssumeRoleWithSAML are unsigned in AWS: the token or assertion is the
        // credential. Only those two STS actions skip SigV4, and only when the request carries no signature at
        // all (a signed request is verified as usual, and must then be scoped to `sts`).
        if target == nil, let action = params.action, WardenService.unsignedSTSActions.contains(action),
           request.headers[.authorization] == nil, params["X-Amz-Signature"] == nil, params["X-Amz-Credential"] == nil {
            let result = await service.handleUnsigned(params: params, meta: meta("us-east-1"))
            return Self.xml(result.status, result.body, requestID)
        }
        var wire = guessed
        do throws(ServiceError) {
            let auth: SigV4Authorization
            do { auth = try SigV4.parse(sigRequest) } catch { throw ServiceError(code(error), error.message) }
            guard let scoped = APIService(signingName: auth.service) else {
                // A REST request without a JSON body looks like S3's; but only the S3 family speaks REST-XML, and
                // every other REST service (Lambda, EKS, Access Analyzer, …) expects its errors in JSON.
                let answer = guessed == .restXML && !Self.restXMLServices.contains(auth.service) ? WireProtocol.restJSON : guessed
                let e = answer.serviceNotServed(auth.service)
                return Self.wire(answer.errorResponse(e, requestID: requestID))
            }
            apiService = scoped
            wire = scoped.wireProtocol
            if scoped == .iam, auth.region != "us-east-1" {
                // IAM is global: AWS refuses a scope for any region but us-east-1 before checking the signature.
                throw ServiceError(.signatureDoesNotMatch, "Credential should be scoped to a valid region. ")
            }
            let credential = try service.credential(accessKeyID: auth.accessKeyID, sessionToken: auth.securityToken)
            let key = signingKeys.key(accessKeyID: auth.accessKeyID, secret: credential.secret.value, date: auth.date,
                                      region: auth.region, service: auth.service)
            do { try SigV4.verify(sigRequest, auth, signingKey: key, now: now) } catch { throw ServiceError(code(error), error.message) }
            switch scoped.wireProtocol {
            case .query:
                let result = await service.handle(scoped, params: params, caller: credential.caller, meta: meta(auth.region))
                return Self.xml(result.status, result.body, requestID)
            case .json:
                guard let target, let prefix = scoped.descriptor?.targetPrefix,
                      let operation = JSONProtocol.operation(target: target, prefix: prefix) else {
                    return Self.wire(wire.errorResponse(wire.unknownOperation(target), requestID: requestID))
                }
                let input: WireJSON
                do { input = try JSONProtocol.parseBody(bodyBytes) } catch {
                    return Self.wire(wire.errorResponse(error, requestID: requestID))
                }
                return Self.wire(await service.handle(scoped, operation: operation, input: .json(input), caller: credential.caller,
                                                      meta: meta(auth.region)))
            case .restXML:
                let path = request.uri.path.removingPercentEncoding ?? request.uri.path
                let operation = WardenService.s3Operation(method: request.method.rawValue, path: path, query: params)
                return Self.wire(await service.handle(scoped, operation: operation, input: .rest(RESTRequest(
                    method: request.method.rawValue, path: path, query: params)), caller: credential.caller, meta: meta(auth.region)))
            case .restJSON:
                guard let router = Self.restRouters[scoped] else {
                    return Self.wire(wire.errorResponse(wire.serviceNotServed(auth.service), requestID: requestID))
                }
                let query = Self.multiValuedQuery(rawQuery)
                guard let match = router.match(method: request.method.rawValue, path: request.uri.path, query: query) else {
                    return Self.wire(wire.errorResponse(wire.unknownOperation(nil), requestID: requestID))
                }
                let json: WireJSON
                do { json = try JSONProtocol.parseBody(bodyBytes) } catch {
                    return Self.wire(wire.errorResponse(error, requestID: requestID))
                }
                var fields: [String: String] = [:]
                for (name, value) in headers { fields[name.lowercased()] = value }
                let bindings = HTTPBindings(labels: match.labels, query: query, headers: fields, body: json)
                return Self.wire(await service.handle(scoped, operation: match.operation.name, input: .restJSON(bindings),
                                                      caller: credential.caller, meta: meta(auth.region)))
            }
        } catch {
            let result = apiService.wireProtocol == wire ? service.errorResponse(apiService, error, meta("us-east-1"))
                : wire.errorResponse(WireError(code: error.code.rawValue, message: error.message, httpStatus: error.httpStatus,
                                               isSender: error.isSenderFault), requestID: requestID)
            logger.info("request refused", metadata: ["warden.request.id": "\(requestID)", "warden.error": "\(error.code.rawValue)"])
            return Self.wire(result)
        }
    }

    /// The routes of the REST-JSON services, by service.
    static let restRouters: [APIService: RESTRouter] = {
        var routers: [APIService: RESTRouter] = [:]
        for api in APIService.allCases where api.wireProtocol == .restJSON {
            if let d = api.descriptor { routers[api] = RESTRouter(operations: d.operations) }
        }
        return routers
    }()

    /// A query string's parameters with every value of a repeated name, in order, percent-decoded.
    static func multiValuedQuery(_ raw: String) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for item in raw.split(separator: "&") where !item.isEmpty {
            let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = WireFormat.percentDecode(String(kv[0]).replacingOccurrences(of: "+", with: " "))
            let value = kv.count > 1 ? WireFormat.percentDecode(String(kv[1]).replacingOccurrences(of: "+", with: " ")) : ""
            out[name, default: []].append(value)
        }
        return out
    }

    /// The AWS services whose REST protocol is XML (signing names).
    static let restXMLServices: Set<String> = ["s3", "s3-outposts", "s3control", "route53", "cloudfront"]

    /// The protocol a request is written in, before its signature names the service: JSON RPC when it has an
    /// `X-Amz-Target`, Query when it has an `Action`, REST-JSON for JSON bodies, else REST-XML (S3).
    static func guessProtocol(target: String?, params: QueryParameters, contentType: String) -> WireProtocol {
        if target != nil { return .json }
        if params.action != nil { return .query }
        if contentType.lowercased().hasPrefix("application/json") { return .restJSON }
        if contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") { return .query }
        return .restXML
    }

    /// A wire response as an HTTP response.
    static func wire(_ r: WireResponse) -> Response {
        var headers = HTTPFields()
        for (k, v) in r.headers.sorted(by: { $0.key < $1.key }) {
            if let name = HTTPField.Name(k) { headers.append(HTTPField(name: name, value: v)) }
        }
        return Response(status: .init(code: r.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: r.body)))
    }

    func code(_ e: SigV4Error) -> ServiceError.Code {
        ServiceError.Code(rawValue: e.code.rawValue) ?? .incompleteSignature
    }

    static func xml(_ status: Int, _ body: String, _ requestID: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/xml"
        headers[HTTPField.Name("x-amzn-RequestId")!] = requestID
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// The client's address and whether it reached Warden over TLS. Warden itself speaks plain HTTP, so both come
    /// from a trusted proxy's `X-Forwarded-For` (the right-most address that is not itself a trusted proxy) and
    /// `X-Forwarded-Proto`; from anyone else the headers are ignored.
    func clientFacts(_ request: Request, _ context: WardenRequestContext) -> (ip: String, secure: Bool) {
        let peer = Self.ip(context.remoteAddress)
        guard !trustedProxies.isEmpty, trustedProxies.contains(peer) else { return (peer, false) }
        var ip = peer
        if let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!] {
            for hop in forwarded.split(separator: ",").reversed() {
                let address = hop.trimmingCharacters(in: .whitespaces)
                guard !address.isEmpty else { continue }
                ip = address
                if !trustedProxies.contains(address) { break }
            }
        }
        let proto = request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.split(separator: ",").first?
            .trimmingCharacters(in: .whitespaces).lowercased()
        return (ip, proto == "https")
    }

    static func ip(_ address: SocketAddress?) -> String {
        address?.ipAddress ?? "127.0.0.1"
    }

    /// The payload hash of every request: SigV4's byte-level hex (String(format:) per byte cost a quarter of the
    /// server's CPU time under load).
    static func sha256Hex(_ bytes: [UInt8]) -> String {
        bytes.isEmpty ? SigV4.emptyPayloadSHA256 : SigV4.sha256Hex(bytes)
    }
}
