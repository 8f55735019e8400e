import Foundation
import WardenCore
import WardenStore
import WardenWire

/// Applies the enabled remediations to one account: each change in its own transaction, with its CloudTrail
/// record (the IAM operation, made by `warden.amazonaws.com` as an AWS service) stored in the same transaction.
/// A dry run changes nothing and only reports. Root's access keys are never touched: deactivating them could lock
/// the operator out; the security status reports them instead.
struct Remediator {
    let service: WardenService
    let account: String
    let now: Date
    let configuration: RemediationConfiguration
    /// Forces every remediation to a dry run (`RunRemediations` with `DryRun`).
    let forceDryRun: Bool

    /// The policy `require-mfa` attaches: AWS's documented policy that lets a user without MFA manage only their
    /// own MFA device and password until they sign in with MFA.
    static let requireMFAPolicyName = "WardenRequireMFA"
    static let requireMFAPolicyPath = "/warden/"

    /// One change to make.
    struct Change {
        var action: RemediationConfiguration.Action
        var checkID: String
        var resource: String
        var reason: String
        var dryRun: Bool
        /// The IAM operation and its request members, as the trail records them.
        var operation: String
        var parameters: [WireJSON.Member]
        /// The change itself (nil for a notice).
        var apply: ((inout AccountState) throws -> Void)?
        /// Whether this is a notice before a later change.
        var notice = false
    }

    /// Works out and makes the changes; returns what was done.
    func run() -> [RemediationRecord] {
        guard let state = service.store.snapshot().accounts[account] else { return [] }
        let changes = plan(state)
        var records: [RemediationRecord] = []
        for change in changes {
            records.append(make(change))
        }
        keep(records)
        return records
    }

    /// The changes the state calls for.
    func plan(_ state: AccountState) -> [Change] {
        var out: [Change] = []
        let users = state.users.values.sorted { $0.name.lowercased() < $1.name.lowercased() }
        func dry(_ s: RemediationConfiguration.Setting) -> Bool { forceDryRun || s.dryRun }
        let keys = state.accessKeys.values.filter { $0.userName != nil && $0.status == "Active" }.sorted { $0.id < $1.id }
        if let s = configuration.enabled[.deactivateUnusedKeys] {
            for k in keys {
                let since = k.lastUsedDate ?? k.createDate
                guard now.timeIntervalSince(since) >= Double(s.days) * 86_400, let user = k.userName else { continue }
                let what = k.lastUsedDate == nil ? "never used since it was created \(days(since)) days ago" : "unused for \(days(since)) days"
                out.append(deactivate(k, user: user, action: .deactivateUnusedKeys, checkID: "access-key-unused", reason: "Access key `\(k.id)` of `\(user)` is \(what).", dryRun: dry(s), state: state))
            }
        }
        if let s = configuration.enabled[.deactivateOldKeys] {
            for k in keys where now.timeIntervalSince(k.createDate) >= Double(s.days) * 86_400 {
                guard let user = k.userName else { continue }
                let noticed = state.remediations.values.filter { $0.action == RemediationConfiguration.Action.deactivateOldKeys.rawValue && $0.status == "NOTIFIED" && $0.resource.hasSuffix(k.id) }.map(\.time).min()
                let resource = "\(state.userARN(named: user)) \(k.id)"
                if let noticed, now.timeIntervalSince(noticed) >= Double(s.noticeDays) * 86_400 {
                    out.append(deactivate(k, user: user, action: .deactivateOldKeys, checkID: "access-key-rotation",
                                          reason: "Access key `\(k.id)` of `\(user)` is \(days(k.createDate)) days old and was not rotated \(days(noticed)) days after notice.", dryRun: dry(s), state: state))
                } else if noticed == nil {
                    out.append(Change(action: .deactivateOldKeys, checkID: "access-key-rotation", resource: resource,
                                      reason: "Access key `\(k.id)` of `\(user)` is \(days(k.createDate)) days old: rotate it within \(s.noticeDays) days or it will be deactivated.",
                                      dryRun: dry(s), operation: "", parameters: [], apply: nil, notice: true))
                }
            }
        }
        if let s = configuration.enabled[.deleteUnusedLoginProfiles] {
            for u in users {
                guard let login = u.loginProfile else { continue }
                let since = u.passwordLastUsed ?? login.createDate
                guard now.timeIntervalSince(since) >= Double(s.days) * 86_400 else { continue }
                let name = u.name
                out.append(Change(action: .deleteUnusedLoginProfiles, checkID: "console-password-unused", resource: state.userARN(u),
                                  reason: "The console password of `\(name)` is \(u.passwordLastUsed == nil ? "never used since it was set \(days(since)) days ago" : "unused for \(days(since)) days").",
                                  dryRun: dry(s), operation: "DeleteLoginProfile", parameters: [.init("userName", .string(name))]) { st in
                    guard var user = st.users[name.lowercased()], user.loginProfile != nil else { return }
                    user.loginProfile = nil
                    st.users[name.lowercased()] = user
                })
            }
        }
        if let s = configuration.enabled[.detachDeniedPolicies] {
            let denied = Set(s.policies)
            for u in users { for p in u.attachedPolicies where denied.contains(p) { out.append(detach(.user, u.name, p, state.userARN(u), dry(s))) } }
            for g in state.groups.values.sorted(by: { $0.name < $1.name }) { for p in g.attachedPolicies where denied.contains(p) { out.append(detach(.group, g.name, p, state.groupARN(g), dry(s))) } }
            for r in state.roles.values.sorted(by: { $0.name < $1.name }) where r.serviceLinkedService == nil {
                for p in r.attachedPolicies where denied.contains(p) { out.append(detach(.role, r.name, p, state.roleARN(r), dry(s))) }
            }
        }
        if let s = configuration.enabled[.requireMFA] {
            let arn = ARN.iam(account, "policy", path: Self.requireMFAPolicyPath, name: Self.requireMFAPolicyName)
            for u in users where u.loginProfile != nil && u.mfaSerials.isEmpty && !u.attachedPolicies.contains(arn) {
                let name = u.name
                out.append(Change(action: .requireMFA, checkID: "console-users-mfa", resource: state.userARN(u),
                                  reason: "`\(name)` signs in to the console without MFA: attached `\(Self.requireMFAPolicyName)`, which denies everything but setting up MFA until they sign in with it.",
                                  dryRun: dry(s), operation: "AttachUserPolicy", parameters: [.init("userName", .string(name)), .init("policyArn", .string(arn))]) { st in
                    try Self.ensureRequireMFAPolicy(&st, arn: arn, now: now)
                    guard var user = st.users[name.lowercased()], !user.attachedPolicies.contains(arn) else { return }
                    if user.attachedPolicies.count >= 10 { throw ServiceError.limitExceeded("Cannot exceed quota for PoliciesPerUser: 10") }
                    user.attachedPolicies.append(arn)
                    st.users[name.lowercased()] = user
                })
            }
        }
        return out
    }

