import Foundation
import WardenCore

/// The AWS service namespaces the access advisor knows (from botocore's models, `scripts/gen-service-catalog.py`),
/// their full names, and the actions it tracks for the services where AWS reports action last accessed
/// information (IAM, EC2, Lambda and S3 management actions). Policies are expanded against it: `"Action": "*"`
/// grants every service listed here.
public struct ServiceCatalog: Sendable {
    /// Namespaces, sorted.
    public let namespaces: [String]
    /// Full names by namespace (`iam` → `AWS Identity and Access Management`).
    public let names: [String: String]
    /// Tracked action names by namespace, sorted.
    public let trackedActions: [String: [String]]
    /// Lowercased tracked action → its name, by namespace (policies match actions case-insensitively).
    let trackedByLowercase: [String: [String: String]]
    /// botocore operation → IAM action where they differ (S3's `ListObjectsV2` is `s3:ListBucket`), by namespace.
    let actionForOperation: [String: [String: String]]

    private struct File: Decodable {
        var services: [String: String]
        var trackedActions: [String: [String]]
        var actionForOperation: [String: [String: String]]
    }

    /// A catalogue from its parts (tests).
    public init(names: [String: String], trackedActions: [String: [String]], actionForOperation: [String: [String: String]] = [:]) {
        var lowered: [String: String] = [:]
        for (ns, name) in names { lowered[ns.lowercased()] = name }
        self.names = lowered
        self.namespaces = lowered.keys.sorted()
        self.trackedActions = Dictionary(uniqueKeysWithValues: trackedActions.map { ($0.key.lowercased(), $0.value.sorted()) })
        self.trackedByLowercase = trackedActions.reduce(into: [:]) { out, entry in
            out[entry.key.lowercased()] = Dictionary(entry.value.map { ($0.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        }
        self.actionForOperation = actionForOperation
    }

    /// The bundled catalogue, parsed once per process.
    public static func bundled() throws -> ServiceCatalog { try cached.get() }

    private static let cached: Result<ServiceCatalog, any Error> = Result {
        guard let url = Bundle.module.url(forResource: "service-catalog", withExtension: "json") else {
            throw ServiceError(.serviceFailure, "service-catalog.json is missing from the bundle")
        }
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
        return ServiceCatalog(names: file.services, trackedActions: file.trackedActions, actionForOperation: file.actionForOperation)
    }

    /// Whether AWS reports action last accessed information for the namespace.
    public func tracksActions(_ namespace: String) -> Bool { trackedActions[namespace] != nil }

    /// The tracked action a call of `operation` in `namespace` counts toward, or nil when the namespace's actions
    /// are not tracked or the operation is not a tracked (management) action.
    public func trackedAction(namespace: String, operation: String) -> String? {
        guard let byLowercase = trackedByLowercase[namespace] else { return nil }
        let action = actionForOperation[namespace]?[operation] ?? operation
        return byLowercase[action.lowercased()]
    }

    /// The namespaces a namespace pattern of a policy action (`s3`, `s3*`, `*`) names, lowercased.
    func namespaces(matching pattern: String) -> [String] {
        let p = pattern.lowercased()
        if !p.contains("*") && !p.contains("?") { return names[p] == nil ? [] : [p] }
        return namespaces.filter { Wildcard.matches(p, $0) }
    }

    /// The tracked actions of `namespace` an action pattern (`Get*`, lowercased) matches.
    func trackedActions(of namespace: String, matching pattern: String) -> [String] {
        guard let byLowercase = trackedByLowercase[namespace] else { return [] }
        if !pattern.contains("*") && !pattern.contains("?") { return byLowercase[pattern].map { [$0] } ?? [] }
        return byLowercase.compactMap { Wildcard.matches(pattern, $0.key) ? $0.value : nil }
    }
}
