import AsyncHTTPClient
import Foundation
import Logging
import WardenWire

/// A client of Warden's own security API (`WardenSecurity_20261201`, JSON 1.1, signed for service `warden`).
///
/// Use it inside `withClient`, which owns the HTTP client and shuts it down when the body returns or throws.
/// Each call signs one request, sends it with a 10 s connect timeout and a 120 s limit on the whole exchange,
/// and decodes the response or the AWS error it carries.
public struct WardenSecurityClient: Sendable {
    /// The most of a response body read; Warden's answers are far smaller.
    public static let maxResponseBytes = 16 << 20
    /// How long connecting may take.
    public static let connectTimeoutSeconds: Int64 = 10
    /// How long one whole call may take, from connecting to the last byte of the body.
    public static let requestTimeoutSeconds: Int64 = 120
    /// The most pages a `listAll…` call follows, so that a server repeating tokens cannot loop forever.
    public static let maxPages = 10_000

    /// Where and as whom calls are made.
    public let configuration: ClientConfiguration
    let http: HTTPClient
    let logger: Logger

    /// Runs `body` with a client over a new HTTP client, shut down when `body` returns or throws.
    public static func withClient<Result>(
        _ configuration: ClientConfiguration, logger: Logger = Logger(label: "warden.client", factory: { _ in SwiftLogNoOpLogHandler() }),
        isolation: isolated (any Actor)? = #isolation,
        _ body: (WardenSecurityClient) async throws -> Result
    ) async throws -> Result {
        var http = HTTPClient.Configuration(
            redirectConfiguration: .disallow,  // a signed POST must not be replayed to another host
            timeout: .init(connect: .seconds(connectTimeoutSeconds), read: .seconds(requestTimeoutSeconds)))
        // AsyncHTTPClient otherwise retries a refused connection until the connect timeout: a command
        // pointed at a server that is down should say so at once, as the AWS CLI does.
        http.connectionPool.retryConnectionEstablishment = false
        return try await HTTPClient.withHTTPClient(configuration: http, isolation: isolation) { client in
            try await body(WardenSecurityClient(configuration: configuration, http: client, logger: logger))
        }
    }

    /// `GetSecurityStatus`: the IAM dashboard's five items.
    public func getSecurityStatus() async throws(WardenClientError) -> SecurityChecksReport {
        try SecurityChecksReport(wireJSON: await call("GetSecurityStatus"))
    }

    /// `GetSecurityChecks`: every check, or only `checkIDs` when given.
    public func getSecurityChecks(checkIDs: [String]? = nil) async throws(WardenClientError) -> SecurityChecksReport {
        var input: [WireJSON.Member] = []
        if let checkIDs { input.append(.init("CheckIds", .array(checkIDs.map(WireJSON.string)))) }
        return try SecurityChecksReport(wireJSON: await call("GetSecurityChecks", input: .object(input)))
    }

    /// `ListAlerts`: one page.
    public func listAlerts(maxResults: Int? = nil, nextToken: String? = nil) async throws(WardenClientError) -> ListPage<SecurityAlert> {
        try ListPage(wireJSON: await call("ListAlerts", input: Self.pageInput(maxResults, nextToken)),
                     member: "Alerts", shape: "ListAlertsResponse")
    }

    /// `ListAlerts`, following `NextToken` to the last page.
    public func listAllAlerts(pageSize: Int? = nil) async throws(WardenClientError) -> [SecurityAlert] {
        try await Self.collectPages { token throws(WardenClientError) in try await listAlerts(maxResults: pageSize, nextToken: token) }
    }

    /// `RunRemediations`: runs the enabled remediations, or with `dryRun` reports what they would do.
    public func runRemediations(dryRun: Bool) async throws(WardenClientError) -> [Remediation] {
        let output = try await call("RunRemediations", input: .object([.init("DryRun", .bool(dryRun))]))
        return try ShapeReader(output, shape: "RunRemediationsResponse").list("Remediations", of: Remediation.self, required: true)
    }

    /// `ListRemediations`: one page.
    public func listRemediations(maxResults: Int? = nil, nextToken: String? = nil) async throws(WardenClientError) -> ListPage<Remediation> {
        try ListPage(wireJSON: await call("ListRemediations", input: Self.pageInput(maxResults, nextToken)),
                     member: "Remediations", shape: "ListRemediationsResponse")
    }

