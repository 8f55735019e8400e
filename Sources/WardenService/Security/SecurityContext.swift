import Foundation
import WardenCore
import WardenPolicy
import WardenStore

/// What a check reads: one account's state at one moment, the time, the thresholds, and the AWS managed policies'
/// documents (attachments name them by ARN).
public struct SecurityContext: Sendable {
    public let state: AccountState
    public let now: Date
    public let settings: SecuritySettings
    let managedPolicies: AWSManagedPolicies

    /// A context.
    public init(state: AccountState, now: Date, settings: SecuritySettings, managedPolicies: AWSManagedPolicies) {
        self.state = state; self.now = now; self.settings = settings; self.managedPolicies = managedPolicies
    }

    /// The account's id.
    var account: String { state.account.id }
    /// The resource of account-wide findings: the root user's ARN.
    var accountResource: String { ARN.root(account) }

    /// Users, roles and groups sorted by name, so findings come out in a stable order.
    var users: [UserRecord] { state.users.values.sorted { $0.name.lowercased() < $1.name.lowercased() } }
    var roles: [RoleRecord] { state.roles.values.sorted { $0.name.lowercased() < $1.name.lowercased() } }
    var groups: [GroupRecord] { state.groups.values.sorted { $0.name.lowercased() < $1.name.lowercased() } }
    /// Customer managed policies sorted by name.
    var customerPolicies: [ManagedPolicyRecord] { state.policies.values.sorted { $0.name.lowercased() < $1.name.lowercased() } }

    func arn(_ u: UserRecord) -> String { state.userARN(u) }
    func arn(_ r: RoleRecord) -> String { state.roleARN(r) }
    func arn(_ g: GroupRecord) -> String { state.groupARN(g) }

    /// The root user's access keys.
    var rootKeys: [AccessKeyRecord] { state.accessKeys.values.filter { $0.userName == nil }.sorted { $0.createDate < $1.createDate } }
    /// A user's access keys, oldest first.
    func keys(of user: UserRecord) -> [AccessKeyRecord] {
        let name = user.name.lowercased()
        return state.accessKeys.values.filter { $0.userName?.lowercased() == name }.sorted { ($0.createDate, $0.id) < ($1.createDate, $1.id) }
    }

    /// Days from `date` to now (fractional).
    func days(since date: Date) -> Double { now.timeIntervalSince(date) / 86_400 }

    /// The default document of a managed policy, customer or AWS, by ARN.
    func document(ofPolicy arn: String) -> String? {
        if let aws = managedPolicies.policy(arn) { return aws.document }
        return state.policies.values.first { $0.arn == arn }?.defaultDocument
    }

    /// The name of a managed policy ARN (`AdministratorAccess`).
    static func policyName(_ arn: String) -> String { arn.split(separator: "/").last.map(String.init) ?? arn }

    /// Every identity policy in the account with where it is: inline policies of users, groups and roles, and
    /// managed policies (customer managed whether attached or not, AWS managed when attached).
    var identityPolicies: [PolicyPlace] {
        var out: [PolicyPlace] = []
        for u in users { for p in u.inlinePolicies { out.append(.init(resource: arn(u), name: p.name, document: p.document, kind: .inline, attachedTo: [arn(u)])) } }
        for g in groups { for p in g.inlinePolicies { out.append(.init(resource: arn(g), name: p.name, document: p.document, kind: .inline, attachedTo: [arn(g)])) } }
        for r in roles { for p in r.inlinePolicies { out.append(.init(resource: arn(r), name: p.name, document: p.document, kind: .inline, attachedTo: [arn(r)])) } }
        let attachments = self.attachments
        for p in customerPolicies {
            out.append(.init(resource: p.arn, name: p.name, document: p.defaultDocument, kind: .customerManaged, attachedTo: attachments[p.arn] ?? []))
        }
        for (policyARN, entities) in attachments.sorted(by: { $0.key < $1.key }) {
            guard let aws = managedPolicies.policy(policyARN) else { continue }
            out.append(.init(resource: policyARN, name: aws.name, document: aws.document, kind: .awsManaged, attachedTo: entities))
        }
        return out
    }

    /// Managed policy ARN → the ARNs of the users, groups and roles it is attached to.
    var attachments: [String: [String]] {
        var out: [String: [String]] = [:]
        for u in users { for p in u.attachedPolicies { out[p, default: []].append(arn(u)) } }
        for g in groups { for p in g.attachedPolicies { out[p, default: []].append(arn(g)) } }
        for r in roles { for p in r.attachedPolicies { out[p, default: []].append(arn(r)) } }
        return out
    }
}

/// An identity policy and where it is.
struct PolicyPlace: Sendable {
    enum Kind: String, Sendable { case inline, customerManaged = "customer managed", awsManaged = "AWS managed" }
    /// The policy's ARN (managed) or the ARN of the entity holding it (inline).
    var resource: String
    var name: String
    var document: String
    var kind: Kind
    /// The entities it applies to.
    var attachedTo: [String]

    /// How a finding names it: ``inline policy `x` of `arn:…` `` or ``customer managed policy `x` ``.
    var label: String { kind == .inline ? "inline policy `\(name)` of `\(resource)`" : "\(kind.rawValue) policy `\(name)`" }
    /// The parsed document (nil if it does not parse, which IAM would not have stored).
    var parsed: PolicyDocument? { try? PolicyDocument.parse(document, kind: .identity) }
}
