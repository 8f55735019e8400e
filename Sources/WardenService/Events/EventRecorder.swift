import Foundation
import Logging
import Synchronization
import WardenCore
import WardenStore
import WardenWire

/// The call-event stream. The dispatcher hands every finished call to `record` (a lock and an append); `drain`
/// — run by the server's `EventPump` every 100 ms, off the request path — turns the calls that no write stored
/// into audit entries, appends them in one transaction, and hands every event to the stream's readers.
///
/// A crash loses at most the calls recorded since the last drain, none of which changed state: a call that
/// changed state has its record stored in the same transaction as the change (`Call.write`).
public final class EventRecorder: Sendable {
    struct Pending: Sendable {
        let event: CallEvent
        let input: APIInput?
        let output: APIOutput?
        /// The record's text when a write stored it already (nil: the drain builds and stores it).
        let stored: String?
    }

    /// A reader of the stream: it sees every call once, in order, after it is recorded.
    public typealias Reader = @Sendable ([CallEvent]) -> Void
    /// A reader that also needs each call's CloudTrail record (alert rules match records' fields).
    public typealias RecordReader = @Sendable ([RecordedCall]) -> Void

    private let pending = Mutex<[Pending]>([])
    private let disabled = Atomic<Bool>(false)
    private let readers = Mutex<[Reader]>([])
    private let recordReaders = Mutex<[RecordReader]>([])
    /// The most calls kept waiting for a drain; beyond it the recorder drains inline (back-pressure), so memory
    /// stays bounded when the pump falls behind.
    static let maxPending = 50_000
    let logger: Logger

    init(logger: Logger) { self.logger = logger }

    /// Turns recording off: for `scripts/bench-server` only, to measure what recording costs. Nothing is
    /// recorded afterwards, not even in write transactions; the server logs this loudly.
    public func disableForBenchmark() { disabled.store(true, ordering: .relaxed) }

    /// Whether calls are recorded.
    public var isEnabled: Bool { !disabled.load(ordering: .relaxed) }

    /// Adds a reader of the stream.
    public func subscribe(_ reader: @escaping Reader) { readers.withLock { $0.append(reader) } }

    /// Adds a reader of the stream's calls with their records.
    public func subscribe(records reader: @escaping RecordReader) { recordReaders.withLock { $0.append(reader) } }

    /// Notes one finished call.
    func record(_ event: CallEvent, input: APIInput?, output: APIOutput?, stored: String?, store: StateStore) {
        guard isEnabled else { return }
        let count = pending.withLock { p -> Int in
            // Read-only calls have no responseElements: their output is not kept.
            p.append(Pending(event: event, input: input, output: event.readOnly ? nil : output, stored: stored))
            return p.count
        }
        if count >= Self.maxPending { drain(store) }
    }

    /// The audit entry of a call whose write stores it (inside the write's transaction).
    func entry(for call: Call, output: Any, state: AccountState) -> AuditEntry {
        let out: APIOutput? = if let x = output as? any XMLEncodable { .xml(x) } else if let j = output as? any JSONEncodable { .json(j) } else { nil }
        return AuditRecord.entry(call.event(errorCode: nil, errorMessage: nil), input: call.recording.input, output: out, state: state)
    }

    private let drainLock = NSLock()

    /// Stores the waiting calls' records and hands the calls to the readers. Returns how many calls it took.
    @discardableResult
    public func drain(_ store: StateStore) -> Int {
        // One drain at a time: a drain that found the list empty while another was still handing its batch to
        // the readers would return before they saw it, and a caller that drains to read its own earlier calls
        // (GenerateServiceLastAccessedDetails) would miss them.
        drainLock.lock()
        defer { drainLock.unlock() }
        let batch = pending.withLock { p -> [Pending] in let b = p; p.removeAll(keepingCapacity: true); return b }
        guard !batch.isEmpty else { return 0 }
        let snapshot = store.snapshot()
        var builder = AuditRecord()
        var entries: [AuditEntry] = []
        entries.reserveCapacity(batch.count)
        var events: [CallEvent] = []
        events.reserveCapacity(batch.count)
        let recordReaders = self.recordReaders.withLock { $0 }
        var recorded: [RecordedCall] = []
        if !recordReaders.isEmpty { recorded.reserveCapacity(batch.count) }
        batch.withUnsafeBufferPointer { calls in
            for i in calls.indices {
                let event = calls[i].event
                events.append(event)
                var record = calls[i].stored
                // A call that names no account (an unsigned federation call with a malformed role ARN) has no trail.
                if record == nil && !event.account.isEmpty {
                    let entry = builder.entry(event, input: calls[i].input, output: calls[i].output, state: snapshot.accounts[event.account])
                    record = entry.record
                    entries.append(entry)
                }
                if !recordReaders.isEmpty { recorded.append(RecordedCall(event: event, record: record)) }
            }
        }
        do {
            try store.auditLog.append(entries)
        } catch {
            logger.error("audit trail: could not store \(entries.count) records", metadata: ["error": "\(error)"])
        }
        for reader in readers.withLock({ $0 }) { reader(events) }
        if !recorded.isEmpty { for reader in recordReaders { reader(recorded) } }
        return batch.count
    }
}

/// A call of the stream with its CloudTrail record.
public struct RecordedCall: Sendable {
    public let event: CallEvent
    /// The record's JSON text; nil for a call that names no account, which has no trail.
    public let record: String?
}
