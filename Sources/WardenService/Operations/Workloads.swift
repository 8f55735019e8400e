import Crypto
import Foundation
import Synchronization
import WardenCore
import WardenPolicy
import WardenStore
import WardenWire

/// A workload token as its owners see it (never the token itself, which is shown once).
public struct WorkloadTokenInfo: Sendable, Equatable {
    public var id: String
    public var instanceProfileName: String
    public var instanceProfileARN: String
    public var roleARN: String?
    public var description: String?
    public var createDate: Date
    public var createdBy: String
    public var lastUsedDate: Date?
}

extension WorkloadTokenInfo: JSONEncodable {
    /// The token's description in the answers' member names (never the token): the record's `responseElements`.
    public func encodeJSON() -> WireJSON {
        var m: [WireJSON.Member] = [.init("TokenId", .string(id)), .init("InstanceProfileName", .string(instanceProfileName)),
                                    .init("InstanceProfileArn", .string(instanceProfileARN))]
        if let roleARN { m.append(.init("RoleArn", .string(roleARN))) }
        if let description { m.append(.init("Description", .string(description))) }
        m.append(.init("CreateDate", .string(WireFormat.timestamp(createDate))))
        m.append(.init("CreatedBy", .string(createdBy)))
        if let lastUsedDate { m.append(.init("LastUsedDate", .string(WireFormat.timestamp(lastUsedDate)))) }
        return .object(m)
    }
}

/// Credentials for a workload, in the container credentials provider's terms.
public struct WorkloadCredentials: Sendable {
    public var accessKeyID: String
    public var secretAccessKey: Redacted<String>
    public var token: Redacted<String>
    public var expiration: Date
    public var roleARN: String
}

/// Credentials issued per workload token, reused until they come close to expiring, so that every SDK refresh
/// does not mint a new session. In memory: another node (or a restart) simply issues fresh ones.
final class WorkloadCredentialCache: Sendable {
    struct Entry: Sendable { var credentials: WorkloadCredentials; var roleID: String }
    private let entries = Mutex<[String: Entry]>([:])
    static let shared = WorkloadCredentialCache()
    func get(_ key: String) -> Entry? { entries.withLock { $0[key] } }
    func set(_ key: String, _ e: Entry?) { entries.withLock { $0[key] = e } }
}

extension WardenService {
    /// Sessions issued to workloads last an hour and are replaced once less than 15 minutes remain, so an SDK
    /// that refreshes 5–15 minutes before expiry always gets credentials good for at least 15 more minutes.
    static let workloadSessionSeconds: TimeInterval = 3600
    static let workloadRefreshMargin: TimeInterval = 900
    static let workloadTokenPrefix = "wdnwt"

