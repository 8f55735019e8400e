import Crypto
import Foundation
import WardenCore
import WardenStore
import WardenWire

/// CloudTrail (2013-11-01, JSON 1.1): the built-in trail that records every call of every account, LookupEvents
/// over it, and its digest keys. The trail cannot be changed or deleted; operations on trails, event data stores
/// and queries that an account has not set up answer as AWS answers such an account.
extension WardenService {
    /// The built-in trail's name.
    public static let trailName = "warden-audit"
    /// How long LookupEvents looks back (and how long records are kept), in days: `WARDEN_AUDIT_RETENTION_DAYS`.
    static let defaultRetentionDays = 90

    static func trailARN(_ account: String) -> String { "arn:aws:cloudtrail:us-east-1:\(account):trail/\(trailName)" }

    /// Whether a name or ARN names the built-in trail of the caller's account.
    static func isTrail(_ name: String, account: String) -> Bool {
        name == trailName || name == trailARN(account)
    }

    func trail(_ account: String) -> CloudTrail.Trail {
        CloudTrail.Trail(name: Self.trailName, s3BucketName: auditArchive.archive?.bucket(forAccount: account) ?? "warden-audit-\(account)",
                         includeGlobalServiceEvents: true, isMultiRegionTrail: true, homeRegion: "us-east-1",
                         trailARN: Self.trailARN(account), logFileValidationEnabled: true, hasCustomEventSelectors: false,
                         hasInsightSelectors: false, isOrganizationTrail: false)
    }

    static func registerCloudTrail(_ r: inout Registry) {
        r.json(.cloudtrail, "LookupEvents", authorize: .anyResource) { (i: CloudTrail.LookupEventsRequest, call) -> CloudTrail.LookupEventsResponse in
            return try lookupEvents(i, call)
        }
        r.json(.cloudtrail, "DescribeTrails", authorize: .anyResource) { (i: CloudTrail.DescribeTrailsRequest, call) -> CloudTrail.DescribeTrailsResponse in
            let names = i.trailNameList ?? []
            let listed = names.isEmpty || names.contains { isTrail($0, account: call.account) }
            return CloudTrail.DescribeTrailsResponse(trailList: listed ? [call.service.trail(call.account)] : [])
        }
        r.json(.cloudtrail, "ListTrails", authorize: .anyResource) { (_: CloudTrail.ListTrailsRequest, call) -> CloudTrail.ListTrailsResponse in
            return CloudTrail.ListTrailsResponse(trails: [CloudTrail.TrailInfo(trailARN: trailARN(call.account), name: trailName, homeRegion: "us-east-1")])
        }
        r.json(.cloudtrail, "GetTrail", authorize: .resource { i, call in trailResource(i.name, call) }) {
            (i: CloudTrail.GetTrailRequest, call) -> CloudTrail.GetTrailResponse in
            try checkTrail(i.name, call)
            return CloudTrail.GetTrailResponse(trail: call.service.trail(call.account))
        }
        r.json(.cloudtrail, "GetTrailStatus", authorize: .resource { i, call in trailResource(i.name, call) }) {
            (i: CloudTrail.GetTrailStatusRequest, call) -> CloudTrail.GetTrailStatusResponse in
            try checkTrail(i.name, call)
            let status = call.service.auditArchive.archive?.deliveryStatus(account: call.account) ?? (logs: nil, digests: nil)
            let created = try call.state().account.createDate
            return CloudTrail.GetTrailStatusResponse(isLogging: true, latestDeliveryTime: status.logs, startLoggingTime: created,
                                                     latestDigestDeliveryTime: status.digests)
        }
        r.json(.cloudtrail, "GetEventSelectors", authorize: .resource { i, call in trailResource(i.trailName, call) }) {
            (i: CloudTrail.GetEventSelectorsRequest, call) -> CloudTrail.GetEventSelectorsResponse in
            try checkTrail(i.trailName, call)
            return CloudTrail.GetEventSelectorsResponse(trailARN: trailARN(call.account), eventSelectors: [
                CloudTrail.EventSelector(readWriteType: .all, includeManagementEvents: true, dataResources: [], excludeManagementEventSources: []),
            ])
        }
        r.json(.cloudtrail, "ListTags", authorize: .declared { i, call in i.resourceIdList.map { Requirement(trailResource($0, call)) } }) {
            (i: CloudTrail.ListTagsRequest, call) -> CloudTrail.ListTagsResponse in
            for id in i.resourceIdList { try checkTrail(id, call) }
            return CloudTrail.ListTagsResponse(resourceTagList: i.resourceIdList.map { CloudTrail.ResourceTag(resourceId: $0, tagsList: []) })
        }
        r.json(.cloudtrail, "ListPublicKeys", authorize: .anyResource) { (i: CloudTrail.ListPublicKeysRequest, call) -> CloudTrail.ListPublicKeysResponse in
            if let s = i.startTime, let e = i.endTime, s > e {
                throw ServiceError(.invalidTimeRange, "Occurs if the timestamp values are invalid. Either the start time occurs after the end time or the time range is outside the range of possible values.")
            }
            let keys = call.service.auditArchive.archive?.publicKeys(from: i.startTime, to: i.endTime) ?? []
            return CloudTrail.ListPublicKeysResponse(publicKeyList: keys.map {
                CloudTrail.PublicKey(value: $0.der, validityStartTime: $0.validityStart, validityEndTime: $0.validityEnd, fingerprint: $0.fingerprint)
            })
        }
    }

