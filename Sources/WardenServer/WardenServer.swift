import Crypto
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import WardenCore
import WardenPolicy
import WardenService
import WardenStore
import WardenStoreSQLite

/// The HTTP server: opens the store in the data directory, bootstraps the account, serves the APIs and runs
/// background services until SIGTERM/SIGINT.
public enum WardenServer {
    /// Builds everything and runs until a shutdown signal.
    public static func run(_ config: ServerConfiguration, logger: Logger) async throws {
        try FileManager.default.createDirectory(atPath: config.dataDir, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let service = try openService(config, logger: logger)
        let outcome = try Bootstrap(dataDir: config.dataDir, environment: config.environment).run(service)
        if let path = outcome.adminCredentialsPath {
            logger.notice("created the admin user; its access key is in \(path) (profile `warden`)")
            print("Warden: created IAM user `admin` with AdministratorAccess; credentials written to \(path) (profile warden)")
        }
        logger.info("account ready", metadata: ["warden.account": "\(outcome.accountID)"])

        guard let proxies = IPNetworkSet(config.trustedProxies) else {
            throw ServiceError(.invalidInput, "--trusted-proxies must list IP addresses or CIDR blocks, got \(config.trustedProxies.joined(separator: ","))")
        }
        let responder = APIResponder(service: service, logger: logger, trustedProxies: proxies)
        let router = Router(context: WardenRequestContext.self)
        // A shifted clock shows on the health check too, so that no one mistakes a test server for a real one.
        let health = (service.clock as? OffsetClock).map { "ok (testing clock offset \($0.offset) s)" } ?? "ok"
        router.get("/healthz") { _, _ in health }
        // The security checks as Prometheus metrics, only when a bearer token is configured: they tell which
        // weaknesses each account has, which no one without the token may learn.
        if let token = config.environment["WARDEN_METRICS_TOKEN"], !token.isEmpty {
            let expected = Array(SHA256.hash(data: Array(token.utf8)))
            router.get("/metrics") { request, _ -> Response in
                let given = request.headers[.authorization].map { Array(SHA256.hash(data: Array($0.utf8.dropFirst("Bearer ".utf8.count)))) } ?? []
                guard request.headers[.authorization]?.hasPrefix("Bearer ") == true, ConstantTime.equal(given, expected) else {
                    return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"])
                }
                let text = SecurityMetrics.text(service)
                return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(string: text)))
            }
        }
        router.post("/") { request, context in try await responder.respond(request, context) }
        router.get("/") { request, context in try await responder.respond(request, context) }
        // The Query API answers on any path, as AWS's endpoints do (the path is part of the signature): Warden
        // then works behind a proxy that forwards a path prefix, and a stray path gets an AWS error, not a 404.
        router.post("**") { request, context in try await responder.respond(request, context) }
        router.get("**") { request, context in try await responder.respond(request, context) }
        // The S3 view answers HEAD (HeadObject, HeadBucket); REST-JSON services (Access Analyzer) use PUT and DELETE.
        router.head("**") { request, context in try await responder.respond(request, context) }
        router.put("**") { request, context in try await responder.respond(request, context) }
        router.delete("**") { request, context in try await responder.respond(request, context) }
        router.patch("**") { request, context in try await responder.respond(request, context) }
        WorkloadRoutes(responder: responder).register(router)
        SignInRoutes(responder: responder).register(router)

        let app = Application(
            router: router,
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: "Warden"),
            logger: logger)
        let flusher = UsageFlusher(service: service)
        let auditFiles = try AuditFiles(dataDir: config.dataDir, now: service.clock.now(), logger: logger)
        service.attach(auditArchive: auditFiles)
        // Every account's bucket exists from the start, as DescribeTrails names it, even before its first file.
        for account in service.store.snapshot().accounts.keys {
            try? FileManager.default.createDirectory(atPath: "\(auditFiles.root)/AWSLogs/\(account)", withIntermediateDirectories: true)
        }
        if config.environment["WARDEN_BENCH_DISABLE_AUDIT"] == "1" {
            service.events.disableForBenchmark()
            logger.warning("WARDEN_BENCH_DISABLE_AUDIT=1: THE AUDIT TRAIL IS OFF; no call is recorded (benchmarking only)")
            print("Warden: WARNING: audit recording is OFF (WARDEN_BENCH_DISABLE_AUDIT=1, for benchmarks only)")
        }
        let delivery = AuditDelivery(service: service, files: auditFiles, deliveryInterval: config.auditDeliverySeconds,
                                     digestInterval: config.auditDigestSeconds, retentionDays: config.auditRetentionDays, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: app), .init(service: flusher), .init(service: EventPump(service: service)),
                       .init(service: delivery), .init(service: AlertWebhooks(service: service, logger: logger)),
                       .init(service: AccessAnalysisWorker(service: service)),
                       // Without enabled remediations the scheduler has nothing to do and returns at once.
                       .init(service: RemediationScheduler(service: service, logger: logger), successTerminationBehavior: .ignore)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        service.events.drain(service.store)
        service.usage.flush(to: service.store)
        service.accessAdvisor.flush(to: service.store)
        delivery.deliverAll(now: service.clock.now())
    }

    /// Opens the store and the service for a data directory.
    public static func openService(_ config: ServerConfiguration, logger: Logger) throws -> WardenService {
        let backend = try SQLiteBackend(path: config.dataDir + "/warden.db")
        let store = try StateStore(backend: backend)
        let hasData = !store.snapshot().accounts.isEmpty
        let secrets = SecretBox(masterKey: try SecretBox.loadMasterKey(dataDir: config.dataDir, environment: config.environment, mayCreate: !hasData))
        if let check = try store.setting("master-key-check") {
            guard secrets.matches(checkValue: check) else {
                throw ServiceError(.serviceFailure, "the master key is not the one the data in \(config.dataDir) was encrypted with; restore \(config.dataDir)/master.key or the right WARDEN_MASTER_KEY")
            }
        } else {
            try store.setSetting("master-key-check", secrets.checkValue())
        }
        var clock: any WallClock = SystemClock()
        if let offset = try config.testingClockOffset() {
            clock = OffsetClock(offset: offset)
            logger.warning("WARDEN_TESTING_CLOCK_OFFSET_SECONDS=\(offset): THE SERVER'S CLOCK IS SHIFTED (testing only)")
        }
        let security: SecuritySettings
        do { security = try SecuritySettings(environment: config.environment) } catch { throw ConfigurationError("\(error)") }
        return try WardenService(store: store, secrets: secrets, clock: clock, logger: logger, auditRetentionDays: config.auditRetentionDays,
                                 securitySettings: security, alerts: try config.alertsConfiguration())
    }
}

/// Writes access-key "last used" facts to the store every few seconds, off the request path.
struct UsageFlusher: Service {
    let service: WardenService
    func run() async throws {
        while !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(2)) }
            } catch {
                break
            }
            service.usage.flush(to: service.store)
            service.accessAdvisor.flush(to: service.store)
        }
    }
}
