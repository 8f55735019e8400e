import Foundation
import WardenCore
import WardenWire

/// The CloudTrail fields of an event that the dispatcher does not run as an API call: a console sign-in step
/// (`ConsoleLogin`, `CheckMfa`, `PasswordUpdated` on `signin.amazonaws.com`), or the role session an instance
/// profile's workload credentials start (`AssumeRole` invoked by `ec2.amazonaws.com`). The event's own fields (time,
/// account, error, resources, `readOnly`, `eventID`) still apply; these replace what an API call's record derives
/// from its service, caller, input and output.
struct CustomRecord: Sendable {
    /// `eventSource`, e.g. `signin.amazonaws.com`.
    var eventSource: String
    /// `eventType`: `AwsConsoleSignIn` for sign-in events, `AwsApiCall` otherwise.
    var eventType: String
    /// `userIdentity`, as written.
    var userIdentity: WireJSON
    /// The name LookupEvents' `Username` matches.
    var username: String?
    /// `sourceIPAddress` and `userAgent` when they are not the client's (`ec2.amazonaws.com` for an instance
    /// profile's session).
    var sourceIPAddress: String? = nil
    var userAgent: String? = nil
    /// `requestParameters` and `responseElements` (secret members are hidden all the same).
    var requestParameters: WireJSON = .null
    var responseElements: WireJSON = .null
    /// `additionalEventData`, when the event has some (`LoginTo`, `MobileVersion`, `MFAUsed` of a sign-in).
    var additionalEventData: WireJSON? = nil
    /// Whether the record names the request id (CloudTrail's sign-in events have none).
    var includesRequestID: Bool = true
    /// `tlsDetails.clientProvidedHostHeader` when the request came over TLS.
    var host: String
    /// Whether the access advisor counts the event as the principal's use of a service.
    var countsAsServiceUse: Bool = false
}

extension AuditRecord {
    /// The record of an event with its own fields, in the order CloudTrail writes them.
    static func json(_ event: CallEvent, eventID: String, custom c: CustomRecord) -> WireJSON {
        var m: [WireJSON.Member] = [
            .init("eventVersion", .string(eventVersion)),
            .init("userIdentity", AuditParameters.redact(c.userIdentity)),
            .init("eventTime", .string(timestamp(event.meta.time))),
            .init("eventSource", .string(c.eventSource)),
            .init("eventName", .string(event.operation)),
            .init("awsRegion", .string(region(event))),
            .init("sourceIPAddress", .string(c.sourceIPAddress ?? event.meta.sourceIP)),
            .init("userAgent", .string(c.userAgent ?? event.meta.userAgent)),
        ]
        // A failed sign-in has an errorMessage but no errorCode.
        if let code = event.errorCode { m.append(.init("errorCode", .string(code))) }
        if let message = event.errorMessage { m.append(.init("errorMessage", .string(message))) }
        m.append(.init("requestParameters", AuditParameters.redact(c.requestParameters)))
        m.append(.init("responseElements", AuditParameters.redact(c.responseElements)))
        if let extra = c.additionalEventData { m.append(.init("additionalEventData", AuditParameters.redact(extra))) }
        if c.includesRequestID { m.append(.init("requestID", .string(event.meta.requestID))) }
        m.append(.init("eventID", .string(eventID)))
        m.append(.init("readOnly", .bool(event.readOnly)))
        let resources = event.resources.compactMap(resource)
        if !resources.isEmpty {
            m.append(.init("resources", .array(resources.map {
                ["accountId": .string(ARN.parse($0.name)?.account ?? event.account), "type": .string($0.type), "ARN": .string($0.name)]
            })))
        }
        m.append(.init("eventType", .string(c.eventType)))
        m.append(.init("managementEvent", .bool(true)))
        m.append(.init("recipientAccountId", .string(event.account)))
        m.append(.init("eventCategory", .string("Management")))
        if event.meta.secureTransport {
            m.append(.init("tlsDetails", ["tlsVersion": "TLSv1.3", "clientProvidedHostHeader": .string(c.host)]))
        }
        return .object(m)
    }
}