    /// The ARN a trail operation authorizes on: the built-in trail's, or the ARN a trail of that name would have.
    static func trailResource(_ name: String, _ call: Call) -> String {
        if isTrail(name, account: call.account) { return trailARN(call.account) }
        return name.hasPrefix("arn:") ? name : "arn:aws:cloudtrail:\(call.meta.region):\(call.account):trail/\(name)"
    }

    /// A name that is not the built-in trail is not found (once the caller proved it may act on that trail's ARN).
    static func checkTrail(_ name: String, _ call: Call) throws {
        guard isTrail(name, account: call.account) else {
            let arn = trailResource(name, call)
            throw ServiceError(.trailNotFound, "Unknown trail: \(arn) for the user: \(call.account)", missingResource: arn)
        }
    }

    static func lookupEvents(_ i: CloudTrail.LookupEventsRequest, _ call: Call) throws -> CloudTrail.LookupEventsResponse {
        let attributes = i.lookupAttributes ?? []
        if attributes.count > 1 {
            throw ServiceError(.invalidLookupAttributes, "You cannot specify more than one lookup attribute.")
        }
        let limit = i.maxResults ?? 50
        guard (1...50).contains(limit) else {
            throw ServiceError(.invalidMaxResults, "Value \(limit) for MaxResults is invalid: it must be between 1 and 50.")
        }
        if let s = i.startTime, let e = i.endTime, s > e {
            throw ServiceError(.invalidTimeRange, "Start time must be before end time.")
        }
        if i.eventCategory != nil { return CloudTrail.LookupEventsResponse(events: []) }  // insight: none are generated
        var attribute: AuditQuery.Attribute?
        if let a = attributes.first {
            let v = a.attributeValue
            switch a.attributeKey {
            case .eventId: attribute = .eventID(v)
            case .eventName: attribute = .eventName(v)
            case .readOnly:
                guard v == "true" || v == "false" else {
                    throw ServiceError(.invalidLookupAttributes, "ReadOnly must be true or false.")
                }
                attribute = .readOnly(v == "true")
            case .username: attribute = .username(v)
            case .resourceType: attribute = .resourceType(v)
            case .resourceName: attribute = .resourceName(v)
            case .eventSource: attribute = .eventSource(v)
            case .accessKeyId: attribute = .accessKeyID(v)
            }
        }
        var before: (Date, Int64)?
        if let token = i.nextToken {
            guard let cursor = LookupToken.decode(token, account: call.account, query: LookupToken.scope(i)) else {
                throw ServiceError(.invalidNextToken, "Invalid NextToken.")
            }
            before = cursor
        }
        let retention = call.now.addingTimeInterval(-Double(call.service.auditRetentionDays) * 86_400)
        let start = max(i.startTime ?? retention, retention)
        let entries = try call.service.store.auditLog.lookup(AuditQuery(
            account: call.account, attribute: attribute, start: start, end: i.endTime,
            before: before.map { (time: $0.0, sequence: $0.1) }, limit: limit + 1))
        let page = entries.prefix(limit)
        let next = entries.count > limit ? page.last.map {
            LookupToken.encode(time: $0.time, sequence: $0.sequence, account: call.account, query: LookupToken.scope(i))
        } : nil
        return CloudTrail.LookupEventsResponse(events: page.map { e in
            CloudTrail.Event(eventId: e.eventID, eventName: e.eventName, readOnly: e.readOnly ? "true" : "false", accessKeyId: e.accessKeyID,
                             eventTime: e.time, eventSource: e.eventSource, username: e.username,
                             resources: e.resources.map { CloudTrail.Resource(resourceType: $0.type, resourceName: $0.name) },
                             cloudTrailEvent: e.record)
        }, nextToken: next)
    }
}

/// LookupEvents' page cursor: the last event's time and sequence, bound to the account and to the query it
/// pages (a token from one query is refused by another, as AWS refuses it).
enum LookupToken {
    /// What a token is bound to: the attribute and the time range.
    static func scope(_ i: CloudTrail.LookupEventsRequest) -> String {
        let a = i.lookupAttributes?.first.map { "\($0.attributeKey.rawValue)=\($0.attributeValue)" } ?? ""
        let digest = SHA256.hash(data: Data("\(a)|\(i.startTime?.timeIntervalSince1970 ?? 0)|\(i.endTime?.timeIntervalSince1970 ?? 0)".utf8))
        return digest.prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    static func encode(time: Date, sequence: Int64, account: String, query: String) -> String {
        Data("\(account):\(query):\(time.timeIntervalSince1970.bitPattern):\(sequence)".utf8).base64EncodedString()
    }

    static func decode(_ token: String, account: String, query: String) -> (Date, Int64)? {
        guard token.utf8.count <= 200, let data = Data(base64Encoded: token) else { return nil }
        let parts = String(decoding: data, as: UTF8.self).split(separator: ":")
        guard parts.count == 4, parts[0] == account, parts[1] == query, let bits = UInt64(parts[2]), let seq = Int64(parts[3]) else { return nil }
        return (Date(timeIntervalSince1970: Double(bitPattern: bits)), seq)
    }
}
