import WardenPolicy

extension Checker {
    mutating func checkStatement(_ s: StatementView) {
        checkElementsForPolicyType(s)
        for item in s.actions { checkAction(item) }
        checkRedundant(s.actions, s: s, isAction: true)
        for item in s.resources { checkResource(item) }
        checkRedundant(s.resources, s: s, isAction: false)
        checkTypedResourcePolicy(s)
        checkPrincipals(s)
        checkConditions(s)
        checkPassRoleAndServiceLinkedRole(s)
        checkVariables(s)
    }

    // MARK: Elements allowed per policy type

    mutating func checkElementsForPolicyType(_ s: StatementView) {
        let principalPath = s.path + [.value(s.principalNegated ? "NotPrincipal" : "Principal")]
        if let p = s.principalNode {
            switch type {
            case .identity:
                add(.error, "UNSUPPORTED_PRINCIPAL",
                    "The policy type IDENTITY_POLICY does not support the Principal element. Remove the Principal element.", [loc(principalPath, p)])
            case .serviceControl:
                add(.error, "SCP_SYNTAX_ERROR_PRINCIPAL",
                    "SCPs do not support specifying principals. Remove the Principal or NotPrincipal element.", [loc(principalPath, p)])
            default:
                if isTrust && s.principalNegated {
                    add(.error, "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL",
                        "Role trust policies do not support NotPrincipal. Update the policy to use a Principal element instead.", [loc(principalPath, p)])
                }
                if isTrust && s.principalWildcard {
                    add(.error, "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
                        "\"Principal:\" \"*\" is not supported in the principal element of a role trust policy. Replace the wildcard with a valid principal value.",
                        [loc(principalPath, p)])
                }
                if s.principalNegated && s.isAllow {
                    add(.securityWarning, "ALLOW_WITH_NOT_PRINCIPAL",
                        "Using Allow with NotPrincipal can be overly permissive. We recommend that you use Principal instead.", [loc(principalPath, p)])
                }
            }
        }
        if isTrust && s.hasResource {
            let path = s.path + [.value(s.resourceNegated ? "NotResource" : "Resource")]
            let node = resourceNode(s) ?? s.node
            add(.error, "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE",
                "Role trust policies apply to the role that they are attached to. You cannot specify a resource. Remove the Resource or NotResource element.",
                [loc(path, node)])
        }
        if type == .serviceControl {
            if s.resourceNegated, let node = resourceNode(s) {
                add(.error, "SCP_SYNTAX_ERROR_NOTRESOURCE", "SCPs do not support the NotResource element. Update the policy to use Resource instead.",
                    [loc(s.path + [.value("NotResource")], node)])
            }
            if s.isAllow {
                if s.actionNegated, let node = member(s, "NotAction") {
                    add(.error, "SCP_SYNTAX_ERROR_ALLOW_NOTACTION", "SCPs do not support NotAction with effect Allow. Update the element NotAction or the effect.",
                        [loc(s.path + [.value("NotAction")], node)])
                }
                if let c = s.conditionNode {
                    add(.error, "SCP_SYNTAX_ERROR_ALLOW_CONDITION",
                        "SCPs do not support the Condition element with effect Allow. Update the element Condition or the effect.",
                        [loc(s.path + [.value("Condition")], c)])
                }
                if !s.resourceNegated, let node = member(s, "Resource"), s.resources.contains(where: { $0.text != "*" }) {
                    add(.error, "SCP_SYNTAX_ERROR_ALLOW_RESOURCE", "SCPs do not support Resource with effect Allow. Update the element Resource or the effect.",
                        [loc(s.path + [.value("Resource")], node)])
                }
            }
            for a in s.actions {
                if let star = a.text.firstIndex(where: { $0 == "*" || $0 == "?" }), a.text.index(after: star) != a.text.endIndex || a.text[star] == "?" {
                    add(.error, "SCP_SYNTAX_ERROR_ACTION_WILDCARD",
                        "SCP actions can include wildcards (*) only at the end of a string. Update \(a.text).", [loc(a)])
                }
            }
        }
    }

