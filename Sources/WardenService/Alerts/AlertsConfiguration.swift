import Foundation
import WardenWire

/// Where alerts go and which rules raise them: `WARDEN_ALERT_WEBHOOK_URL` (every built-in rule to one webhook, no
/// other configuration) and the file `--alerts-config` / `WARDEN_ALERTS_CONFIG` names (docs/security-status.md):
///
///     {
///       "sinks": {"slack": {"type": "webhook", "url": "https://hooks.slack.com/services/…", "timeoutSeconds": 5, "maxAttempts": 6}},
///       "rules": [
///         {"name": "root-activity", "sinks": ["slack"]},
///         {"name": "console-signin-without-mfa", "enabled": false},
///         {"name": "deletes-in-iam", "severity": "MEDIUM", "description": "Something was deleted in IAM",
///          "pattern": {"eventSource": ["iam.amazonaws.com"], "eventName": [{"prefix": "Delete"}]}}
///       ],
///       "signinFailureBurst": {"failures": 5, "windowSeconds": 300},
///       "rateLimit": {"burst": 20, "refillSeconds": 3}
///     }
///
/// A rule with the name of a built-in rule changes it (`enabled`, `sinks`, `severity`); any other rule needs a
/// `pattern` in EventBridge's event-pattern syntax, matched against the call's CloudTrail record. A rule without
/// `sinks` goes to every webhook. Every alert is also logged and recorded in the audit trail.
public struct AlertsConfiguration: Sendable {
    /// A webhook that receives alerts as JSON.
    public struct Webhook: Sendable, Equatable {
        public var name: String
        public var url: String
        /// Seconds one attempt may take.
        public var timeoutSeconds: Double = 5
        /// Attempts before giving up (1 s, 2 s, 4 s … apart).
        public var maxAttempts: Int = 6
    }

    /// A rule: built in (its matcher is code) or custom (an event pattern).
    public struct Rule: Sendable {
        public var name: String
        public var severity: String
        public var description: String
        public var enabled: Bool = true
        /// The sinks it goes to; nil means every webhook.
        public var sinks: [String]?
        /// The pattern of a custom rule (nil for built-in rules).
        public var pattern: EventPattern?
    }

    public var webhooks: [Webhook] = []
    public var rules: [Rule] = BuiltInAlertRules.defaults
    /// Failed console sign-ins of one user within `burstWindowSeconds` that make a burst.
    public var burstFailures = 5
    public var burstWindowSeconds: Double = 300
    /// Alerts one rule may raise for one account at once, and the seconds in which it earns one more: a script
    /// running as root cannot flood a channel; what is held back is counted in the next alert.
    public var rateBurst = 20
    public var rateRefillSeconds: Double = 3
    /// The remediations Warden may apply (none unless the file's `remediation` section enables them).
    public var remediation = RemediationConfiguration()

    /// Built-in rules only, delivered to the log and the trail.
    public init() {}

