import Foundation
import WardenWire

/// The remediations Warden may apply on its own, from the `remediation` section of the alerts configuration file.
/// Every one is off unless enabled, and each has a dry run that only reports:
///
///     "remediation": {
///       "intervalSeconds": 3600,
///       "deactivate-unused-keys": {"enabled": true, "days": 90},
///       "deactivate-old-keys": {"enabled": true, "dryRun": true, "days": 90, "noticeDays": 7},
///       "delete-unused-login-profiles": {"enabled": true, "days": 90},
///       "detach-denied-policies": {"enabled": true, "policies": ["arn:aws:iam::aws:policy/AWSCloudShellFullAccess"]},
///       "require-mfa": {"enabled": true}
///     }
public struct RemediationConfiguration: Sendable, Equatable {
    /// What Warden can do.
    public enum Action: String, Sendable, CaseIterable {
        case deactivateUnusedKeys = "deactivate-unused-keys"
        case deactivateOldKeys = "deactivate-old-keys"
        case deleteUnusedLoginProfiles = "delete-unused-login-profiles"
        case detachDeniedPolicies = "detach-denied-policies"
        case requireMFA = "require-mfa"
    }

    /// One remediation's settings.
    public struct Setting: Sendable, Equatable {
        /// Report what it would do and change nothing.
        public var dryRun = false
        /// Days unused (or, for old keys, of age) before it acts.
        public var days = 90
        /// For old keys: days between the notice and the deactivation.
        public var noticeDays = 7
        /// For denied policies: the managed policy ARNs that must not be attached.
        public var policies: [String] = []
    }

    /// Seconds between scheduled runs.
    public var intervalSeconds: Double = 3600
    /// The enabled remediations.
    public var enabled: [Action: Setting] = [:]

    /// None enabled.
    public init() {}

    /// Reads the `remediation` section.
    init(_ json: WireJSON, path: String) throws(AlertsConfigurationError) {
        guard let members = json.objectValue else { throw AlertsConfigurationError("`\(path)`: remediation must be an object") }
        for m in members {
            if m.key == "intervalSeconds" {
                guard let s = m.value.intValue, (1...604_800).contains(s) else {
                    throw AlertsConfigurationError("`\(path)`: remediation.intervalSeconds must be 1 to 604800")
                }
                intervalSeconds = Double(s)
                continue
            }
            guard let action = Action(rawValue: m.key) else {
                throw AlertsConfigurationError("`\(path)`: unknown remediation `\(m.key)` (expected \(Action.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let fields = m.value.objectValue else { throw AlertsConfigurationError("`\(path)`: remediation `\(m.key)` must be an object") }
            var setting = Setting()
            var on = false
            for f in fields {
                switch f.key {
                case "enabled": on = f.value.boolValue ?? false
                case "dryRun": setting.dryRun = f.value.boolValue ?? false
                case "days", "noticeDays":
                    guard let n = f.value.intValue, (1...36_500).contains(n) else {
                        throw AlertsConfigurationError("`\(path)`: remediation `\(m.key)`: \(f.key) must be 1 to 36500")
                    }
                    if f.key == "days" { setting.days = n } else { setting.noticeDays = n }
                case "policies":
                    guard let list = f.value.arrayValue?.compactMap(\.stringValue), list.allSatisfy({ $0.hasPrefix("arn:aws:iam::") && $0.contains(":policy/") }) else {
                        throw AlertsConfigurationError("`\(path)`: remediation `\(m.key)`: policies must be a list of managed policy ARNs")
                    }
                    setting.policies = list
                default:
                    throw AlertsConfigurationError("`\(path)`: remediation `\(m.key)`: unknown setting `\(f.key)`")
                }
            }
            if action == .detachDeniedPolicies && on && setting.policies.isEmpty {
                throw AlertsConfigurationError("`\(path)`: remediation `\(m.key)` needs the policies to detach")
            }
            if on { enabled[action] = setting }
        }
    }
}