    func member(_ s: StatementView, _ key: String) -> JSONNode? {
        guard case .object(let members) = s.node.kind else { return nil }
        return members.first { $0.key == key }?.value
    }

    func resourceNode(_ s: StatementView) -> JSONNode? { member(s, s.resourceNegated ? "NotResource" : "Resource") }

    // MARK: Actions

    static func hasWildcard(_ s: String) -> Bool { s.contains("*") || s.contains("?") }

    mutating func checkAction(_ item: Item) {
        let a = item.text
        if a == "*" { return }
        let parts = a.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            add(.error, "INVALID_ACTION", "The action \(a) does not exist.", [loc(item)])
            return
        }
        let service = String(parts[0]), name = String(parts[1])
        if Checker.hasWildcard(service) {
            add(.suggestion, "WILDCARD_IN_SERVICE_NAME",
                "Avoid using wildcards (*, ?) in the service name because it might grant unintended access to other AWS services with similar names.",
                [loc(item)])
            return
        }
        guard let svc = catalog.service(service) else {
            var details = "The service \(service) specified in the action does not exist."
            if let guess = Checker.closest(service.lowercased(), among: catalog.services.keys) { details += " Did you mean \(guess)?" }
            add(.error, "INVALID_SERVICE_IN_ACTION", details, [loc(item)])
            return
        }
        if Checker.hasWildcard(name) {
            if catalog.actions(of: svc, matching: name).isEmpty {
                add(.error, "INVALID_ACTION", "The action \(a) does not exist.", [loc(item)])
            }
            return
        }
        if svc.action(name) == nil {
            var details = "The action \(a) does not exist."
            if let guess = Checker.closest(name.lowercased(), among: svc.actions.map { $0.name.lowercased() }),
               let action = svc.action(guess) {
                details += " Did you mean \(svc.prefix):\(action.name)?"
            }
            add(.error, "INVALID_ACTION", details, [loc(item)])
        }
    }

    /// The candidate nearest to `word` by edit distance, if it is near enough to be a likely typo.
    static func closest<S: Sequence>(_ word: String, among candidates: S) -> String? where S.Element == String {
        let w = Array(word.utf8)
        var best: (String, Int)?
        let limit = max(1, min(3, w.count / 3))
        for c in candidates {
            let cb = Array(c.utf8)
            if abs(cb.count - w.count) > limit { continue }
            let d = editDistance(w, cb)
            if d <= limit && (best == nil || d < best!.1) { best = (c, d) }
        }
        return best?.0
    }

    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The catalogue actions an action pattern denotes (`s3:Get*`), as `prefix:lowercased-name`; nil when unknown.
    func expand(_ pattern: String) -> Set<String>? {
        let parts = pattern.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !Checker.hasWildcard(String(parts[0])), let svc = catalog.service(String(parts[0])) else { return nil }
        let found = catalog.actions(of: svc, matching: String(parts[1]))
        return found.isEmpty ? nil : Set(found.map { svc.prefix + ":" + $0.name.lowercased() })
    }

    /// REDUNDANT_ACTION / REDUNDANT_RESOURCE: entries of one element already covered by another entry.
    mutating func checkRedundant(_ items: [Item], s: StatementView, isAction: Bool) {
        guard items.count > 1 else { return }
        var redundant: [Item] = []
        let expansions = isAction ? items.map { expand($0.text) } : []
        for (i, item) in items.enumerated() {
            let covered = items.indices.contains { j in
                guard j != i else { return false }
                let other = items[j]
                // Equal entries: the later one is the redundant one.
                let same = isAction ? other.text.lowercased() == item.text.lowercased() : other.text == item.text
                if same { return j < i }
                if Glob.matches(Glob.compile(other.text, foldCase: isAction), item.text, foldCase: isAction) {
                    // Mutually covering patterns (`s3:Get*` and `s3:G*et*`): keep the first.
                    let back = Glob.matches(Glob.compile(item.text, foldCase: isAction), other.text, foldCase: isAction)
                    return !back || j < i
                }
                if isAction, let mine = expansions[i], let theirs = expansions[j], mine.isSubset(of: theirs) {
                    return mine != theirs || j < i
                }
                return false
            }
            if covered { redundant.append(item) }
        }
        guard let first = redundant.first else { return }
        if isAction {
            add(.suggestion, "REDUNDANT_ACTION",
                "The \(redundant.count) action(s) are redundant because they provide similar permissions. Update the policy to remove the redundant action such as: \(first.text).",
                redundant.map(loc))
        } else {
            add(.suggestion, "REDUNDANT_RESOURCE",
                "The \(redundant.count) resource ARN(s) are redundant because they reference the same resource. Review the use of wildcards (*)",
                redundant.map(loc))
        }
    }

    // MARK: Resources

    static func isVariableOrWildcard(_ s: Substring) -> Bool { s.contains("*") || s.contains("?") || s.contains("${") }

    static func isRegion(_ s: Substring) -> Bool {
        // Two letters, one or more dash-separated words, a number: us-east-1, us-gov-west-1, cn-north-1.
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0].count == 2, parts[0].allSatisfy({ $0.isLowercase && $0.isASCII }),
              let last = parts.last, !last.isEmpty, last.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        return parts.dropFirst().dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) } }
    }

    mutating func checkResource(_ item: Item) {
        let r = item.text
        if r == "*" || r.hasPrefix("${") { return }
        guard r.hasPrefix("arn:") else {
            add(.error, "INVALID_ARN_PREFIX", "Add the required prefix (arn) to the resource ARN.", [loc(item)])
            return
        }
        let parts = r.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6 else {
            add(.error, "MISSING_ARN_FIELD",
                "Resource ARNs must include at least 6 fields in the following structure: arn:partition:service:region:account:resource",
                [loc(item)])
            return
        }
        let partition = parts[1], service = parts[2], region = parts[3], account = parts[4], resource = parts[5]
        if !Checker.isVariableOrWildcard(partition) && !PolicyValidator.partitions.contains(String(partition)) {
            let valid = PolicyValidator.partitions.filter { $0 != "*" }.sorted().joined(separator: ", ")
            add(.error, "INVALID_PARTITION",
                "The resource ARN for the service \(service) does not support the partition \(partition). Use the supported values: \(valid)",
                [loc(item)])
            return
        }
        if Checker.isVariableOrWildcard(service) { return }
        if service.lowercased() != service {
            add(.error, "INVALID_ARN_SERVICE_CASE", "Update the service name \(service) in the resource ARN to use all lowercase letters.", [loc(item)])
            return
        }
        guard let svc = catalog.service(String(service)) else {
            add(.error, "INVALID_SERVICE", "The service \(service) does not exist. Use a valid service name.", [loc(item)])
            return
        }
        let formats = svc.resourceTypes.compactMap { rt -> [Substring]? in
            let f = rt.arnFormat.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            return f.count == 6 ? f : nil
        }
        guard !formats.isEmpty else { return }
        let matching = formats.filter { ARNPatternIntersection.intersects(String(resource), String($0[5])) }
        guard !matching.isEmpty else {
            add(.error, "INVALID_ARN_RESOURCE",
                "Resource ARN does not match the expected ARN format. Update the resource portion of the ARN.", [loc(item)])
            return
        }
        if !region.isEmpty && !Checker.isVariableOrWildcard(region) {
            if matching.allSatisfy({ $0[3].isEmpty }) {
                add(.error, "ARN_REGION_NOT_ALLOWED", "The service \(service) does not support specifying a Region in the resource ARN.", [loc(item)])
                return
            }
            if !Checker.isRegion(region) {
                add(.error, "INVALID_ARN_REGION",
                    "The Region \(region) is not valid for this resource. Update the resource ARN to include a supported Region.", [loc(item)])
                return
            }
        }
        if region.isEmpty && matching.allSatisfy({ !$0[3].isEmpty }) {
            add(.error, "MISSING_ARN_REGION", "Add a Region to the \(service) resource ARN.", [loc(item)])
            return
        }
        if !account.isEmpty && !Checker.isVariableOrWildcard(account) {
            if matching.allSatisfy({ $0[4].isEmpty }) {
                add(.error, "ARN_ACCOUNT_NOT_ALLOWED", "The service \(service) does not support specifying an account ID in the resource ARN.", [loc(item)])
                return
            }
            if !(account.count == 12 && account.allSatisfy { $0.isASCII && $0.isNumber }) && account != "aws" {
                add(.error, "INVALID_ARN_ACCOUNT", "The resource ARN account ID \(account) is not valid. Provide a 12-digit account ID.", [loc(item)])
            }
        }
    }

    /// Actions and resources a typed resource policy may name.
    mutating func checkTypedResourcePolicy(_ s: StatementView) {
        guard let rt = resourceType, rt != .roleTrustPolicy else {
            if isTrust && !s.actionNegated {
                for a in s.actions where !PolicyValidator.isTrustAction(a.text) && a.text != "*" {
                    add(.error, "UNSUPPORTED_ACTION_IN_POLICY",
                        "The action \(a.text) is not supported for the resource-based policy attached to the resource type \(ValidatePolicyResourceType.roleTrustPolicy.rawValue).",
                        [loc(a)])
                }
            }
            return
        }
        let services: Set<String>
        switch rt {
        case .s3Bucket, .s3AccessPoint, .s3MultiRegionAccessPoint: services = ["s3"]
        case .s3ObjectLambdaAccessPoint: services = ["s3-object-lambda"]
        case .dynamoDBTable: services = ["dynamodb"]
        case .roleTrustPolicy: services = []
        }
        if !s.actionNegated {
            for a in s.actions where a.text != "*" {
                let prefix = a.text.split(separator: ":", maxSplits: 1).first.map { $0.lowercased() } ?? ""
                if !services.contains(prefix) && !Checker.hasWildcard(prefix) {
                    add(.error, "UNSUPPORTED_ACTION_IN_POLICY",
                        "The action \(a.text) is not supported for the resource-based policy attached to the resource type \(rt.rawValue).", [loc(a)])
                }
            }
        }
        for r in s.resources where r.text != "*" {
            let parts = r.text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            guard parts.count >= 3, !Checker.isVariableOrWildcard(parts[2]) else { continue }
            if !services.contains(String(parts[2])) {
                add(.error, "UNSUPPORTED_RESOURCE_ARN_IN_POLICY",
                    "The resource ARN is not supported for the resource-based policy attached to the resource type \(rt.rawValue).", [loc(r)])
            }
        }
        if s.principals.contains(where: { $0.type == "Federated" }) {
            for p in s.principals where p.type == "Federated" {
                add(.error, "FEDERATED_PRINCIPAL_NOT_SUPPORTED",
                    "The policy type does not support a federated identity provider in the principal element. Use a supported principal.", [loc(p.item)])
            }
        }
    }

    // MARK: iam:PassRole and iam:CreateServiceLinkedRole

    /// How a statement's actions reach `action`: named, through a wildcard, through NotAction, or not at all.
    enum Reach { case none, named, wildcard, notAction }

    func reach(_ s: StatementView, _ action: String) -> (Reach, [Item]) {
        if s.actionNegated {
            let excluded = s.actions.contains { Glob.matches(Glob.compile($0.text, foldCase: true), action, foldCase: true) }
            return excluded ? (.none, []) : (.notAction, [])
        }
        if let named = s.actions.first(where: { $0.text.lowercased() == action.lowercased() }) { return (.named, [named]) }
        if let w = s.actions.first(where: { Glob.matches(Glob.compile($0.text, foldCase: true), action, foldCase: true) }) {
            return (.wildcard, [w])
        }
        return (.none, [])
    }

    /// A resource entry that covers every role (`*`, `arn:aws:iam::123456789012:role/*` …).
    func starResource(_ s: StatementView, resourcePrefix: String) -> Item? {
        s.resources.first { r in
            if r.text == "*" { return true }
            let parts = r.text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            guard parts.count == 6, parts[2] == "iam" || parts[2] == "*" else { return false }
            let res = parts[5]
            return res == "*" || res == "\(resourcePrefix)*" || res == "\(resourcePrefix)/*" || res.hasSuffix("/*") && res.hasPrefix(resourcePrefix) && res.split(separator: "/").count <= 2
        }
    }

    mutating func checkPassRoleAndServiceLinkedRole(_ s: StatementView) {
        guard s.isAllow, type == .identity else { return }
        let resourceEl = s.path + [.value(s.resourceNegated ? "NotResource" : "Resource")]
        let actionEl = s.path + [.value(s.actionNegated ? "NotAction" : "Action")]
        func element(_ path: [PathElement], _ node: JSONNode?) -> [ValidationLocation] { node.map { [loc(path, $0)] } ?? [] }

        // iam:PassRole (security warnings), unless iam:PassedToService scopes it.
        if !s.conditionKeysLower.contains("iam:passedtoservice") {
            let (how, items) = reach(s, "iam:PassRole")
            emitStarFamily(s, how: how, items: items, prefix: "PASS_ROLE", type: .securityWarning, resourcePrefix: "role",
                           actionLocations: element(actionEl, member(s, s.actionNegated ? "NotAction" : "Action")),
                           resourceLocations: element(resourceEl, resourceNode(s)), messages: Checker.passRoleMessages)
        }
        let (how, items) = reach(s, "iam:CreateServiceLinkedRole")
        emitStarFamily(s, how: how, items: items, prefix: "CREATE_SLR", type: .warning, resourcePrefix: "role",
                       actionLocations: element(actionEl, member(s, s.actionNegated ? "NotAction" : "Action")),
                       resourceLocations: element(resourceEl, resourceNode(s)), messages: Checker.slrMessages)
    }

    static let passRoleMessages: [String: String] = [
        "WITH_NOT_RESOURCE": "Using the iam:PassRole action with NotResource can be overly permissive because it can allow iam:PassRole permissions on multiple resources. We recommend that you specify resource ARNs instead.",
        "WITH_STAR_IN_ACTION_AND_NOT_RESOURCE": "Using an action with a wildcard (*) and NotResource can be overly permissive because it can allow iam:PassRole permissions on multiple resources. We recommend that you specify resource ARNs instead.",
        "WITH_NOT_ACTION_AND_NOT_RESOURCE": "Using NotAction with NotResource can be overly permissive because it can allow iam:PassRole permissions on multiple resources.. We recommend that you specify resource ARNs instead.",
        "WITH_STAR_IN_RESOURCE": "Using the iam:PassRole action with wildcards (*) in the resource can be overly permissive because it allows iam:PassRole permissions on multiple resources. We recommend that you specify resource ARNs or add the iam:PassedToService condition key to your statement.",
        "WITH_STAR_IN_ACTION_AND_RESOURCE": "Using wildcards (*) in the action and the resource can be overly permissive because it allows iam:PassRole permissions on all resources. We recommend that you specify resource ARNs or add the iam:PassedToService condition key to your statement.",
        "WITH_STAR_IN_RESOURCE_AND_NOT_ACTION": "Using a resource with wildcards (*) and NotAction can be overly permissive because it allows iam:PassRole permissions on all resources. We recommend that you specify resource ARNs or add the iam:PassedToService condition key to your statement.",
    ]

    static let slrMessages: [String: String] = [
        "WITH_NOT_RESOURCE": "Using the iam:CreateServiceLinkedRole action with NotResource can allow creation of unintended service-linked roles for multiple resources. We recommend that you specify resource ARNs instead.",
        "WITH_STAR_IN_ACTION_AND_NOT_RESOURCE": "Using an action with a wildcard(*) and NotResource can allow creation of unintended service-linked roles because it can allow iam:CreateServiceLinkedRole permissions on multiple resources. We recommend that you specify resource ARNs instead.",
        "WITH_NOT_ACTION_AND_NOT_RESOURCE": "Using NotAction with NotResource can allow creation of unintended service-linked roles because it allows iam:CreateServiceLinkedRole permissions on multiple resources. We recommend that you specify resource ARNs instead.",
        "WITH_STAR_IN_RESOURCE": "Using the iam:CreateServiceLinkedRole action with wildcards (*) in the resource can allow creation of unintended service-linked roles. We recommend that you specify resource ARNs instead.",
        "WITH_STAR_IN_ACTION_AND_RESOURCE": "Using wildcards (*) in the action and the resource can allow creation of unintended service-linked roles because it allows iam:CreateServiceLinkedRole permissions on all resources. We recommend that you specify resource ARNs instead.",
        "WITH_STAR_IN_RESOURCE_AND_NOT_ACTION": "Using a resource with wildcards (*) and NotAction can allow creation of unintended service-linked roles because it allows iam:CreateServiceLinkedRole permissions on all resources. We recommend that you specify resource ARNs instead.",
    ]

    mutating func emitStarFamily(_ s: StatementView, how: Reach, items: [Item], prefix: String, type t: FindingType,
                                 resourcePrefix: String, actionLocations: [ValidationLocation],
                                 resourceLocations: [ValidationLocation], messages: [String: String]) {
        guard how != .none, s.hasResource else { return }
        let actionLocs = items.isEmpty ? actionLocations : items.map(loc)
        let suffix: String
        var resourceLocs = resourceLocations
        if s.resourceNegated {
            switch how {
            case .named: suffix = "WITH_NOT_RESOURCE"
            case .wildcard: suffix = "WITH_STAR_IN_ACTION_AND_NOT_RESOURCE"
            case .notAction: suffix = "WITH_NOT_ACTION_AND_NOT_RESOURCE"
            case .none: return
            }
        } else {
            guard let star = starResource(s, resourcePrefix: resourcePrefix) else { return }
            resourceLocs = [loc(star)]
            switch how {
            case .named: suffix = "WITH_STAR_IN_RESOURCE"
            case .wildcard: suffix = "WITH_STAR_IN_ACTION_AND_RESOURCE"
            case .notAction: suffix = "WITH_STAR_IN_RESOURCE_AND_NOT_ACTION"
            case .none: return
            }
        }
        add(t, "\(prefix)_\(suffix)", messages[suffix] ?? "", actionLocs + resourceLocs)
    }
}

