import Foundation
import WardenSigV4
import WardenWire

/// One signed JSON 1.1 request, built without any I/O so that tests can verify it: `POST` to the endpoint's
/// path with `X-Amz-Target: WardenSecurity_20261201.<Operation>`, `Content-Type: application/x-amz-json-1.1`
/// and a SigV4 signature for service `warden` in the configured region.
public struct JSONRPCRequest: Sendable, CustomStringConvertible {
    /// The model's `targetPrefix`.
    public static let targetPrefix = "WardenSecurity_20261201"
    /// The model's `signingName`.
    public static let signingName = "warden"
    /// Sent but not signed (botocore never signs `User-Agent`).
    public static let userAgent = "warden-cli/0.1.0"

    /// Always `POST`.
    public var method: String
    /// The URL to send to.
    public var url: String
    /// The path as signed.
    public var path: String
    /// Every header to send, `Host` and the signature's among them.
    public var headers: [(name: String, value: String)]
    /// The JSON body.
    public var body: [UInt8]

    /// Builds and signs a request for `operation` with `input` as its body, at time `date`.
    public init(operation: String, input: WireJSON, configuration: ClientConfiguration, date: Date = Date()) {
        let endpoint = configuration.endpoint
        let body = input.jsonBytes
        let unsigned: [(name: String, value: String)] = [
            ("Host", endpoint.hostHeader),
            ("Content-Type", JSONProtocol.contentType),
            ("X-Amz-Target", "\(Self.targetPrefix).\(operation)"),
        ]
        let credentials = configuration.credentials
        let signer = SigV4Signer(
            accessKeyID: credentials.accessKeyID, secret: credentials.secretAccessKey.value, region: configuration.region,
            service: Self.signingName, sessionToken: credentials.sessionToken?.value)
        let added = signer.authorizationHeaders(method: "POST", path: endpoint.requestPath, query: "", headers: unsigned, body: body, date: date)
        self.method = "POST"
        self.url = endpoint.requestURL
        self.path = endpoint.requestPath
        self.headers = unsigned + added + [("User-Agent", Self.userAgent)]
        self.body = body
    }

    /// Method, URL and headers with the session token redacted (the signature is not a secret: it is valid for
    /// this one request for 15 minutes, and it is in every server's access log anyway).
    public var description: String {
        let shown = headers.map { h in
            h.name.lowercased() == "x-amz-security-token" ? "\(h.name): <redacted>" : "\(h.name): \(h.value)"
        }
        return "\(method) \(url) [\(shown.joined(separator: ", "))] \(body.count) bytes"
    }

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