    static func workloadTokenHash(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A call of a workload token route. It is recorded in the audit trail as an IAM call named after its action
    /// (`CreateWorkloadToken`, `ListWorkloadTokens`, `DeleteWorkloadToken`: Warden extensions, no AWS API has them),
    /// with the request's members as `requestParameters`; a write stores the record in its transaction.
    func workloadCall(_ caller: Caller, _ meta: RequestMeta, _ action: String, input: [WireJSON.Member] = []) -> Call {
        let call = Call(service: self, caller: caller, meta: meta, action: action)
        call.recording.begin(.json(.object(input)))
        return call
    }

    /// Runs a workload token route's body and records the call as the dispatcher records API calls: once, allowed or
    /// denied, stored with the call's write or batched.
    func recorded<R>(_ call: Call, _ body: () throws -> R) throws -> R {
        do {
            let result: R
            do {
                result = try body()
            } catch let error as ServiceError where Self.revealsExistence(error.code) && !call.isAuthorized {
                // As the dispatcher does: a caller must be authorized before learning that a profile or token
                // does not exist.
                try call.authorize(error.missingResource ?? "*")
                throw error
            }
            let output: APIOutput? = if let j = result as? any JSONEncodable { .json(j) } else { nil }
            events.record(call.event(errorCode: nil, errorMessage: nil), input: call.recording.input, output: output,
                          stored: call.recording.storedRecord, store: store)
            return result
        } catch let e as ServiceError {
            events.record(call.event(errorCode: e.code.rawValue, errorMessage: e.message), input: call.recording.input, output: nil,
                          stored: call.recording.storedRecord, store: store)
            throw e
        }
    }

    func workloadInfo(_ t: WorkloadTokenRecord, _ state: AccountState) -> WorkloadTokenInfo {
        let profile = state.instanceProfiles[t.instanceProfileName.lowercased()]
        let role = profile?.roles.first.flatMap { state.roles[$0.lowercased()] }
        return WorkloadTokenInfo(id: t.id, instanceProfileName: t.instanceProfileName,
                                 instanceProfileARN: profile.map(state.instanceProfileARN) ?? ARN.iam(state.account.id, "instance-profile", name: t.instanceProfileName),
                                 roleARN: role.map(state.roleARN), description: t.description, createDate: t.createDate,
                                 createdBy: t.createdBy, lastUsedDate: t.lastUsedDate)
    }

    /// Creates a workload token for an instance profile. Like associating an instance profile with an EC2
    /// instance, it needs `iam:PassRole` on the profile's role for `ec2.amazonaws.com`. Returns the token once.
    public func createWorkloadToken(caller: Caller, meta: RequestMeta, instanceProfileName: String, description: String?) throws
        -> (token: Redacted<String>, info: WorkloadTokenInfo) {
        var input: [WireJSON.Member] = [.init("InstanceProfileName", .string(instanceProfileName))]
        if let description { input.append(.init("Description", .string(description))) }
        // Authorized as iam:PassRole on the role (below); recorded as CreateWorkloadToken.
        let call = workloadCall(caller, meta, "iam:CreateWorkloadToken", input: input)
        return try recorded(call) { try createWorkloadToken(call, instanceProfileName: instanceProfileName, description: description) }
    }

    func createWorkloadToken(_ call: Call, instanceProfileName: String, description: String?) throws -> (token: Redacted<String>, info: WorkloadTokenInfo) {
        let caller = call.caller
        guard !instanceProfileName.isEmpty else {
            throw ServiceError(.validationError, "InstanceProfileName is required (JSON body {\"InstanceProfileName\": …}).")
        }
        if let d = description, d.count > 1000 { throw ServiceError(.validationError, "Description must be at most 1000 characters.") }
        let state = try call.state()
        let profile = try state.instanceProfile(instanceProfileName)
        guard let roleName = profile.roles.first, let role = state.roles[roleName.lowercased()] else {
            throw ServiceError(.invalidInput, "Instance profile \(profile.name) has no role; add one with AddRoleToInstanceProfile first.")
        }
        try call.authorize(state.roleARN(role), action: "iam:PassRole", context: ["iam:PassedToService": ["ec2.amazonaws.com"]])
        let secret = JWT.base64URLEncode((0..<32).map { _ in UInt8.random(in: 0...255) })
        let token = "\(Self.workloadTokenPrefix).\(call.account).\(secret)"
        let id = "wt-" + Identifiers.random(count: 20, from: Array("abcdefghijklmnopqrstuvwxyz0123456789"))
        let record = WorkloadTokenRecord(id: id, tokenHash: Self.workloadTokenHash(token), instanceProfileName: profile.name,
                                         description: description, createDate: call.now, createdBy: caller.principal.arn)
        let info = try call.write { state in
            if state.workloadTokens.count >= 1000 { throw ServiceError.limitExceeded("Cannot exceed quota for WorkloadTokensPerAccount: 1000") }
            state.workloadTokens[record.tokenHash] = record
            return workloadInfo(record, state)
        }
        return (Redacted(token), info)
    }

    /// The account's workload tokens (`iam:ListWorkloadTokens`).
    public func listWorkloadTokens(caller: Caller, meta: RequestMeta) throws -> [WorkloadTokenInfo] {
        let call = workloadCall(caller, meta, "iam:ListWorkloadTokens")
        return try recorded(call) {
            try call.authorize("*")
            let state = try call.state()
            return state.workloadTokens.values.map { workloadInfo($0, state) }.sorted { ($0.createDate, $0.id) < ($1.createDate, $1.id) }
        }
    }

    /// Revokes a workload token (`iam:DeleteWorkloadToken` on its instance profile). It stops working at once;
    /// credentials already issued with it stay valid until they expire, as with any STS session.
    public func deleteWorkloadToken(caller: Caller, meta: RequestMeta, id: String) throws {
        let call = workloadCall(caller, meta, "iam:DeleteWorkloadToken", input: [.init("TokenId", .string(id))])
        try recorded(call) {
            let state = try call.state()
            guard let t = state.workloadTokens.values.first(where: { $0.id == id }) else {
                throw ServiceError.noSuchEntity("The workload token \(id) cannot be found.")
            }
            try call.authorize(workloadInfo(t, state).instanceProfileARN)
            try call.write { state in state.workloadTokens[t.tokenHash] = nil }
            WorkloadCredentialCache.shared.set("\(call.account)/\(t.tokenHash)", nil)
        }
    }

    /// Credentials for the role of a workload token's instance profile; nil for an unknown or revoked token.
    public func workloadCredentials(token: String) throws -> WorkloadCredentials? {
        let parts = token.split(separator: ".")
        guard parts.count == 3, parts[0] == Self.workloadTokenPrefix, let state = store.account(String(parts[1])) else { return nil }
        let hash = Self.workloadTokenHash(token)
        guard let record = state.workloadTokens[hash] else { return nil }
        guard let profile = state.instanceProfiles[record.instanceProfileName.lowercased()], let roleName = profile.roles.first,
              let role = state.roles[roleName.lowercased()] else {
            throw ServiceError(.noSuchEntity, "Instance profile \(record.instanceProfileName) no longer has a role.")
        }
        // As for an EC2 instance profile: the role's trust policy must let the EC2 service assume it. A refusal is
        // recorded as the AssumeRole that EC2 would have been denied.
        let roleARN = state.roleARN(role)
        let now = clock.now()
        guard Self.trustsService(role, service: "ec2.amazonaws.com", roleARN: roleARN, account: state.account.id) else {
            let error = ServiceError(.accessDenied, "The role \(roleARN) does not trust ec2.amazonaws.com: its trust policy must allow the service to call sts:AssumeRole, as an instance profile's role must.")
            recordEvent(.instanceProfileSession(account: state.account.id, roleARN: roleARN, roleID: role.id, sessionName: record.id,
                                                time: now, issued: nil, errorCode: error.code.rawValue, errorMessage: error.message))
            throw error
        }
        let key = "\(state.account.id)/\(hash)"
        if let cached = WorkloadCredentialCache.shared.get(key), cached.roleID == role.id,
           cached.credentials.expiration.timeIntervalSince(now) > Self.workloadRefreshMargin {
            return cached.credentials
        }
        var claims = SessionClaims(account: state.account.id, type: "role", name: role.name,
                                   accessKeyID: Identifiers.accessKeyID(temporary: true, account: state.account.id), secret: Identifiers.secretAccessKey(),
                                   issued: now, expires: now.addingTimeInterval(Self.workloadSessionSeconds), mfaAuthenticated: false)
        claims.roleID = role.id
        claims.sessionName = record.id
        claims.sourceARN = state.instanceProfileARN(profile)
        let creds = WorkloadCredentials(accessKeyID: claims.accessKeyID, secretAccessKey: Redacted(claims.secret),
                                        token: Redacted(sessionToken(for: claims)), expiration: claims.expires, roleARN: state.roleARN(role))
        WorkloadCredentialCache.shared.set(key, .init(credentials: creds, roleID: role.id))
        // Recorded when a session is issued (as EC2 assumes an instance profile's role once per session), in the same
        // transaction as the token's and role's last use; answers from the cache start no session and are not recorded.
        let session = CallEvent.instanceProfileSession(account: state.account.id, roleARN: roleARN, roleID: role.id, sessionName: record.id,
                                                       time: now, issued: (claims.accessKeyID, claims.expires))
        try? write(account: state.account.id, recording: session) { state in
            if var t = state.workloadTokens[hash] { t.lastUsedDate = now; state.workloadTokens[hash] = t }
            if var r = state.roles[role.name.lowercased()] { r.lastUsedDate = now; state.roles[r.name.lowercased()] = r }
        }
        return creds
    }

    /// Whether a role's trust policy allows an AWS service principal to assume it.
    static func trustsService(_ role: RoleRecord, service: String, roleARN: String, account: String) -> Bool {
        guard let trust = try? PolicyDocument.parse(role.assumeRolePolicy, kind: .trust) else { return false }
        let request = AuthorizationRequest(principal: RequestPrincipal(arn: service), action: "sts:AssumeRole", resource: roleARN,
                                           resourceAccount: account, context: RequestContext())
        let decision = WardenPolicy.Authorizer.evaluate(request, policies: PolicySet(resource: CompiledPolicy(trust, id: "trust")))
        return decision.effect == .allowed
    }
}
