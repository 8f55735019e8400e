import Foundation
import WardenCore
import WardenStore
import WardenWire

/// `ListAlerts` (`warden:ListAlerts`): the alerts raised for the caller's account, newest first, with what became
/// of each delivery.
extension WardenService {
    static func registerAlerts(_ r: inout Registry) {
        r.json(.warden, "ListAlerts", authorize: .anyResource) { (i: WardenSecurity.ListAlertsRequest, call) -> WardenSecurity.ListAlertsResponse in
            let alerts = Array(try call.state().alerts.values)
            let page: Page<AlertRecord>
            do {
                // Newest first: the key counts down with time.
                page = try Page(alerts, key: { String(format: "%016llx", UInt64.max / 2 - UInt64(max(0, $0.time.timeIntervalSince1970 * 1000))) + $0.id },
                                marker: i.nextToken, maxItems: i.maxResults ?? 50)
            } catch {
                throw ServiceError(.invalidNextToken, "The NextToken is not one this operation returned.")
            }
            return WardenSecurity.ListAlertsResponse(alerts: page.items.map { wire($0, account: call.account) }, nextToken: page.marker)
        }
    }

    static func wire(_ a: AlertRecord, account: String) -> WardenSecurity.Alert {
        WardenSecurity.Alert(
            alertId: a.id, rule: a.rule, severity: WardenSecurity.Severity(rawValue: a.severity) ?? .medium,
            accountId: account, time: a.time, eventId: a.eventID, eventName: a.eventName, text: a.text,
            deliveries: a.deliveries.map {
                WardenSecurity.AlertDelivery(sink: $0.sink, status: WardenSecurity.DeliveryStatus(rawValue: $0.status) ?? .pending,
                                             attempts: $0.attempts, lastError: $0.lastError, deliveredAt: $0.deliveredAt)
            })
    }
}

/// `RunRemediations` (`warden:RunRemediations`) runs the enabled remediations on the caller's account now (with
/// `DryRun`, reports only); `ListRemediations` (`warden:ListRemediations`) lists what was done, newest first.
extension WardenService {
    static func registerRemediations(_ r: inout Registry) {
        r.json(.warden, "RunRemediations", authorize: .anyResource) { (i: WardenSecurity.RunRemediationsRequest, call) -> WardenSecurity.RunRemediationsResponse in
            let done = call.service.remediate(account: call.account, dryRun: i.dryRun ?? false, now: call.now)
            return WardenSecurity.RunRemediationsResponse(remediations: done.map(wire))
        }
        r.json(.warden, "ListRemediations", authorize: .anyResource) { (i: WardenSecurity.ListRemediationsRequest, call) -> WardenSecurity.ListRemediationsResponse in
            let all = Array(try call.state().remediations.values)
            let page: Page<RemediationRecord>
            do {
                page = try Page(all, key: { String(format: "%016llx", UInt64.max / 2 - UInt64(max(0, $0.time.timeIntervalSince1970 * 1000))) + $0.id },
                                marker: i.nextToken, maxItems: i.maxResults ?? 50)
            } catch {
                throw ServiceError(.invalidNextToken, "The NextToken is not one this operation returned.")
            }
            return WardenSecurity.ListRemediationsResponse(remediations: page.items.map(wire), nextToken: page.marker)
        }
    }

    /// Runs the enabled remediations on one account (all as a dry run when `dryRun`), as the scheduler and
    /// `RunRemediations` do.
    public func remediate(account: String, dryRun: Bool, now: Date) -> [RemediationRecord] {
        let configuration = alerts.configuration.remediation
        guard !configuration.enabled.isEmpty else { return [] }
        return Remediator(service: self, account: account, now: now, configuration: configuration, forceDryRun: dryRun).run()
    }

    static func wire(_ r: RemediationRecord) -> WardenSecurity.Remediation {
        WardenSecurity.Remediation(checkId: r.checkID, action: r.action, resource: r.resource,
                                   status: WardenSecurity.RemediationStatus(rawValue: r.status) ?? .failed, reason: r.reason, time: r.time, id: r.id)
    }
}
