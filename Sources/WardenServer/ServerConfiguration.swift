/// How a server is started (see CONTRACT.md).
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var dataDir: String
    /// The process environment (`WARDEN_*` settings for bootstrap and the master key).
    public var environment: [String: String]
    /// Proxies (addresses or CIDR blocks) whose `X-Forwarded-For` and `X-Forwarded-Proto` headers are believed:
    /// behind a TLS-terminating proxy they give `aws:SourceIp` and `aws:SecureTransport` their true values.
    public var trustedProxies: [String]

    public init(host: String = "127.0.0.1", port: Int = 8080, dataDir: String = "./warden-data", environment: [String: String] = [:],
                trustedProxies: [String] = []) {
        self.host = host; self.port = port; self.dataDir = dataDir; self.environment = environment
        self.trustedProxies = trustedProxies
    }
}
