import WardenService

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
    /// The alerts configuration file (`--alerts-config`; else `WARDEN_ALERTS_CONFIG`).
    public var alertsConfigFile: String?

    /// Seconds between audit log file deliveries (`WARDEN_AUDIT_DELIVERY_SECONDS`, default 300).
    public var auditDeliverySeconds: Double { Self.seconds(environment["WARDEN_AUDIT_DELIVERY_SECONDS"], default: 300) }
    /// Seconds between digest files (`WARDEN_AUDIT_DIGEST_SECONDS`, default 3600).
    public var auditDigestSeconds: Double { Self.seconds(environment["WARDEN_AUDIT_DIGEST_SECONDS"], default: 3600) }
    /// Days audit records and files are kept (`WARDEN_AUDIT_RETENTION_DAYS`, default 90).
    public var auditRetentionDays: Int {
        Int(environment["WARDEN_AUDIT_RETENTION_DAYS"] ?? "").flatMap { $0 >= 1 ? $0 : nil } ?? 90
    }

    /// The testing-only clock offset in seconds (`WARDEN_TESTING_CLOCK_OFFSET_SECONDS`, may be negative): nil
    /// when unset. A value that is not a finite number, or more than ten years either way, is refused at start.
    public func testingClockOffset() throws -> Double? {
        guard let raw = environment["WARDEN_TESTING_CLOCK_OFFSET_SECONDS"], !raw.isEmpty else { return nil }
        guard let v = Double(raw), v.isFinite, abs(v) <= 10 * 365 * 86_400 else {
            throw ConfigurationError("WARDEN_TESTING_CLOCK_OFFSET_SECONDS must be a number of seconds within ten years, not \(raw)")
        }
        return v
    }

    /// Alert rules and sinks: `WARDEN_ALERT_WEBHOOK_URL` and the alerts configuration file. Refused at start if unusable.
    public func alertsConfiguration() throws -> AlertsConfiguration {
        do { return try AlertsConfiguration(environment: environment, file: alertsConfigFile) } catch { throw ConfigurationError("\(error)") }
    }

    static func seconds(_ value: String?, default d: Double) -> Double {
        guard let v = value.flatMap(Double.init), v >= 1, v <= 86_400 else { return d }
        return v
    }

    public init(host: String = "127.0.0.1", port: Int = 8080, dataDir: String = "./warden-data", environment: [String: String] = [:],
                trustedProxies: [String] = [], alertsConfigFile: String? = nil) {
        self.host = host; self.port = port; self.dataDir = dataDir; self.environment = environment
        self.trustedProxies = trustedProxies
        self.alertsConfigFile = alertsConfigFile
    }
}

/// A setting the server cannot start with.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
