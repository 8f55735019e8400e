import Crypto
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import WardenCore
import WardenStore
import WardenWire

/// Builds CloudTrail records (eventVersion 1.11) from call events. Secrets never enter a record: request and
/// response members that carry one are replaced as CloudTrail replaces them (see `AuditRedaction`).
///
/// Records are written straight to JSON text, and one builder serves a whole batch of calls: what repeats from
/// record to record (the caller's `userIdentity`, the resources' types, random bytes for event ids) is worked
/// out once per batch. Recording must cost little next to the calls it records (docs/audit.md).
struct AuditRecord {
    static let eventVersion = "1.11"

    private var writer = JSONWriter(capacity: 2048)
    /// `userIdentity` texts by credentials, valid for one account snapshot (the session issuer's path and id).
    private var identities: [IdentityKey: [UInt8]] = [:]
    private var typed: [String: TypedResource?] = [:]

    /// What a `userIdentity` depends on besides the account snapshot. An access key id names one set of
    /// credentials, so one principal and at most one session.
    private struct IdentityKey: Hashable {
        var accessKeyID: String
        var principalARN: String
    }

    /// A resource with its CloudTrail type and the account in its ARN.
    struct TypedResource {
        var resource: AuditResource
        var account: String
    }

    /// The stored entry of one call: the record's JSON and the columns LookupEvents filters on.
    static func entry(_ event: CallEvent, input: APIInput?, output: APIOutput?, state: AccountState?) -> AuditEntry {
        var builder = AuditRecord()
        return builder.entry(event, input: input, output: output, state: state)
    }

    /// The stored entry of one call of the batch this builder serves (all with the same account snapshot).
    mutating func entry(_ event: CallEvent, input: APIInput?, output: APIOutput?, state: AccountState?) -> AuditEntry {
        let eventID = event.eventID.isEmpty ? EventIDs.next(time: event.meta.time) : event.eventID
        let resources = event.resources.compactMap { typedResource($0) }
        let record: String
        if let custom = event.custom {
            // Sign-in steps and workload role sessions carry their own fields (CustomRecord.swift); they are rare.
            record = Self.json(event, eventID: eventID, custom: custom).jsonString
        } else {
            write(event, eventID: eventID, input: input, output: output, state: state, resources: resources)
            record = String(decoding: writer.bytes, as: UTF8.self)
        }
        return AuditEntry(
            eventID: eventID, account: event.account, time: event.meta.time, eventName: event.operation,
            eventSource: event.custom?.eventSource ?? event.service.eventSource, region: Self.region(event),
            username: event.custom.map(\.username) ?? Self.username(event.caller),
            accessKeyID: event.caller.accessKeyID.isEmpty ? nil : event.caller.accessKeyID, readOnly: event.readOnly,
            resources: resources.map(\.resource), record: record)
    }

    /// IAM is a global service: AWS records its events in us-east-1 whatever the endpoint.
    static func region(_ event: CallEvent) -> String {
        event.service == .iam ? "us-east-1" : event.meta.region
    }

    /// The name LookupEvents' `Username` matches: the IAM user, `root`, the role session or the federated user.
    static func username(_ caller: Caller) -> String? {
        switch caller.principal.kind {
        case .root: "root"
        case .user: caller.principal.name
        case .assumedRole: caller.principal.sessionName ?? caller.principal.name
        case .federatedUser: caller.principal.name.isEmpty ? nil : caller.principal.name
        }
    }

    /// Writes the record as CloudTrail writes it, in CloudTrail's member order, into `writer`.
    private mutating func write(_ event: CallEvent, eventID: String, input: APIInput?, output: APIOutput?, state: AccountState?,
                                resources: [TypedResource]) {
        writer.reset()
        writer.beginObject()
        writer.string("eventVersion", Self.eventVersion)
        writer.raw("userIdentity", identity(event.caller, state: state))
        writer.string("eventTime", Self.timestamp(event.meta.time))
        writer.string("eventSource", event.service.eventSource)
        writer.string("eventName", event.operation)
        writer.string("awsRegion", Self.region(event))
        writer.string("sourceIPAddress", event.meta.sourceIP)
        writer.string("userAgent", event.meta.userAgent)
        if let code = event.errorCode {
            writer.string("errorCode", code)
            writer.string("errorMessage", event.errorMessage ?? "")
        }
        writer.value("requestParameters", input.map(AuditParameters.request) ?? .null)
        // CloudTrail leaves responseElements null for calls that only read, and for failed calls.
        if event.errorCode == nil && !event.readOnly, let output {
            writer.value("responseElements", AuditParameters.response(output))
        } else {
            writer.null("responseElements")
        }
        if let s = event.caller.session?.sourceIdentity { writer.string("sourceIdentity", s) }
        writer.string("requestID", event.meta.requestID)
        writer.string("eventID", eventID)
        writer.bool("readOnly", event.readOnly)
        if !resources.isEmpty {
            writer.beginArray("resources")
            for r in resources {
                writer.beginObject()
                writer.string("accountId", r.account.isEmpty ? event.account : r.account)
                writer.string("type", r.resource.type)
                writer.string("ARN", r.resource.name)
                writer.endObject()
            }
            writer.endArray()
        }
        writer.string("eventType", "AwsApiCall")
        writer.bool("managementEvent", true)
        writer.string("recipientAccountId", event.account)
        writer.string("eventCategory", "Management")
        if event.meta.secureTransport {
            writer.beginObject("tlsDetails")
            writer.string("tlsVersion", "TLSv1.3")
            writer.string("clientProvidedHostHeader", event.service.eventSource)
            writer.endObject()
        }
        writer.endObject()
    }

