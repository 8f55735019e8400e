/// A keyed collection of records of one kind that remembers which keys a transaction changed, so that
/// the store persists exactly those rows.
public struct Table<Record: Codable & Sendable>: Sendable {
    /// The records by key.
    public private(set) var rows: [String: Record] = [:]
    /// Keys written or removed since the last commit.
    public private(set) var dirty: Set<String> = []

    public init() {}

    /// Reads or writes a record; writing (or removing with nil) marks the key for persistence.
    public subscript(key: String) -> Record? {
        get { rows[key] }
        set {
            rows[key] = newValue
            dirty.insert(key)
        }
    }

    /// All records, in no particular order.
    public var values: Dictionary<String, Record>.Values { rows.values }
    /// How many records there are.
    public var count: Int { rows.count }

    /// Loads a record without marking it dirty (used when reading the store at start).
    public mutating func load(_ key: String, _ record: Record) { rows[key] = record }
    /// Forgets the change marks after a commit.
    public mutating func clearDirty() { dirty.removeAll(keepingCapacity: true) }
}