    /// `ListRemediations`, following `NextToken` to the last page.
    public func listAllRemediations(pageSize: Int? = nil) async throws(WardenClientError) -> [Remediation] {
        try await Self.collectPages { token throws(WardenClientError) in try await listRemediations(maxResults: pageSize, nextToken: token) }
    }

    /// Calls any operation of the API with a JSON input and returns its JSON output.
    public func call(_ operation: String, input: WireJSON = .object([])) async throws(WardenClientError) -> WireJSON {
        let signed = JSONRPCRequest(operation: operation, input: input, configuration: configuration)
        var request = HTTPClientRequest(url: signed.url)
        request.method = .POST
        for h in signed.headers { request.headers.add(name: h.name, value: h.value) }
        request.body = .bytes(signed.body)
        logger.debug("calling", metadata: ["operation": "\(operation)", "endpoint": "\(configuration.endpoint)", "region": "\(configuration.region)"])
        let (status, headers, body) = try await send(request, url: signed.url)
        logger.debug("answered", metadata: [
            "operation": "\(operation)", "status": "\(status)",
            "requestId": "\(headers.first { $0.name.lowercased() == "x-amzn-requestid" }?.value ?? "-")",
        ])
        return try JSONRPCResponse.decode(status: status, headers: headers, body: body)
    }

    /// Sends the request and reads the whole body, all within `requestTimeoutSeconds` (AsyncHTTPClient's deadline
    /// ends at the response head, so the body is raced against a timer too).
    func send(_ request: HTTPClientRequest, url: String) async throws(WardenClientError) -> (Int, [(name: String, value: String)], [UInt8]) {
        let http = self.http
        let limit = Self.requestTimeoutSeconds
        do {
            return try await withThrowingTaskGroup(of: Exchange?.self) { group in
                group.addTask {
                    let response = try await http.execute(request, timeout: .seconds(limit))
                    var body: [UInt8] = []
                    for try await chunk in response.body {
                        guard body.count + chunk.readableBytes <= Self.maxResponseBytes else {
                            throw WardenClientError.malformed("The response from `\(url)` is larger than \(Self.maxResponseBytes) bytes.")
                        }
                        body += chunk.readableBytesView
                    }
                    return Exchange(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: body)
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(limit))
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                guard let first else { throw HTTPClientError.deadlineExceeded }
                return (first.status, first.headers, first.body)
            }
        } catch {
            throw Self.transportError(error, url: url)
        }
    }

    /// What came back, in a form that crosses task boundaries.
    struct Exchange: Sendable {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]
    }

    /// A transport failure as botocore words it, naming the URL (never a header).
    static func transportError(_ error: any Error, url: String) -> WardenClientError {
        if let e = error as? WardenClientError { return e }
        if let e = error as? HTTPClientError {
            switch e {
            case .deadlineExceeded, .readTimeout:
                return WardenClientError(kind: .transport, code: "ReadTimeoutError",
                                         message: "The request to `\(url)` did not finish within \(requestTimeoutSeconds) seconds.")
            case .connectTimeout:
                return WardenClientError(kind: .transport, code: "ConnectTimeoutError",
                                         message: "Connecting to `\(url)` took longer than \(connectTimeoutSeconds) seconds.")
            default: break
            }
        }
        return WardenClientError(kind: .transport, code: "EndpointConnectionError",
                                 message: "Could not connect to the endpoint URL `\(url)`: \(error)")
    }

    /// `MaxResults` and `NextToken` when given.
    static func pageInput(_ maxResults: Int?, _ nextToken: String?) -> WireJSON {
        var members: [WireJSON.Member] = []
        if let maxResults { members.append(.init("MaxResults", .int(maxResults))) }
        if let nextToken { members.append(.init("NextToken", .string(nextToken))) }
        return .object(members)
    }

    /// Every item of every page, stopping at the first page without a token (or at a token seen before).
    static func collectPages<Item>(_ page: (String?) async throws(WardenClientError) -> ListPage<Item>) async throws(WardenClientError) -> [Item] {
        var items: [Item] = []
        var token: String?
        var seen: Set<String> = []
        for _ in 0..<maxPages {
            let p = try await page(token)
            items += p.items
            guard let next = p.nextToken, seen.insert(next).inserted else { return items }
            token = next
        }
        throw .malformed("The server returned more than \(maxPages) pages.")
    }
}