    /// The caller's `userIdentity` text, worked out once per set of credentials in a batch.
    private mutating func identity(_ caller: Caller, state: AccountState?) -> [UInt8] {
        guard !caller.accessKeyID.isEmpty else { return Self.userIdentity(caller, state: state) }
        let key = IdentityKey(accessKeyID: caller.accessKeyID, principalARN: caller.principal.arn)
        if let text = identities[key] { return text }
        let text = Self.userIdentity(caller, state: state)
        identities[key] = text
        return text
    }

    /// `userIdentity`, by the kind of caller.
    static func userIdentity(_ caller: Caller, state: AccountState?) -> [UInt8] {
        let p = caller.principal
        var w = JSONWriter(capacity: 512)
        w.beginObject()
        if caller.accessKeyID.isEmpty, let provider = caller.federatedProvider {
            // AssumeRoleWithWebIdentity / AssumeRoleWithSAML: the identity provider vouches for the caller.
            w.string("type", provider.contains(":saml-provider/") ? "SAMLUser" : "WebIdentityUser")
            w.string("principalId", "\(provider):\(p.name)")
            w.nonEmpty("userName", p.name)
            w.string("identityProvider", provider)
            w.endObject()
            return w.bytes
        }
        switch p.kind {
        case .root:
            w.string("type", "Root"); w.nonEmpty("principalId", p.account); w.nonEmpty("arn", p.arn)
            w.nonEmpty("accountId", p.account); w.nonEmpty("accessKeyId", caller.accessKeyID)
        case .user:
            w.string("type", "IAMUser"); w.nonEmpty("principalId", p.userID); w.nonEmpty("arn", p.arn)
            w.nonEmpty("accountId", p.account); w.nonEmpty("accessKeyId", caller.accessKeyID); w.nonEmpty("userName", p.name)
        case .assumedRole:
            w.string("type", "AssumedRole"); w.nonEmpty("principalId", p.userID); w.nonEmpty("arn", p.arn)
            w.nonEmpty("accountId", p.account); w.nonEmpty("accessKeyId", caller.accessKeyID)
        case .federatedUser:
            w.string("type", "FederatedUser"); w.nonEmpty("principalId", p.userID); w.nonEmpty("arn", p.arn)
            w.nonEmpty("accountId", p.account); w.nonEmpty("accessKeyId", caller.accessKeyID)
        }
        if let session = caller.session { sessionContext(caller, session, state: state, into: &w) }
        w.endObject()
        return w.bytes
    }

    static func sessionContext(_ caller: Caller, _ session: SessionClaims, state: AccountState?, into w: inout JSONWriter) {
        let p = caller.principal
        w.beginObject("sessionContext")
        switch p.kind {
        case .assumedRole:
            let role = state?.roles[p.name.lowercased()]
            let arn = role.flatMap { r in state.map { $0.roleARN(r) } } ?? ARN.iam(p.account, "role", name: p.name)
            w.beginObject("sessionIssuer")
            w.string("type", "Role"); w.string("principalId", session.roleID ?? role?.id ?? ""); w.string("arn", arn)
            w.string("accountId", p.account); w.string("userName", p.name)
            w.endObject()
        case .federatedUser:
            if let parent = session.parentUser {
                w.beginObject("sessionIssuer")
                w.string("type", "IAMUser"); w.string("principalId", session.userID ?? "")
                w.string("arn", ARN.iam(p.account, "user", path: state?.users[parent.lowercased()]?.path ?? "/", name: parent))
                w.string("accountId", p.account); w.string("userName", parent)
                w.endObject()
            }
        default: break
        }
        if let provider = session.federatedProvider {
            w.beginObject("webIdFederationData"); w.string("federatedProvider", provider); w.endObject()
        } else if p.kind == .assumedRole {
            w.beginObject("webIdFederationData"); w.endObject()
        }
        w.beginObject("attributes")
        w.string("creationDate", timestamp(session.issued))
        w.string("mfaAuthenticated", session.mfaAuthenticated ? "true" : "false")
        w.endObject()
        if let s = session.sourceIdentity { w.string("sourceIdentity", s) }
        w.endObject()
    }

