/// A tag on an IAM entity. Keys are unique per entity, case-insensitively, as in AWS.
public struct EntityTag: Sendable, Codable, Equatable, Hashable {
    public var key: String
    public var value: String
    public init(key: String, value: String) { self.key = key; self.value = value }
}

extension Array where Element == EntityTag {
    /// Adds or replaces tags (a key that differs only in case replaces the existing one, keeping the new case).
    public mutating func merge(_ tags: [EntityTag]) {
        for t in tags {
            if let i = firstIndex(where: { $0.key.lowercased() == t.key.lowercased() }) { self[i] = t } else { append(t) }
        }
    }

    /// Removes tags by key, case-insensitively.
    public mutating func remove(keys: [String]) {
        let lower = Set(keys.map { $0.lowercased() })
        removeAll { lower.contains($0.key.lowercased()) }
    }
}