    private enum Holder: String { case user = "User", group = "Group", role = "Role" }

    private func detach(_ kind: Holder, _ name: String, _ policy: String, _ resource: String, _ dryRun: Bool) -> Change {
        Change(action: .detachDeniedPolicies, checkID: policy.hasSuffix("/AWSCloudShellFullAccess") ? "cloudshell-full-access" : "configured-denied-policies",
               resource: resource, reason: "`\(SecurityContext.policyName(policy))` is attached to \(kind.rawValue.lowercased()) `\(name)` and the configuration denies it.",
               dryRun: dryRun, operation: "Detach\(kind.rawValue)Policy",
               parameters: [.init("\(kind.rawValue.lowercased())Name", .string(name)), .init("policyArn", .string(policy))]) { st in
            let key = name.lowercased()
            switch kind {
            case .user: if var u = st.users[key] { u.attachedPolicies.removeAll { $0 == policy }; st.users[key] = u }
            case .group: if var g = st.groups[key] { g.attachedPolicies.removeAll { $0 == policy }; st.groups[key] = g }
            case .role: if var r = st.roles[key] { r.attachedPolicies.removeAll { $0 == policy }; st.roles[key] = r }
            }
        }
    }

    private func deactivate(_ k: AccessKeyRecord, user: String, action: RemediationConfiguration.Action, checkID: String, reason: String,
                            dryRun: Bool, state: AccountState) -> Change {
        let id = k.id
        return Change(action: action, checkID: checkID, resource: "\(state.userARN(named: user)) \(id)", reason: reason, dryRun: dryRun,
                      operation: "UpdateAccessKey",
                      parameters: [.init("userName", .string(user)), .init("accessKeyId", .string(id)), .init("status", "Inactive")]) { st in
            guard var key = st.accessKeys[id], key.status == "Active" else { return }
            key.status = "Inactive"
            st.accessKeys[id] = key
        }
    }