    /// A resource of the record with its type, worked out once per ARN in a batch.
    private mutating func typedResource(_ arn: String) -> TypedResource? {
        if let known = typed[arn] { return known }
        let t = Self.resource(arn).map { TypedResource(resource: $0, account: ARN.parse(arn)?.account ?? "") }
        typed[arn] = t
        return t
    }

    /// A resource of the record, typed as CloudTrail types IAM resources.
    static func resource(_ arn: String) -> AuditResource? {
        guard let parts = ARN.parse(arn) else { return nil }
        let type = parts.resource.split(separator: "/", maxSplits: 1).first.map(String.init) ?? parts.resource
        if parts.service == "s3" { return AuditResource(type: "AWS::S3::Object", name: arn) }
        guard let t = resourceTypes[type] else { return nil }
        return AuditResource(type: t, name: arn)
    }

    /// CloudTrail's resource types, by the first part of an ARN's resource.
    static let resourceTypes: [String: String] = [
        "user": "AWS::IAM::User", "group": "AWS::IAM::Group", "role": "AWS::IAM::Role", "policy": "AWS::IAM::Policy",
        "instance-profile": "AWS::IAM::InstanceProfile", "oidc-provider": "AWS::IAM::OIDCProvider",
        "saml-provider": "AWS::IAM::SAMLProvider", "server-certificate": "AWS::IAM::ServerCertificate",
        "mfa": "AWS::IAM::MFADevice", "root": "AWS::IAM::Root", "assumed-role": "AWS::STS::AssumedRole",
        "trail": "AWS::CloudTrail::Trail",
    ]

    /// CloudTrail's time format: `2026-12-03T09:19:27Z` (the wire's, written without Foundation's formatters,
    /// which cost 2% of the server's CPU under load).
    static func timestamp(_ date: Date) -> String { WireFormat.timestamp(date) }
}

/// CloudTrail `eventID`s: UUIDs in lowercase, laid out as version 7 (RFC 9562): the event's time in
/// milliseconds, then 74 random bits. Ids that grow with time keep the trail's `event_id` index appending at its
/// end instead of writing all over it (a third of what storing a record cost with random ids).
///
/// The random bits come from the kernel's generator (`/dev/urandom`, kept open), 4 KB (409 ids) per system call, from one pool
/// the whole process shares. Foundation's `UUID()` opens `/dev/urandom` for each id, and swift-crypto's
/// `SymmetricKey(size:)` makes one system call per 8 bytes: either was a tenth of what draining the stream cost.
enum EventIDs {
    private struct Pool {
        var bytes = [UInt8](repeating: 0, count: 4096)
        var used = 4096
    }
    private static let pool = Mutex(Pool())
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    static func next(time: Date) -> String {
        var b: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &b) { out in
            pool.withLock { p in
                if p.used + 10 > p.bytes.count {
                    p.bytes.withUnsafeMutableBytes { Self.fill($0) }
                    p.used = 0
                }
                for i in 0..<10 { out[6 + i] = p.bytes[p.used + i] }
                p.used += 10
            }
            let ms = UInt64(max(0, time.timeIntervalSince1970 * 1000))
            for i in 0..<6 { out[i] = UInt8(truncatingIfNeeded: ms >> (8 * (5 - i))) }
            out[6] = (out[6] & 0x0F) | 0x70  // version 7
            out[8] = (out[8] & 0x3F) | 0x80  // RFC 9562 variant
        }
        return withUnsafeBytes(of: &b) { bytes in
            String(unsafeUninitializedCapacity: 36) { text in
                var n = 0
                for i in 0..<16 {
                    if i == 4 || i == 6 || i == 8 || i == 10 { text[n] = UInt8(ascii: "-"); n += 1 }
                    text[n] = hex[Int(bytes[i] >> 4)]; text[n + 1] = hex[Int(bytes[i] & 0xF)]; n += 2
                }
                return n
            }
        }
    }

    /// `/dev/urandom`, opened once for the life of the process (-1 if it cannot be opened).
    private static let urandom: Int32 = open("/dev/urandom", O_RDONLY | O_CLOEXEC)

    /// Fills `buffer` from the kernel's generator, one `read` for the whole pool; if `/dev/urandom` cannot be read,
    /// from swift-crypto's generator.
    private static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        var done = 0
        while done < buffer.count && urandom >= 0 {
            let n = read(urandom, buffer.baseAddress! + done, buffer.count - done)
            if n > 0 { done += n; continue }
            if n < 0 && errno == EINTR { continue }
            break
        }
        guard done < buffer.count else { return }
        let fallback = SymmetricKey(size: SymmetricKeySize(bitCount: (buffer.count - done) * 8))
        fallback.withUnsafeBytes { src in (buffer.baseAddress! + done).copyMemory(from: src.baseAddress!, byteCount: src.count) }
    }
}
