// TEMPORARY (not committed): stands in for the reasoning library until its branch merges.
public struct ExternalAccess: Sendable, Equatable {
    public var principal: [String: String]
    public var actions: [String]
    public var condition: [String: String]
    public var isPublic: Bool
}
public enum ExternalAccessAnalysis {
    public static func analyze(policy: String, account: String, organizationID: String?) throws -> [ExternalAccess] { [] }
}