    /// The configuration an environment gives: `WARDEN_ALERT_WEBHOOK_URL`, then the file of `WARDEN_ALERTS_CONFIG`
    /// (or `file`, from `--alerts-config`). Anything unusable is an error that names the setting.
    public init(environment: [String: String], file: String? = nil) throws(AlertsConfigurationError) {
        self.init()
        if let url = environment["WARDEN_ALERT_WEBHOOK_URL"], !url.isEmpty {
            try Self.checkURL(url, setting: "WARDEN_ALERT_WEBHOOK_URL")
            webhooks.append(Webhook(name: "webhook", url: url))
        }
        guard let path = file ?? environment["WARDEN_ALERTS_CONFIG"].flatMap({ $0.isEmpty ? nil : $0 }) else { return }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AlertsConfigurationError("cannot read the alerts configuration `\(path)`")
        }
        let json: WireJSON
        do { json = try WireJSON(parsing: Array(data)) } catch { throw AlertsConfigurationError("`\(path)` is not JSON: \(error)") }
        try apply(json, path: path)
    }

    /// Reads a configuration document on top of the defaults.
    mutating func apply(_ json: WireJSON, path: String) throws(AlertsConfigurationError) {
        guard let top = json.objectValue else { throw AlertsConfigurationError("`\(path)`: the configuration must be a JSON object") }
        for member in top {
            switch member.key {
            case "sinks": try readSinks(member.value, path: path)
            case "rules": try readRules(member.value, path: path)
            case "signinFailureBurst":
                if let n = member.value["failures"]?.intValue { guard n >= 2 else { throw AlertsConfigurationError("`\(path)`: signinFailureBurst.failures must be at least 2") }; burstFailures = n }
                if let s = member.value["windowSeconds"]?.intValue { guard s >= 1 else { throw AlertsConfigurationError("`\(path)`: signinFailureBurst.windowSeconds must be positive") }; burstWindowSeconds = Double(s) }
            case "rateLimit":
                if let n = member.value["burst"]?.intValue { guard (1...100_000).contains(n) else { throw AlertsConfigurationError("`\(path)`: rateLimit.burst must be 1 to 100000") }; rateBurst = n }
                if let s = member.value["refillSeconds"]?.intValue { guard (1...86_400).contains(s) else { throw AlertsConfigurationError("`\(path)`: rateLimit.refillSeconds must be 1 to 86400") }; rateRefillSeconds = Double(s) }
            case "remediation": remediation = try RemediationConfiguration(member.value, path: path)
            default: throw AlertsConfigurationError("`\(path)`: unknown setting `\(member.key)` (expected sinks, rules, signinFailureBurst, rateLimit, remediation)")
            }
        }
        let known = Set(webhooks.map(\.name))
        for rule in rules { for sink in rule.sinks ?? [] where !known.contains(sink) {
            throw AlertsConfigurationError("`\(path)`: rule `\(rule.name)` names the sink `\(sink)`, which is not defined under sinks")
        } }
    }

    private mutating func readSinks(_ value: WireJSON, path: String) throws(AlertsConfigurationError) {
        guard let sinks = value.objectValue else { throw AlertsConfigurationError("`\(path)`: sinks must be an object of named sinks") }
        for s in sinks {
            guard s.value["type"]?.stringValue == "webhook" else {
                throw AlertsConfigurationError("`\(path)`: sink `\(s.key)` must have \"type\": \"webhook\" (the log and the audit trail get every alert anyway)")
            }
            guard let url = s.value["url"]?.stringValue else { throw AlertsConfigurationError("`\(path)`: sink `\(s.key)` has no url") }
            try Self.checkURL(url, setting: "sink `\(s.key)`")
            var hook = Webhook(name: s.key, url: url)
            if let t = s.value["timeoutSeconds"]?.intValue { guard (1...60).contains(t) else { throw AlertsConfigurationError("`\(path)`: sink `\(s.key)`: timeoutSeconds must be 1 to 60") }; hook.timeoutSeconds = Double(t) }
            if let n = s.value["maxAttempts"]?.intValue { guard (1...20).contains(n) else { throw AlertsConfigurationError("`\(path)`: sink `\(s.key)`: maxAttempts must be 1 to 20") }; hook.maxAttempts = n }
            webhooks.removeAll { $0.name == s.key }
            webhooks.append(hook)
        }
    }

    private mutating func readRules(_ value: WireJSON, path: String) throws(AlertsConfigurationError) {
        guard let list = value.arrayValue else { throw AlertsConfigurationError("`\(path)`: rules must be an array") }
        for (i, item) in list.enumerated() {
            guard let name = item["name"]?.stringValue, !name.isEmpty else { throw AlertsConfigurationError("`\(path)`: rules[\(i)] has no name") }
            let severity = item["severity"]?.stringValue
            if let severity, !["LOW", "MEDIUM", "HIGH", "CRITICAL"].contains(severity) {
                throw AlertsConfigurationError("`\(path)`: rule `\(name)`: severity must be LOW, MEDIUM, HIGH or CRITICAL, not `\(severity)`")
            }
            let sinks = item["sinks"]?.arrayValue.map { $0.compactMap(\.stringValue) }
            if let index = rules.firstIndex(where: { $0.name == name && $0.pattern == nil }) {
                guard item["pattern"] == nil else { throw AlertsConfigurationError("`\(path)`: `\(name)` is a built-in rule; a custom rule needs another name") }
                if let e = item["enabled"]?.boolValue { rules[index].enabled = e }
                if let severity { rules[index].severity = severity }
                if let sinks { rules[index].sinks = sinks }
                continue
            }
            guard let pattern = item["pattern"] else {
                throw AlertsConfigurationError("`\(path)`: rule `\(name)` is not a built-in rule (\(BuiltInAlertRules.names.joined(separator: ", "))) and has no pattern")
            }
            guard !rules.contains(where: { $0.name == name }) else { throw AlertsConfigurationError("`\(path)`: two rules are named `\(name)`") }
            let compiled: EventPattern
            do { compiled = try EventPattern(pattern) } catch { throw AlertsConfigurationError("`\(path)`: rule `\(name)`: \(error)") }
            rules.append(Rule(name: name, severity: severity ?? "MEDIUM", description: item["description"]?.stringValue ?? "Custom rule `\(name)`",
                              enabled: item["enabled"]?.boolValue ?? true, sinks: sinks, pattern: compiled))
        }
    }

    private static func checkURL(_ url: String, setting: String) throws(AlertsConfigurationError) {
        guard let u = URL(string: url), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https", u.host != nil else {
            throw AlertsConfigurationError("\(setting) must be an http:// or https:// URL, not `\(url)`")
        }
    }
}

/// An alerts configuration that cannot be used.
public struct AlertsConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
