import WardenEscalation

/// Small builders for accounts in tests: policies as JSON text, users and roles by name.
enum Fixture {
    static let account = "111122223333"
    typealias Details = AccountAuthorizationDetails

    static func userARN(_ name: String) -> String { "arn:aws:iam::\(account):user/\(name)" }
    static func roleARN(_ name: String) -> String { "arn:aws:iam::\(account):role/\(name)" }
    static func groupARN(_ name: String) -> String { "arn:aws:iam::\(account):group/\(name)" }
    static func policyARN(_ name: String) -> String { "arn:aws:iam::\(account):policy/\(name)" }

    /// A policy of statements given as JSON objects.
    static func policy(_ statements: String...) -> String {
        #"{"Version":"2012-10-17","Statement":[\#(statements.joined(separator: ","))]}"#
    }

    /// An Allow statement; `condition` is a JSON object's text.
    static func allow(_ actions: [String], _ resources: [String] = ["*"], sid: String? = nil, condition: String? = nil) -> String {
        statement("Allow", actions, resources, sid: sid, condition: condition)
    }

    /// A Deny statement.
    static func deny(_ actions: [String], _ resources: [String] = ["*"], sid: String? = nil, condition: String? = nil) -> String {
        statement("Deny", actions, resources, sid: sid, condition: condition)
    }

    static func statement(_ effect: String, _ actions: [String], _ resources: [String], sid: String?, condition: String?) -> String {
        var parts: [String] = []
        if let sid { parts.append(#""Sid":"\#(sid)""#) }
        parts.append(#""Effect":"\#(effect)""#)
        parts.append(#""Action":[\#(actions.map { "\"\($0)\"" }.joined(separator: ","))]"#)
        parts.append(#""Resource":[\#(resources.map { "\"\($0)\"" }.joined(separator: ","))]"#)
        if let condition { parts.append(#""Condition":\#(condition)"#) }
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// `Action: *` on `Resource: *`.
    static let admin = policy(allow(["*"]))

    /// A trust policy admitting AWS principals and services.
    static func trust(aws: [String] = [], service: [String] = [], condition: String? = nil) -> String {
        var principal: [String] = []
        if !aws.isEmpty { principal.append(#""AWS":[\#(aws.map { "\"\($0)\"" }.joined(separator: ","))]"#) }
        if !service.isEmpty { principal.append(#""Service":[\#(service.map { "\"\($0)\"" }.joined(separator: ","))]"#) }
        let c = condition.map { #","Condition":\#($0)"# } ?? ""
        return #"{"Version":"2012-10-17","Statement":[{"Sid":"Trust","Effect":"Allow","Principal":{\#(principal.joined(separator: ","))},"Action":"sts:AssumeRole"\#(c)}]}"#
    }

    static func user(_ name: String, _ policies: String..., groups: [String] = [], attached: [String] = [],
                     boundary: String? = nil, tags: [String: String] = [:]) -> Details.User {
        Details.User(name: name, id: "AIDA\(name.uppercased())", arn: userARN(name), groups: groups,
                     inlinePolicies: policies.enumerated().map { Details.InlinePolicy(name: "p\($0.offset)", document: PolicyText($0.element)) },
                     attachedPolicies: attached.map { Details.AttachedPolicy(name: String($0.split(separator: "/").last!), arn: $0) },
                     permissionsBoundary: boundary.map { Details.PermissionsBoundary(arn: $0) },
                     tags: tags.sorted { $0.key < $1.key }.map { Details.Tag(key: $0.key, value: $0.value) })
    }

    static func role(_ name: String, trust: String, _ policies: String..., attached: [String] = [], boundary: String? = nil,
                     instanceProfile: Bool = false, tags: [String: String] = [:]) -> Details.Role {
        Details.Role(name: name, id: "AROA\(name.uppercased())", arn: roleARN(name), trustPolicy: PolicyText(trust),
                     instanceProfiles: instanceProfile ? [.init(name: name, arn: "arn:aws:iam::\(account):instance-profile/\(name)")] : [],
                     inlinePolicies: policies.enumerated().map { Details.InlinePolicy(name: "p\($0.offset)", document: PolicyText($0.element)) },
                     attachedPolicies: attached.map { Details.AttachedPolicy(name: String($0.split(separator: "/").last!), arn: $0) },
                     permissionsBoundary: boundary.map { Details.PermissionsBoundary(arn: $0) },
                     tags: tags.sorted { $0.key < $1.key }.map { Details.Tag(key: $0.key, value: $0.value) })
    }

    static func group(_ name: String, _ policies: String..., attached: [String] = []) -> Details.Group {
        Details.Group(name: name, id: "AGPA\(name.uppercased())", arn: groupARN(name),
                      inlinePolicies: policies.enumerated().map { Details.InlinePolicy(name: "p\($0.offset)", document: PolicyText($0.element)) },
                      attachedPolicies: attached.map { Details.AttachedPolicy(name: String($0.split(separator: "/").last!), arn: $0) })
    }

    /// A customer managed policy; `versions` are (document, isDefault), named v1, v2, ….
    static func managed(_ name: String, _ versions: (String, Bool)...) -> Details.ManagedPolicy {
        Details.ManagedPolicy(name: name, arn: policyARN(name),
                              versions: versions.enumerated().map { .init(document: PolicyText($0.element.0), versionID: "v\($0.offset + 1)", isDefault: $0.element.1) })
    }

    /// The paths of `details`.
    static func paths(_ details: Details) -> [EscalationPath] {
        EscalationAnalysis.analyze(details, account: account)
    }

    /// The paths of one principal.
    static func paths(_ details: Details, of principal: String) -> [EscalationPath] {
        paths(details).filter { $0.principal == principal }
    }

    /// The method ids of the path of `principal` to `target`, or nil.
    static func methods(_ details: Details, _ principal: String, to target: String = EscalationPath.administrator) -> [String]? {
        paths(details, of: principal).first { $0.target == target }?.steps.map(\.method)
    }
}
