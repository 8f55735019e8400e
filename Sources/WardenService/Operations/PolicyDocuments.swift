import WardenCore
import WardenPolicy

/// Validation of policy documents as AWS does it: grammar and sizes through the policy engine.
enum PolicyDocuments {
    /// AWS's limits, in characters not counting whitespace.
    static let managedPolicyLimit = PolicySizeLimit.managedPolicy
    static let userInlineLimit = PolicySizeLimit.userInlineAggregate
    static let groupInlineLimit = PolicySizeLimit.groupInlineAggregate
    static let roleInlineLimit = PolicySizeLimit.roleInlineAggregate
    static let trustPolicyLimit = PolicySizeLimit.trustPolicy

    /// Parses a document for its use; throws `MalformedPolicyDocument` with AWS's message.
    /// Managed policies (CreatePolicy, CreatePolicyVersion) must be version 2012-10-17.
    @discardableResult
    static func validate(_ json: String, kind: PolicyKind, managed: Bool = false) throws -> PolicyDocument {
        do {
            return try PolicyDocument.parse(json, kind: kind, requireCurrentVersion: managed)
        } catch {
            if error.code == .sizeLimitExceeded { throw ServiceError(.limitExceeded, error.message) }
            throw ServiceError(.malformedPolicyDocument, error.message)
        }
    }

    /// The size AWS counts: characters other than whitespace.
    static func size(_ json: String) -> Int { PolicySizeLimit.countedSize(of: json) }
}
