/// A Warden server's address as given by `--endpoint-url`, `AWS_ENDPOINT_URL(_WARDEN)` or `endpoint_url`:
/// `http` or `https`, a host, an optional port and an optional base path. Parsed by hand so that the `Host`
/// header the request is signed with is exactly the one sent (IPv6 in brackets, the port only when it is
/// not the scheme's default, as botocore and AsyncHTTPClient write it).
public struct ServiceEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// `http` or `https`.
    public var scheme: String
    /// The host name or address; IPv6 addresses keep their brackets.
    public var host: String
    /// The port when one was written.
    public var port: Int?
    /// The path before the operation's `/`, without a trailing slash (`""` for none).
    public var basePath: String

    /// Parses and checks an endpoint URL.
    public init(parsing text: String) throws(ClientConfigurationError) {
        let invalid = ClientConfigurationError(
            .invalidEndpoint, "Invalid endpoint `\(text)`: expected http://HOST[:PORT][/PATH] or https://HOST[:PORT][/PATH].")
        let trimmed = String(text.trimmingASCIISpaces())
        guard let schemeEnd = trimmed.range(of: "://") else { throw invalid }
        let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { throw invalid }
        var rest = trimmed[schemeEnd.upperBound...]
        if rest.contains("?") || rest.contains("#") { throw invalid }
        let authority: Substring
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            rest = rest[slash...]
        } else {
            authority = rest
            rest = ""
        }
        // Credentials in the URL would be sent nowhere useful and could end up in messages.
        if authority.contains("@") || authority.isEmpty { throw invalid }
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw invalid }
            host = authority[...close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw invalid }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty, host != "[]", !host.contains(where: { $0 == " " || $0 == "\t" }) else { throw invalid }
        var port: Int?
        if let portText {
            guard let p = Int(portText), (1...65535).contains(p), portText.allSatisfy(\.isASCII) else { throw invalid }
            port = p
        }
        var path = String(rest)
        while path.hasSuffix("/") { path.removeLast() }
        self.scheme = scheme
        self.host = String(host)
        self.port = port
        self.basePath = path
    }

    /// The `Host` header: the host, and the port unless it is the scheme's default.
    public var hostHeader: String {
        guard let port, port != (scheme == "https" ? 443 : 80) else { return host }
        return "\(host):\(port)"
    }

    /// The path JSON 1.1 requests are sent to: the base path and `/`.
    public var requestPath: String { basePath + "/" }

    /// The URL requests are sent to.
    public var requestURL: String { "\(scheme)://\(hostHeader)\(requestPath)" }

    /// The endpoint as a URL without the trailing `/`.
    public var description: String { "\(scheme)://\(hostHeader)\(basePath)" }
}
