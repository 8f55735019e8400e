import Foundation
import Logging
import WardenCore
import WardenStore
import WardenWire

extension AlertEngine {
    /// The log and the trail get every alert; they are listed with the alert's deliveries.
    static let logSink = "log", trailSink = "audit-trail"

    /// Keeps, logs, records and queues the alerts a batch raised.
    func deliver(_ raised: [Raised], service: WardenService) {
        var byAccount: [String: [AlertRecord]] = [:]
        var outgoing: [AlertOutbox.Item] = []
        let now = service.clock.now()
        for r in raised {
            let e = r.call.event
            let eventID = r.record?["eventID"]?.stringValue
            let id = "alert-" + (eventID ?? UUID().uuidString.lowercased()) + "-" + r.rule.name
            let text = Self.text(r)
            let hooks = configuration.webhooks.filter { r.rule.sinks?.contains($0.name) ?? true }
            let alert = AlertRecord(
                id: id, rule: r.rule.name, severity: r.rule.severity, time: e.meta.time, eventID: eventID, eventName: e.operation,
                text: text, record: r.call.record,
                deliveries: [.init(sink: Self.logSink, status: "DELIVERED", attempts: 1, deliveredAt: now),
                             .init(sink: Self.trailSink, status: "DELIVERED", attempts: 1, deliveredAt: now)]
                    + hooks.map { .init(sink: $0.name, status: "PENDING") })
            byAccount[e.account, default: []].append(alert)
            let level: Logger.Level = r.rule.severity == "HIGH" || r.rule.severity == "CRITICAL" ? .warning : .notice
            logger.log(level: level, "alert: \(text)", metadata: [
                "warden.alert.rule": "\(r.rule.name)", "warden.alert.id": "\(id)", "warden.account": "\(e.account)",
            ])
            service.recordEvent(CallEvent.alertRaised(alert, account: e.account, time: now))
            let payload = Self.payload(alert, rule: r.rule, account: e.account, record: r.record)
            outgoing += hooks.map { AlertOutbox.Item(account: e.account, alertID: id, sink: $0, payload: payload) }
        }
        for (account, alerts) in byAccount {
            do {
                try service.store.write(account: account) { state in
                    for a in alerts { state.alerts[a.id] = a }
                    let over = state.alerts.count - AlertRecord.kept
                    if over > 0 {
                        for old in state.alerts.values.sorted(by: { ($0.time, $0.id) < ($1.time, $1.id) }).prefix(over) { state.alerts[old.id] = nil }
                    }
                }
            } catch {
                logger.error("alerts: could not keep \(alerts.count) alerts", metadata: ["warden.account": "\(account)", "error": "\(error)"])
            }
        }
        let dropped = outbox.enqueue(outgoing)
        if dropped > 0 { logger.error("alerts: \(dropped) webhook deliveries dropped: more than \(AlertOutbox.limit) were waiting") }
    }

    /// One line for a person, also the webhook's Slack-compatible `text`.
    static func text(_ r: Raised) -> String {
        let e = r.call.event
        let who = r.record?["userIdentity"]?["arn"]?.stringValue ?? e.caller.principal.arn
        let source = r.record?["eventSource"]?.stringValue ?? e.service.eventSource
        var line = "[\(r.rule.severity)] \(r.rule.name) in account \(e.account): \(r.rule.description). \(e.operation) on \(source)"
        if !who.isEmpty { line += " by \(who)" }
        line += " from \(e.meta.sourceIP) at \(WireFormat.timestamp(e.meta.time))"
        if let code = e.errorCode { line += " (\(code))" }
        if r.suppressed > 0 { line += "; \(r.suppressed) more alert\(r.suppressed == 1 ? "" : "s") of this rule held back before it" }
        return line
    }

    /// The webhook's JSON body: the alert's fields, a Slack-compatible `text`, and the triggering record.
    static func payload(_ a: AlertRecord, rule: AlertsConfiguration.Rule, account: String, record: WireJSON?) -> [UInt8] {
        var members: [WireJSON.Member] = [
            .init("alertId", .string(a.id)), .init("rule", .string(a.rule)), .init("severity", .string(a.severity)),
            .init("description", .string(rule.description)), .init("account", .string(account)),
            .init("time", .string(WireFormat.timestamp(a.time))), .init("text", .string(a.text)),
        ]
        if let n = a.eventName { members.append(.init("eventName", .string(n))) }
        if let id = a.eventID { members.append(.init("eventId", .string(id))) }
        members.append(.init("record", record ?? .null))
        return WireJSON.object(members).jsonBytes
    }
}

extension CallEvent {
    /// The trail's record of an alert: `AlertRaised` on `warden.amazonaws.com`, made by Warden itself.
    static func alertRaised(_ a: AlertRecord, account: String, time: Date) -> CallEvent {
        let source = AlertEngine.wardenSource
        let meta = RequestMeta(requestID: UUID().uuidString.lowercased(), sourceIP: source, userAgent: source,
                               secureTransport: false, region: "us-east-1", time: time)
        let principal = Principal(kind: .assumedRole, account: account, arn: source, userID: source, name: source)
        var request: [WireJSON.Member] = [.init("rule", .string(a.rule)), .init("severity", .string(a.severity))]
        if let id = a.eventID { request.append(.init("triggeringEventId", .string(id))) }
        let custom = CustomRecord(eventSource: source, eventType: "AwsServiceEvent",
                                  userIdentity: ["type": "AWSService", "invokedBy": .string(source)], username: nil,
                                  sourceIPAddress: source, userAgent: source, requestParameters: .object(request),
                                  responseElements: ["alertId": .string(a.id), "text": .string(a.text)], host: source)
        return CallEvent(service: .warden, operation: "AlertRaised", account: account, caller: Caller(principal: principal, accessKeyID: ""),
                         meta: meta, errorCode: nil, errorMessage: nil, resources: [], readOnly: false, custom: custom)
    }
}
