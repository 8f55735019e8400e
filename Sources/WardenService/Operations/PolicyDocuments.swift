import WardenCore


/// Validation of policy documents as AWS does it: grammar through the policy engine, sizes without whitespace.
enum PolicyDocuments {
    /// AWS's limits, in characters not counting whitespace.
    static let managedPolicyLimit = 6144
    static let userInlineLimit = 2048
    static let groupInlineLimit = 5120
    static let roleInlineLimit = 10240
    static let trustPolicyLimit = 2048

    /// Parses a document for its use; throws `MalformedPolicyDocument` with AWS's message.
    @discardableResult
    static func validate(_ json: String, kind: PolicyKind) throws -> PolicyDocument {
        do {
            return try PolicyDocument.parse(json, kind: kind)
        } catch let error as PolicyDocument.Err {
            throw ServiceError(.malformedPolicyDocument, error.message)
        }
    }

    /// The size AWS counts: characters other than whitespace.
    static func size(_ json: String) -> Int {
        json.unicodeScalars.reduce(0) { $0 + ($1 == " " || $1 == "\n" || $1 == "\r" || $1 == "\t" ? 0 : 1) }
    }
}
