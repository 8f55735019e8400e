import Foundation
import WardenCore

/// AWS-style pagination: `MaxItems` (default 100) and an opaque `Marker` that names the key of the last item
/// returned, so inserts and deletes between pages neither repeat nor skip items.
// INVARIANT: items are returned in ascending `key` order and keys are unique; the marker relies on both,
// so `init` sorts by the key itself rather than trusting every caller to have sorted the same way.
struct Page<Item> {
    var items: [Item]
    var isTruncated: Bool
    var marker: String?

    init(_ items: [Item], key: (Item) -> String, marker: String?, maxItems: Int?) throws {
        let limit = maxItems ?? 100
        let all = items.map { (key($0), $0) }.sorted { $0.0 < $1.0 }
        var start = 0
        if let marker {
            guard let data = Data(base64Encoded: marker), let last = String(data: data, encoding: .utf8) else {
                throw ServiceError.invalidInput("Invalid Marker.")
            }
            start = all.partitionPoint { $0.0 > last }
        }
        let end = min(all.count, start + limit)
        self.items = all[start..<end].map(\.1)
        isTruncated = end < all.count
        self.marker = isTruncated ? Data(all[end - 1].0.utf8).base64EncodedString() : nil
    }
}

extension Array {
    /// The index of the first element for which `belongsToSecondPart` is true, in a collection partitioned so
    /// that all such elements come after all others (binary search).
    func partitionPoint(_ belongsToSecondPart: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if belongsToSecondPart(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
