import WardenCore
import WardenWire

/// AWS's rules for tags on IAM entities: at most 50, keys unique case-insensitively, no `aws:` prefix.
enum Tagging {
    static func validate(_ tags: [IAM.Tag]?, existing: [EntityTag] = []) throws -> [EntityTag] {
        guard let tags else { return [] }
        var seen = Set<String>()
        for t in tags {
            guard seen.insert(t.key.lowercased()).inserted else {
                throw ServiceError.invalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
            }
            if t.key.lowercased().hasPrefix("aws:") {
                throw ServiceError.invalidInput("User-defined tag keys can't start with \"aws:\". This prefix is reserved for AWS tags.")
            }
        }
        var merged = existing
        merged.merge(tags.entityTags)
        if merged.count > 50 { throw ServiceError.limitExceeded("The number of tags has reached the maximum limit.") }
        return tags.entityTags
    }
}
