import Foundation
import Logging
import Synchronization
import WardenCore
import WardenPolicy
import WardenStore
import WardenWire

/// Raises alerts from the call-event stream: every call's CloudTrail record is matched against the enabled rules
/// (built in, and custom event patterns), off the request path. An alert is kept in the account's alerts, logged,
/// recorded in the audit trail (`AlertRaised` on `warden.amazonaws.com`) and queued for its webhooks.
///
/// Each rule raises at most `rateBurst` alerts per account at once and then one every `rateRefillSeconds`; the
/// alerts it holds back are counted in the next one's text, so a script running as root cannot flood a channel.
public final class AlertEngine: Sendable {
    public let configuration: AlertsConfiguration
    /// Alerts waiting for their webhooks.
    public let outbox = AlertOutbox()
    let logger: Logger
    /// The event source of Warden's own records (alerts raised, remediations).
    static let wardenSource = "warden.amazonaws.com"

    private struct State {
        /// Tokens per `rule account`, and when they were last counted.
        var buckets: [String: (tokens: Double, at: Date)] = [:]
        /// Alerts held back per `rule account` since the last one raised.
        var suppressed: [String: Int] = [:]
        /// Failed sign-in times per `account user`, within the burst window.
        var failures: [String: [Date]] = [:]
    }
    private let state = Mutex(State())

    /// An engine for a configuration.
    public init(configuration: AlertsConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// One alert about to be raised.
    struct Raised {
        var rule: AlertsConfiguration.Rule
        var call: RecordedCall
        var record: WireJSON?
        var suppressed: Int
    }

    /// Matches a batch of calls (the event stream's thread) and raises what matches.
    func observe(_ calls: [RecordedCall], service: WardenService) {
        let rules = configuration.rules.filter(\.enabled)
        guard !rules.isEmpty else { return }
        var raised: [Raised] = []
        for call in calls where !call.event.account.isEmpty {
            // Warden's own records (alerts, remediations) never raise alerts: a rule matching them would loop.
            if call.event.custom?.eventSource == Self.wardenSource { continue }
            var parsed: WireJSON?? = nil
            func record() -> WireJSON? {
                if let p = parsed { return p }
                var p: WireJSON? = nil
                if let text = call.record { p = try? WireJSON(parsing: text) }
                parsed = .some(p)
                return p
            }
            for rule in rules where matches(rule, call, record, service) {
                guard let held = admit(rule.name, account: call.event.account, at: call.event.meta.time) else { continue }
                raised.append(Raised(rule: rule, call: call, record: record(), suppressed: held))
            }
        }
        guard !raised.isEmpty else { return }
        deliver(raised, service: service)
    }

    /// Whether a rule matches a call.
    private func matches(_ rule: AlertsConfiguration.Rule, _ call: RecordedCall, _ record: () -> WireJSON?, _ service: WardenService) -> Bool {
        if let pattern = rule.pattern { return record().map(pattern.matches) ?? false }
        let e = call.event
        switch rule.name {
        case BuiltInAlertRules.rootActivity:
            return e.caller.principal.kind == .root
        case BuiltInAlertRules.consoleSignInWithoutMFA:
            guard e.operation == "ConsoleLogin", e.errorMessage == nil, let r = record() else { return false }
            return r["responseElements"]?["ConsoleLogin"]?.stringValue == "Success" && r["additionalEventData"]?["MFAUsed"]?.stringValue == "No"
        case BuiltInAlertRules.signInFailureBurst:
            guard e.operation == "ConsoleLogin", let r = record(), r["responseElements"]?["ConsoleLogin"]?.stringValue == "Failure" else { return false }
            let user = r["userIdentity"]?["userName"]?.stringValue ?? e.caller.principal.name
            return failureBurst(account: e.account, user: user, at: e.meta.time)
        case BuiltInAlertRules.rootAccessKeyCreated:
            guard e.operation == "CreateAccessKey", e.service == .iam, e.errorCode == nil, e.caller.principal.kind == .root else { return false }
            return record()?["requestParameters"]?["userName"] == nil
        case BuiltInAlertRules.passwordPolicyChanged:
            return e.service == .iam && e.errorCode == nil && (e.operation == "UpdateAccountPasswordPolicy" || e.operation == "DeleteAccountPasswordPolicy")
        case BuiltInAlertRules.adminPolicyChanged:
            guard e.service == .iam, e.errorCode == nil, BuiltInAlertRules.policyChanges.contains(e.operation) else { return false }
            let policies = service.store.snapshot().accounts[e.account]?.policies
            return BuiltInAlertRules.changesAdminPolicy(call, record: record()) { arn in
                guard let doc = policies?.values.first(where: { $0.arn == arn })?.defaultDocument,
                      let parsed = try? PolicyDocument.parse(doc, kind: .identity) else { return false }
                return PolicyFacts.isAdministrator(parsed)
            }
        case BuiltInAlertRules.externalAccess:
            guard e.service == .iam, e.operation == "CreateRole" || e.operation == "UpdateAssumeRolePolicy" else { return false }
            return BuiltInAlertRules.grantsExternalAccess(call, record: record())
        default:
            return false
        }
    }

    /// Counts a failed sign-in; true when it completes a burst (which then starts over).
    private func failureBurst(account: String, user: String, at time: Date) -> Bool {
        state.withLock { s in
            let key = "\(account) \(user)"
            var times = (s.failures[key] ?? []).filter { time.timeIntervalSince($0) < configuration.burstWindowSeconds }
            times.append(time)
            if times.count >= configuration.burstFailures { s.failures[key] = nil; return true }
            s.failures[key] = times
            return false
        }
    }

    /// Takes a token of a rule's bucket for an account: nil when the rule must hold back, else how many alerts it
    /// held back since the last one.
    private func admit(_ rule: String, account: String, at time: Date) -> Int? {
        state.withLock { s in
            let key = "\(rule) \(account)"
            let burst = Double(configuration.rateBurst)
            var b = s.buckets[key] ?? (burst, time)
            b.tokens = min(burst, b.tokens + max(0, time.timeIntervalSince(b.at)) / configuration.rateRefillSeconds)
            b.at = time
            guard b.tokens >= 1 else { s.buckets[key] = b; s.suppressed[key, default: 0] += 1; return nil }
            b.tokens -= 1
            s.buckets[key] = b
            return s.suppressed.removeValue(forKey: key) ?? 0
        }
    }
}
