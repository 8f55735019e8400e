import Foundation
import WardenCore
import WardenStore
import WardenWire

/// Builds CloudTrail records (eventVersion 1.11) from call events. Secrets never enter a record: request and
/// response members that carry one are replaced as CloudTrail replaces them (see `AuditRedaction`).
enum AuditRecord {
    static let eventVersion = "1.11"

    /// The stored entry of one call: the record's JSON and the columns LookupEvents filters on.
    static func entry(_ event: CallEvent, input: APIInput?, output: APIOutput?, state: AccountState?) -> AuditEntry {
        var event = event
        if event.eventID.isEmpty { event.eventID = UUID().uuidString.lowercased() }
        let record = json(event, input: input, output: output, state: state)
        return AuditEntry(
            eventID: event.eventID, account: event.account, time: event.meta.time, eventName: event.operation,
            eventSource: event.custom?.eventSource ?? event.service.eventSource, region: region(event),
            username: event.custom.map(\.username) ?? username(event.caller),
            accessKeyID: event.caller.accessKeyID.isEmpty ? nil : event.caller.accessKeyID, readOnly: event.readOnly,
            resources: event.resources.compactMap(resource), record: record.jsonString)
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

    /// The record as CloudTrail writes it.
    static func json(_ event: CallEvent, input: APIInput?, output: APIOutput?, state: AccountState?) -> WireJSON {
        // Sign-in steps and workload role sessions carry their own fields (CustomRecord.swift).
        if let custom = event.custom { return json(event, custom: custom) }
        var m: [WireJSON.Member] = [
            .init("eventVersion", .string(eventVersion)),
            .init("userIdentity", userIdentity(event.caller, state: state)),
            .init("eventTime", .string(timestamp(event.meta.time))),
            .init("eventSource", .string(event.service.eventSource)),
            .init("eventName", .string(event.operation)),
            .init("awsRegion", .string(region(event))),
            .init("sourceIPAddress", .string(event.meta.sourceIP)),
            .init("userAgent", .string(event.meta.userAgent)),
        ]
        if let code = event.errorCode {
            m.append(.init("errorCode", .string(code)))
            m.append(.init("errorMessage", .string(event.errorMessage ?? "")))
        }
        m.append(.init("requestParameters", input.map(AuditParameters.request) ?? .null))
        // CloudTrail leaves responseElements null for calls that only read, and for failed calls.
        let response: WireJSON = event.errorCode == nil && !event.readOnly ? (output.map(AuditParameters.response) ?? .null) : .null
        m.append(.init("responseElements", response))
        if let s = event.caller.session?.sourceIdentity { m.append(.init("sourceIdentity", .string(s))) }
        m.append(.init("requestID", .string(event.meta.requestID)))
        m.append(.init("eventID", .string(event.eventID)))
        m.append(.init("readOnly", .bool(event.readOnly)))
        let resources = event.resources.compactMap(resource)
        if !resources.isEmpty {
            m.append(.init("resources", .array(resources.map {
                ["accountId": .string(ARN.parse($0.name)?.account ?? event.account), "type": .string($0.type), "ARN": .string($0.name)]
            })))
        }
        m.append(.init("eventType", .string(event.operation == "ConsoleLogin" ? "AwsConsoleSignIn" : "AwsApiCall")))
        m.append(.init("managementEvent", .bool(true)))
        m.append(.init("recipientAccountId", .string(event.account)))
        m.append(.init("eventCategory", .string("Management")))
        if event.meta.secureTransport {
            m.append(.init("tlsDetails", ["tlsVersion": "TLSv1.3", "clientProvidedHostHeader": .string(event.service.eventSource)]))
        }
        return .object(m)
    }

    /// `userIdentity`, by the kind of caller.
    static func userIdentity(_ caller: Caller, state: AccountState?) -> WireJSON {
        let p = caller.principal
        var m: [WireJSON.Member] = []
        func add(_ k: String, _ v: String?) { if let v, !v.isEmpty { m.append(.init(k, .string(v))) } }
        if caller.accessKeyID.isEmpty, let provider = caller.federatedProvider {
            // AssumeRoleWithWebIdentity / AssumeRoleWithSAML: the identity provider vouches for the caller.
            add("type", provider.contains(":saml-provider/") ? "SAMLUser" : "WebIdentityUser")
            add("principalId", "\(provider):\(p.name)")
            add("userName", p.name)
            add("identityProvider", provider)
            return .object(m)
        }
        switch p.kind {
        case .root:
            add("type", "Root"); add("principalId", p.account); add("arn", p.arn); add("accountId", p.account)
            add("accessKeyId", caller.accessKeyID)
        case .user:
            add("type", "IAMUser"); add("principalId", p.userID); add("arn", p.arn); add("accountId", p.account)
            add("accessKeyId", caller.accessKeyID); add("userName", p.name)
        case .assumedRole:
            add("type", "AssumedRole"); add("principalId", p.userID); add("arn", p.arn); add("accountId", p.account)
            add("accessKeyId", caller.accessKeyID)
        case .federatedUser:
            add("type", "FederatedUser"); add("principalId", p.userID); add("arn", p.arn); add("accountId", p.account)
            add("accessKeyId", caller.accessKeyID)
        }
        if let session = caller.session {
            m.append(.init("sessionContext", sessionContext(caller, session, state: state)))
        }
        return .object(m)
    }

    static func sessionContext(_ caller: Caller, _ session: SessionClaims, state: AccountState?) -> WireJSON {
        let p = caller.principal
        var issuer: [WireJSON.Member] = []
        switch p.kind {
        case .assumedRole:
            let role = state?.roles[p.name.lowercased()]
            let arn = role.flatMap { r in state.map { $0.roleARN(r) } } ?? ARN.iam(p.account, "role", name: p.name)
            issuer = [.init("type", "Role"), .init("principalId", .string(session.roleID ?? role?.id ?? "")),
                      .init("arn", .string(arn)), .init("accountId", .string(p.account)), .init("userName", .string(p.name))]
        case .federatedUser:
            if let parent = session.parentUser {
                issuer = [.init("type", "IAMUser"), .init("principalId", .string(session.userID ?? "")),
                          .init("arn", .string(ARN.iam(p.account, "user", path: state?.users[parent.lowercased()]?.path ?? "/", name: parent))),
                          .init("accountId", .string(p.account)), .init("userName", .string(parent))]
            }
        default: break
        }
        var m: [WireJSON.Member] = []
        if !issuer.isEmpty { m.append(.init("sessionIssuer", .object(issuer))) }
        if let provider = session.federatedProvider {
            m.append(.init("webIdFederationData", ["federatedProvider": .string(provider)]))
        } else if p.kind == .assumedRole {
            m.append(.init("webIdFederationData", .object([])))
        }
        m.append(.init("attributes", [
            "creationDate": .string(timestamp(session.issued)),
            "mfaAuthenticated": .string(session.mfaAuthenticated ? "true" : "false"),
        ]))
        if let s = session.sourceIdentity { m.append(.init("sourceIdentity", .string(s))) }
        return .object(m)
    }

    /// A resource of the record, typed as CloudTrail types IAM resources.
    static func resource(_ arn: String) -> AuditResource? {
        guard let parts = ARN.parse(arn) else { return nil }
        let type = parts.resource.split(separator: "/", maxSplits: 1).first.map(String.init) ?? parts.resource
        let names: [String: String] = [
            "user": "AWS::IAM::User", "group": "AWS::IAM::Group", "role": "AWS::IAM::Role", "policy": "AWS::IAM::Policy",
            "instance-profile": "AWS::IAM::InstanceProfile", "oidc-provider": "AWS::IAM::OIDCProvider",
            "saml-provider": "AWS::IAM::SAMLProvider", "server-certificate": "AWS::IAM::ServerCertificate",
            "mfa": "AWS::IAM::MFADevice", "root": "AWS::IAM::Root", "assumed-role": "AWS::STS::AssumedRole",
            "trail": "AWS::CloudTrail::Trail",
        ]
        if parts.service == "s3" { return AuditResource(type: "AWS::S3::Object", name: arn) }
        guard let t = names[type] else { return nil }
        return AuditResource(type: t, name: arn)
    }

    /// CloudTrail's time format: `2026-12-03T09:19:27Z` (the wire's, written without Foundation's formatters,
    /// which cost 2% of the server's CPU under load).
    static func timestamp(_ date: Date) -> String { WireFormat.timestamp(date) }
}