/// Whether a policy resource (with `*`, `?` and `${…}` variables) and an ARN format's resource part (with
/// `${Placeholder}`s) can name a common resource: a non-empty intersection of two wildcard patterns.
enum ARNPatternIntersection {
    enum Token: Equatable { case char(UInt8), any, one }

    static func tokens(_ s: String, placeholdersOnly: Bool) -> [Token] {
        let b = Array(s.utf8)
        var out: [Token] = []
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "$"), i + 1 < b.count, b[i + 1] == UInt8(ascii: "{"),
               let close = b[(i + 2)...].firstIndex(of: UInt8(ascii: "}")) {
                out.append(.any)
                i = close + 1
                continue
            }
            if !placeholdersOnly && b[i] == UInt8(ascii: "*") { out.append(.any) }
            else if !placeholdersOnly && b[i] == UInt8(ascii: "?") { out.append(.one) }
            else { out.append(.char(b[i])) }
            i += 1
        }
        return out
    }

    static func intersects(_ policy: String, _ format: String) -> Bool {
        let p = tokens(policy, placeholdersOnly: false)
        let q = tokens(format, placeholdersOnly: true)
        guard p.count <= 2048, q.count <= 2048 else { return true }
        // reachable[i][j]: p[..<i] and q[..<j] can match a common string.
        let n = p.count, m = q.count
        var reach = [Bool](repeating: false, count: (n + 1) * (m + 1))
        reach[0] = true
        for i in 0...n {
            for j in 0...m {
                let here = reach[i * (m + 1) + j]
                guard here else { continue }
                if i < n, p[i] == .any { reach[(i + 1) * (m + 1) + j] = true }
                if j < m, q[j] == .any { reach[i * (m + 1) + j + 1] = true }
                if i < n, j < m {
                    let a = p[i], b = q[j]
                    if a == .any { reach[i * (m + 1) + j + 1] = true }
                    if b == .any { reach[(i + 1) * (m + 1) + j] = true }
                    var step = false
                    switch (a, b) {
                    case (.char(let x), .char(let y)): step = x == y
                    case (.any, _), (_, .any): step = true
                    default: step = true
                    }
                    if step { reach[(i + 1) * (m + 1) + j + 1] = true }
                }
            }
        }
        return reach[n * (m + 1) + m]
    }
}