    /// Creates the customer managed policy `require-mfa` attaches, if the account has none.
    static func ensureRequireMFAPolicy(_ state: inout AccountState, arn: String, now: Date) throws {
        let key = requireMFAPolicyName.lowercased()
        if state.policies[key] != nil { return }
        state.policies[key] = ManagedPolicyRecord(
            id: Identifiers.uniqueID(.policy), name: requireMFAPolicyName, path: requireMFAPolicyPath, arn: arn,
            description: "Attached by Warden's require-mfa remediation: denies everything but managing one's own MFA device and password until signed in with MFA.",
            createDate: now, document: requireMFADocument)
    }

    /// AWS's documented "allows MFA-authenticated IAM users to manage their own credentials" policy, deny part.
    static let requireMFADocument = """
    {"Version":"2012-10-17","Statement":[{"Sid":"DenyAllExceptListedIfNoMFA","Effect":"Deny","NotAction":["iam:CreateVirtualMFADevice","iam:EnableMFADevice","iam:GetUser","iam:ChangePassword","iam:ListMFADevices","iam:ListVirtualMFADevices","iam:ResyncMFADevice","sts:GetSessionToken"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}
    """

    /// Days since a date, rounded down.
    private func days(_ since: Date) -> Int { Int(now.timeIntervalSince(since) / 86_400) }

    /// Makes one change (or reports it), and returns its record.
    private func make(_ c: Change) -> RemediationRecord {
        let id = "remediation-" + UUID().uuidString.lowercased()
        var record = RemediationRecord(id: id, time: now, action: c.action.rawValue, checkID: c.checkID, resource: c.resource,
                                       status: c.notice ? "NOTIFIED" : c.dryRun ? "WOULD_APPLY" : "APPLIED", reason: c.reason)
        if c.dryRun && c.notice { record.reason += " (dry run: no notice is counted)" }
        guard !c.dryRun, let apply = c.apply else {
            service.logger.notice("remediation \(record.status): \(c.reason)", metadata: ["warden.account": "\(account)", "warden.remediation": "\(c.action.rawValue)"])
            return record
        }
        do {
            let event = CallEvent.remediation(c, account: account, time: now)
            try service.write(account: account, recording: event) { state in try apply(&state) }
            service.logger.warning("remediation applied: \(c.reason)", metadata: ["warden.account": "\(account)", "warden.remediation": "\(c.action.rawValue)"])
        } catch {
            record.status = "FAILED"
            record.reason += " Failed: \(error)"
            service.logger.error("remediation failed: \(c.reason)", metadata: ["warden.account": "\(account)", "error": "\(error)"])
        }
        return record
    }

    /// Keeps the records (a dry-run notice is not kept as a notice: it must not start the countdown).
    private func keep(_ records: [RemediationRecord]) {
        let kept = records.filter { !($0.status == "NOTIFIED" && $0.reason.hasSuffix("(dry run: no notice is counted)")) }
        guard !kept.isEmpty else { return }
        do {
            try service.store.write(account: account) { state in
                for r in kept { state.remediations[r.id] = r }
                let over = state.remediations.count - RemediationRecord.kept
                if over > 0 {
                    for old in state.remediations.values.sorted(by: { ($0.time, $0.id) < ($1.time, $1.id) }).prefix(over) where old.status != "NOTIFIED" {
                        state.remediations[old.id] = nil
                    }
                }
            }
        } catch {
            service.logger.error("remediation: could not keep \(kept.count) records", metadata: ["warden.account": "\(account)", "error": "\(error)"])
        }
    }
}

extension CallEvent {
    /// The trail's record of a remediation: the IAM operation, made by Warden as an AWS service.
    static func remediation(_ c: Remediator.Change, account: String, time: Date) -> CallEvent {
        let source = AlertEngine.wardenSource
        let meta = RequestMeta(requestID: UUID().uuidString.lowercased(), sourceIP: source, userAgent: source,
                               secureTransport: false, region: "us-east-1", time: time)
        let principal = Principal(kind: .assumedRole, account: account, arn: source, userID: source, name: source)
        let custom = CustomRecord(eventSource: APIService.iam.eventSource, eventType: "AwsApiCall",
                                  userIdentity: ["type": "AWSService", "invokedBy": .string(source)], username: nil,
                                  sourceIPAddress: source, userAgent: source, requestParameters: .object(c.parameters),
                                  responseElements: .null,
                                  additionalEventData: ["remediation": .string(c.action.rawValue), "checkId": .string(c.checkID), "reason": .string(c.reason)],
                                  host: APIService.iam.eventSource)
        return CallEvent(service: .iam, operation: c.operation, account: account, caller: Caller(principal: principal, accessKeyID: ""),
                         meta: meta, errorCode: nil, errorMessage: nil, resources: [c.resource.split(separator: " ").first.map(String.init) ?? c.resource],
                         readOnly: false, custom: custom)
    }
}
