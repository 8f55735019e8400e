import Foundation

/// The S3 user metadata of an object, kept in a hidden file beside it (`.<name>.metadata.json`) since a
/// plain file has no place for it. Digests carry `signature` and `signature-algorithm` there, which
/// the S3 view returns as `x-amz-meta-signature` and `x-amz-meta-signature-algorithm`.
struct ObjectSidecar: Codable, Equatable {
    /// Metadata names (without `x-amz-meta-`, lowercase) and values.
    var metadata: [String: String]

    func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }

    static func decode(_ data: Data) -> ObjectSidecar? {
        try? JSONDecoder().decode(ObjectSidecar.self, from: data)
    }
}
