import Foundation
import WardenCore

/// AWS-style pagination over a sorted list: `MaxItems` (default 100) and an opaque `Marker` that names
/// the last item returned, so inserts and deletes between pages neither repeat nor skip items.
struct Page<Item> {
    var items: [Item]
    var isTruncated: Bool
    var marker: String?

    init(_ all: [Item], key: (Item) -> String, marker: String?, maxItems: Int?) throws {
        let limit = maxItems ?? 100
        var start = 0
        if let marker {
            guard let data = Data(base64Encoded: marker), let last = String(data: data, encoding: .utf8) else {
                throw ServiceError.invalidInput("Invalid Marker.")
            }
            start = all.firstIndex { key($0) > last } ?? all.count
        }
        let end = min(all.count, start + limit)
        items = Array(all[start..<end])
        isTruncated = end < all.count
        self.marker = isTruncated ? Data(key(all[end - 1]).utf8).base64EncodedString() : nil
    }
}
