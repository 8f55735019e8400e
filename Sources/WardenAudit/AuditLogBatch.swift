import Foundation

/// The log files of one delivery, built record by record: one body per (account, region), each the bytes of
/// `{"Records":[…]}` with the records embedded verbatim, in the order given.
///
/// Delivery reads every record of the trail once; building the files' bytes straight from the stored records,
/// without a string per record or a join, keeps that read cheap next to the calls it records (docs/audit.md).
public struct AuditLogBatch: Sendable {
    struct File: Sendable {
        var body: [UInt8] = Array(#"{"Records":["#.utf8)
        var records = 0
        var oldest = Date.distantFuture
        var newest = Date.distantPast
    }
    private(set) var order: [AuditChainID] = []
    private(set) var files: [AuditChainID: File] = [:]
    /// The chain of the previous record, which the next one most often shares.
    private var last: AuditChainID?

    /// An empty batch.
    public init() {}

    /// Whether no record was added.
    public var isEmpty: Bool { order.isEmpty }

    /// Adds a record (a JSON object, embedded as given). Returns false, adding nothing, when the account or region
    /// cannot name a chain.
    @discardableResult
    public mutating func append(accountID: String, region: String, eventTime: Date, json: UnsafeRawBufferPointer) -> Bool {
        let id: AuditChainID
        if let last, last.accountID == accountID, last.region == region {
            id = last
        } else {
            id = AuditChainID(accountID: accountID, region: region)
            if files[id] == nil {
                guard AuditChainID.isValid(account: accountID, region: region) else { return false }
                order.append(id)
                files[id] = File()
            }
            last = id
        }
        let time = AuditTime.truncatedToSecond(eventTime)
        files[id]!.add(json, time: time)
        return true
    }

    /// Adds a record given as text.
    @discardableResult
    public mutating func append(_ record: AuditRecord) -> Bool {
        var json = record.json
        return json.withUTF8 { append(accountID: record.accountID, region: record.region, eventTime: record.eventTime, json: UnsafeRawBufferPointer($0)) }
    }
}

extension AuditLogBatch.File {
    mutating func add(_ json: UnsafeRawBufferPointer, time: Date) {
        if records > 0 { body.append(UInt8(ascii: ",")) }
        body.append(contentsOf: json)
        records += 1
        if time < oldest { oldest = time }
        if time > newest { newest = time }
    }

    /// The finished body.
    var finished: [UInt8] { body + Array("]}".utf8) }
}
