import Foundation
import WardenPolicy
import WardenWire

/// The alert rules Warden has without configuration, from the IAM notes' practices: know when root is used, when
/// someone signs in without MFA or many sign-ins fail, when root gets access keys, and when the password policy
/// or an administrator policy changes.
enum BuiltInAlertRules {
    static let rootActivity = "root-activity"
    static let consoleSignInWithoutMFA = "console-signin-without-mfa"
    static let signInFailureBurst = "signin-failure-burst"
    static let rootAccessKeyCreated = "root-access-key-created"
    static let passwordPolicyChanged = "password-policy-changed"
    static let adminPolicyChanged = "admin-policy-changed"
    static let externalAccess = "external-access"

    static let names = [rootActivity, consoleSignInWithoutMFA, signInFailureBurst, rootAccessKeyCreated, passwordPolicyChanged, adminPolicyChanged,
                        externalAccess]

    static let defaults: [AlertsConfiguration.Rule] = [
        .init(name: rootActivity, severity: "HIGH", description: "The root user made a call or signed in"),
        .init(name: consoleSignInWithoutMFA, severity: "MEDIUM", description: "A console sign-in succeeded without MFA"),
        .init(name: signInFailureBurst, severity: "HIGH", description: "Many console sign-ins of one user failed in a short time"),
        .init(name: rootAccessKeyCreated, severity: "CRITICAL", description: "An access key was created for the root user"),
        .init(name: passwordPolicyChanged, severity: "MEDIUM", description: "The account's password policy was changed or deleted"),
        .init(name: adminPolicyChanged, severity: "HIGH", description: "Administrator access was granted or an administrator policy changed"),
        .init(name: externalAccess, severity: "HIGH", description: "A role's trust policy now grants access from outside the account"),
    ]

    /// Operations that grant or change a policy, and the request member holding the policy's ARN or document.
    static let policyChanges: Set<String> = [
        "AttachUserPolicy", "AttachGroupPolicy", "AttachRolePolicy", "PutUserPolicy", "PutGroupPolicy", "PutRolePolicy",
        "CreatePolicyVersion", "SetDefaultPolicyVersion", "PutUserPermissionsBoundary", "PutRolePermissionsBoundary",
    ]
    static let administratorAccess = "arn:aws:iam::aws:policy/AdministratorAccess"

    /// Whether a successful call grants administrator access or changes an administrator policy: the policy is
    /// AWS's `AdministratorAccess`, the document allows `*` on `*`, or the managed policy it names does.
    static func changesAdminPolicy(_ call: RecordedCall, record: WireJSON?, isAdminPolicy: (String) -> Bool) -> Bool {
        guard call.event.errorCode == nil, call.event.service == .iam, policyChanges.contains(call.event.operation),
              let request = record?["requestParameters"] else { return false }
        if let document = request["policyDocument"]?.stringValue,
           let parsed = try? PolicyDocument.parse(document, kind: .identity), PolicyFacts.isAdministrator(parsed) { return true }
        for member in ["policyArn", "permissionsBoundary"] {
            if let arn = request[member]?.stringValue, arn == administratorAccess || isAdminPolicy(arn) { return true }
        }
        return false
    }

    /// Whether a successful `CreateRole` or `UpdateAssumeRolePolicy` sets a trust policy that lets a principal
    /// outside the account assume the role: Access Analyzer's external-access finding for a role. Outside means
    /// anyone (`*`), another account (by id or ARN), or a federated identity provider's users; AWS services are not.
    static func grantsExternalAccess(_ call: RecordedCall, record: WireJSON?) -> Bool {
        let e = call.event
        guard e.errorCode == nil, e.service == .iam, e.operation == "CreateRole" || e.operation == "UpdateAssumeRolePolicy",
              let request = record?["requestParameters"],
              let text = (request["assumeRolePolicyDocument"] ?? request["policyDocument"])?.stringValue,
              let doc = try? PolicyDocument.parse(text, kind: .trust) else { return false }
        return doc.statements.contains { s in
            guard s.effect == .allow, let p = s.principal, !p.negated else { return false }
            switch p.value {
            case .wildcard: return true
            case .map(let entries):
                return entries.contains { entry in
                    switch entry.type {
                    case "AWS": return entry.values.values.contains { outside($0, account: e.account) }
                    case "Federated": return true
                    default: return false
                    }
                }
            }
        }
    }

    /// Whether an `AWS` principal names someone outside `account`.
    static func outside(_ principal: String, account: String) -> Bool {
        if principal == "*" { return true }
        if principal.count == 12, principal.allSatisfy(\.isNumber) { return principal != account }
        let parts = principal.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count >= 5 && parts[0] == "arn" && parts[4] != Substring(account)
    }
}
