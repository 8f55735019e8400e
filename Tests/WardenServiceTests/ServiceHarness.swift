import Foundation
import Logging
import Synchronization
import WardenCore
import WardenService
import WardenStore
import WardenWire

/// A service over an in-memory store with a root caller, and the log lines it wrote.
struct ServiceHarness {
    let service: WardenService
    let logs: LogCapture
    static let account = "123456789012"

    init() throws {
        let logs = LogCapture()
        let logger = Logger(label: "test") { _ in logs.handler() }
        let store = try StateStore(backend: MemoryBackend())
        service = try WardenService(store: store, secrets: SecretBox(masterKey: SecretBox.generateMasterKey()), logger: logger)
        self.logs = logs
        _ = try Bootstrap(dataDir: NSTemporaryDirectory(), environment: [
            "WARDEN_ACCOUNT_ID": Self.account, "WARDEN_ROOT_ACCESS_KEY_ID": "AKIAHARNESSROOT00001",
            "WARDEN_ROOT_SECRET_ACCESS_KEY": "harnessRootSecret00000000000000000000000",
        ]).run(service)
    }

    /// Runs an action as the root user (or another caller) and returns the response.
    func call(_ action: String, _ params: [String: String] = [:], api: APIService = .iam, as caller: Caller? = nil) async -> WardenService.Response {
        var p = params
        p["Action"] = action
        p["Version"] = api == .iam ? IAM.version : STS.version
        let meta = RequestMeta(requestID: UUID().uuidString, sourceIP: "127.0.0.1", userAgent: "test", secureTransport: false,
                               region: "us-east-1", time: Date())
        return await service.handle(api, params: QueryParameters(p), caller: caller ?? Caller(principal: .root(Self.account), accessKeyID: "AKIAHARNESSROOT00001"), meta: meta)
    }

    /// The caller of an access key, as authentication would establish it.
    func caller(accessKeyID: String) throws -> Caller {
        try service.credential(accessKeyID: accessKeyID, sessionToken: nil).caller
    }
}

/// Collects every log line (message and metadata) in memory.
final class LogCapture: Sendable {
    let lines = Mutex<[String]>([])
    func handler() -> CapturingHandler { CapturingHandler(capture: self) }
    var text: String { lines.withLock { $0.joined(separator: "\n") } }
}

struct CapturingHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        let all = self.metadata.merging(metadata ?? [:]) { $1 }
        capture.lines.withLock { $0.append("\(level) \(message) \(all)") }
    }
}

/// The text of an XML element in a response body.
func xmlValue(_ body: String, _ element: String) -> String? {
    guard let open = body.range(of: "<\(element)>"), let close = body.range(of: "</\(element)>", range: open.upperBound..<body.endIndex) else { return nil }
    return String(body[open.upperBound..<close.lowerBound])
}
