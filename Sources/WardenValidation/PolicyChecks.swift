import WardenPolicy

/// IAM Access Analyzer's ValidatePolicy: the checks of AWS's policy check reference over one policy document,
/// grammar and best practice alike, each finding with AWS's issue code, message, link and locations.
public enum PolicyChecks {
    /// Validates `text` as a policy of `type` (and, for resource policies, of `resourceType`, one of
    /// `ValidatePolicyResourceType`'s values; nil or unknown means a generic resource policy). Never throws:
    /// a document that is not JSON or breaks the grammar yields ERROR findings. Findings are ordered by the
    /// position of their first location, then by severity, then by issue code.
    public static func validate(_ text: String, type: ValidatePolicyType, resourceType: String?) -> [ValidationFinding] {
        var checker = Checker(text: text, type: type,
                              resourceType: resourceType.flatMap(ValidatePolicyResourceType.init(rawValue:)))
        checker.run()
        return checker.sorted()
    }

    /// Like `validate(_:type:resourceType:)` with a typed resource type.
    public static func validate(_ text: String, type: ValidatePolicyType,
                                resourceType: ValidatePolicyResourceType?) -> [ValidationFinding] {
        validate(text, type: type, resourceType: resourceType?.rawValue)
    }
}

/// A string value of the policy (an action, a resource, a principal, a condition value) with where it is.
struct Item {
    var text: String
    var node: JSONNode
    var path: [PathElement]
}

/// One `"key": values` entry of a condition block.
struct ConditionEntry {
    var op: ConditionOperator?
    var opName: String
    var key: String
    var keyPath: [PathElement]
    var keyOffset: Int
    var node: JSONNode
    var path: [PathElement]
    /// The string, number and bool values (in the order written).
    var values: [Item]
}

/// One statement, read loosely so that every problem can be reported (the strict reader stops at the first).
struct StatementView {
    var path: [PathElement]
    var node: JSONNode
    var sid: Item?
    var effect: String?
    var hasAction = false
    var actionNegated = false
    var actions: [Item] = []
    var hasResource = false
    var resourceNegated = false
    var resources: [Item] = []
    var principalNode: JSONNode?
    var principalNegated = false
    var principalWildcard = false
    var principals: [(type: String, item: Item)] = []
    var conditionNode: JSONNode?
    var conditions: [ConditionEntry] = []

    var isAllow: Bool { effect == "Allow" }
    var isDeny: Bool { effect == "Deny" }
    var conditionKeysLower: Set<String> { Set(conditions.map { $0.key.lowercased() }) }
}

struct Checker {
    let src: SourceText
    let type: ValidatePolicyType
    let resourceType: ValidatePolicyResourceType?
    var findings: [ValidationFinding] = []
    var version: String?
    var statements: [StatementView] = []
    var statementIsArray = true
    var root: JSONNode?

    init(text: String, type: ValidatePolicyType, resourceType: ValidatePolicyResourceType?) {
        src = SourceText(text)
        self.type = type
        self.resourceType = type == .resource ? resourceType : nil
    }

    var catalog: IAMCatalog { IAMCatalog.shared }
    var isTrust: Bool { resourceType == .roleTrustPolicy }
    /// Policies that IAM itself stores, whose Sids must be alphanumeric and unique.
    var isIAMStored: Bool { type == .identity || isTrust || type == .serviceControl || type == .resourceControl }
    var variablesSupported: Bool { version == PolicyDocument.currentVersion }

    // MARK: Findings

    mutating func add(_ t: FindingType, _ code: String, _ details: String, _ locations: [ValidationLocation]) {
        findings.append(ValidationFinding(findingType: t, issueCode: code, findingDetails: details, locations: locations))
    }

    func loc(_ path: [PathElement], _ node: JSONNode) -> ValidationLocation {
        ValidationLocation(path: path, span: src.span(node.offset, node.end))
    }

    func loc(_ item: Item) -> ValidationLocation { loc(item.path, item.node) }

    /// The location of an object's key (the key string itself).
    func keyLoc(_ parent: [PathElement], _ key: String, _ keyOffset: Int) -> ValidationLocation {
        ValidationLocation(path: parent + [.key(key)], span: src.span(keyOffset, src.stringEnd(keyOffset)))
    }

    func sorted() -> [ValidationFinding] {
        let indexed = findings.enumerated().map { ($0.offset, $0.element) }
        return indexed.sorted { a, b in
            let oa = a.1.locations.first?.span.start.offset ?? 0
            let ob = b.1.locations.first?.span.start.offset ?? 0
            if oa != ob { return oa < ob }
            if a.1.findingType != b.1.findingType { return a.1.findingType < b.1.findingType }
            if a.1.issueCode != b.1.issueCode { return a.1.issueCode < b.1.issueCode }
            return a.0 < b.0
        }.map(\.1)
    }

    static func typeName(_ node: JSONNode) -> String {
        switch node.kind {
        case .null: return "null"
        case .bool: return "Boolean"
        case .number: return "Number"
        case .string: return "String"
        case .array: return "Array"
        case .object: return "Object"
        }
    }

    mutating func typeMismatch(_ path: [PathElement], _ node: JSONNode, expected: String) {
        add(.error, "DATA_TYPE_MISMATCH", "The text does not match the expected JSON data type \(expected).", [loc(path, node)])
    }

    // MARK: Driver

    mutating func run() {
        let root: JSONNode
        do {
            root = try JSONParser.parseNode(src.text)
        } catch {
            let p = src.position(error.offset)
            add(.error, "JSON_SYNTAX_ERROR",
                "Fix the JSON syntax error at index \(p.offset) line \(p.line) column \(p.column).",
                [ValidationLocation(path: [], span: src.span(error.offset, min(error.offset + 1, src.bytes.count)))])
            return
        }
        self.root = root
        readDocument(root)
        checkSize()
        for i in statements.indices { checkStatement(statements[i]) }
        checkSids()
        checkRedundantStatements()
    }

    // MARK: Document structure

    mutating func readDocument(_ root: JSONNode) {
        guard case .object(let members) = root.kind else {
            typeMismatch([], root, expected: "Object")
            return
        }
        var statementNode: JSONNode?
        for (i, (key, value)) in members.enumerated() {
            let keyOffset = root.keyOffsets[i]
            switch key {
            case "Version":
                guard case .string(let v) = value.kind else { typeMismatch([.value(key)], value, expected: "String"); continue }
                version = v
                if v != PolicyDocument.currentVersion && v != PolicyDocument.legacyVersion {
                    add(.error, "INVALID_VERSION",
                        "The version \(v) is not valid. Use one of the following versions: \(PolicyDocument.currentVersion), \(PolicyDocument.legacyVersion)",
                        [loc([.value(key)], value)])
                }
            case "Id":
                if case .string = value.kind {} else { typeMismatch([.value(key)], value, expected: "String") }
            case "Statement":
                statementNode = value
            default:
                add(.error, "INVALID_POLICY_ELEMENT", "The policy element \(key) is not valid.", [keyLoc([], key, keyOffset)])
            }
        }
        if !members.contains(where: { $0.key == "Version" }) {
            add(.warning, "MISSING_VERSION",
                "We recommend that you specify the Version element to help you with debugging permission issues.",
                [ValidationLocation(path: [], span: src.span(root.offset, root.offset + 1))])
        }
        guard let statementNode else {
            add(.error, "MISSING_STATEMENT", "Add a statement to the policy", [ValidationLocation(path: [], span: src.span(root.offset, root.offset + 1))])
            return
        }
        let base: [PathElement] = [.value("Statement")]
        switch statementNode.kind {
        case .object:
            statementIsArray = false
            if let s = readStatement(statementNode, path: base) { statements.append(s) }
        case .array(let items):
            if items.isEmpty {
                add(.error, "MISSING_STATEMENT", "Add a statement to the policy", [loc(base, statementNode)])
            }
            for (i, item) in items.enumerated() {
                if let s = readStatement(item, path: base + [.index(i)]) { statements.append(s) }
            }
        default:
            typeMismatch(base, statementNode, expected: "Array")
        }
    }

    /// Reads a string-or-array-of-strings element; reports wrong types.
    mutating func readList(_ node: JSONNode, path: [PathElement]) -> [Item] {
        switch node.kind {
        case .string(let s): return [Item(text: s, node: node, path: path)]
        case .array(let items):
            var out: [Item] = []
            for (i, item) in items.enumerated() {
                if case .string(let s) = item.kind {
                    out.append(Item(text: s, node: item, path: path + [.index(i)]))
                } else {
                    typeMismatch(path + [.index(i)], item, expected: "String")
                }
            }
            return out
        default:
            typeMismatch(path, node, expected: "Array")
            return []
        }
    }

    mutating func readStatement(_ node: JSONNode, path: [PathElement]) -> StatementView? {
        guard case .object(let members) = node.kind else {
            typeMismatch(path, node, expected: "Object")
            return nil
        }
        var s = StatementView(path: path, node: node)
        var seen: [String: Int] = [:]
        for (i, (key, value)) in members.enumerated() {
            let p = path + [.value(key)]
            seen[key] = node.keyOffsets[i]
            switch key {
            case "Sid":
                if case .string(let v) = value.kind { s.sid = Item(text: v, node: value, path: p) } else { typeMismatch(p, value, expected: "String") }
            case "Effect":
                guard case .string(let v) = value.kind else { typeMismatch(p, value, expected: "String"); continue }
                s.effect = v
                if v != "Allow" && v != "Deny" {
                    add(.error, "INVALID_EFFECT", "The effect \(v) is not valid. Use Allow or Deny.", [loc(p, value)])
                }
            case "Action", "NotAction":
                s.hasAction = true
                s.actionNegated = key == "NotAction"
                s.actions = readList(value, path: p)
                if case .array(let a) = value.kind, a.isEmpty {
                    add(.suggestion, "EMPTY_ARRAY_ACTION", "This statement includes no actions and does not affect the policy. Specify actions.", [loc(p, value)])
                }
            case "Resource", "NotResource":
                s.hasResource = true
                s.resourceNegated = key == "NotResource"
                s.resources = readList(value, path: p)
                if case .array(let a) = value.kind, a.isEmpty {
                    add(.suggestion, "EMPTY_ARRAY_RESOURCE", "This statement includes no resources and does not affect the policy. Specify resources.", [loc(p, value)])
                }
            case "Principal", "NotPrincipal":
                s.principalNode = value
                s.principalNegated = key == "NotPrincipal"
                readPrincipal(&s, value, path: p)
            case "Condition":
                s.conditionNode = value
                readCondition(&s, value, path: p)
            default:
                add(.error, "INVALID_POLICY_ELEMENT", "The policy element \(key) is not valid.", [keyLoc(path, key, node.keyOffsets[i])])
            }
        }
        for (a, b) in [("Action", "NotAction"), ("Resource", "NotResource"), ("Principal", "NotPrincipal")] {
            if seen[a] != nil, let offset = seen[b] {
                add(.error, "UNSUPPORTED_ELEMENT_COMBINATION",
                    "The policy elements \(a) and \(b) can not be used in the same statement. Remove one of these elements.",
                    [keyLoc(path, b, offset)])
            }
        }
        let start = ValidationLocation(path: path, span: src.span(node.offset, node.offset + 1))
        if seen["Effect"] == nil {
            add(.error, "MISSING_EFFECT", "Add an Effect element to the policy statement with a value of Allow or Deny.", [start])
        }
        if !s.hasAction {
            add(.error, "MISSING_ACTION", "Add an Action or NotAction element to the policy statement.", [start])
        }
        if !s.hasResource && !isTrust {
            // A generic resource policy that only assumes roles is a trust policy, which has no Resource.
            let trustLike = type == .resource && !s.actions.isEmpty && s.actions.allSatisfy { PolicyValidator.isTrustAction($0.text) }
            if !trustLike {
                add(.error, "MISSING_RESOURCE", "Add a Resource or NotResource element to the policy statement.", [start])
            }
        }
        if s.principalNode == nil && (type == .resource || type == .resourceControl) {
            add(.error, "MISSING_PRINCIPAL", "Add a Principal element to the policy statement.", [start])
        }
        return s
    }

    mutating func readPrincipal(_ s: inout StatementView, _ node: JSONNode, path: [PathElement]) {
        switch node.kind {
        case .string(let v):
            if v == "*" { s.principalWildcard = true } else {
                add(.error, "INVALID_PRINCIPAL_FORMAT",
                    "The Principal element contents are not valid. Specify a key-value pair in the Principal element.", [loc(path, node)])
            }
        case .object(let members):
            if members.isEmpty {
                add(.suggestion, "EMPTY_OBJECT_PRINCIPAL", "This statement includes no principals and does not affect the policy. Specify principals.", [loc(path, node)])
            }
            for (i, (key, value)) in members.enumerated() {
                let p = path + [.value(key)]
                guard ["AWS", "Service", "Federated", "CanonicalUser"].contains(key) else {
                    add(.error, "INVALID_PRINCIPAL_KEY", "The principal key \(key) is not valid.", [keyLoc(path, key, node.keyOffsets[i])])
                    continue
                }
                if case .array(let a) = value.kind, a.isEmpty {
                    add(.suggestion, "EMPTY_ARRAY_PRINCIPAL", "This statement includes no principals and does not affect the policy. Specify principals.", [loc(p, value)])
                }
                for item in readList(value, path: p) { s.principals.append((type: key, item: item)) }
            }
        default:
            typeMismatch(path, node, expected: "Object")
        }
    }

    mutating func readCondition(_ s: inout StatementView, _ node: JSONNode, path: [PathElement]) {
        guard case .object(let blocks) = node.kind else { typeMismatch(path, node, expected: "Object"); return }
        if blocks.isEmpty {
            add(.suggestion, "EMPTY_OBJECT_CONDITION", "This condition block is empty and it does not affect the policy. Specify conditions.", [loc(path, node)])
        }
        for (b, (opName, body)) in blocks.enumerated() {
            let opPath = path + [.value(opName)]
            let op = ConditionOperator(opName)
            if op == nil {
                add(.error, "INVALID_CONDITION_OPERATOR", "The condition operator \(opName) is not valid. Use a valid condition operator.",
                    [keyLoc(path, opName, node.keyOffsets[b])])
            }
            guard case .object(let entries) = body.kind else { typeMismatch(opPath, body, expected: "Object"); continue }
            if entries.isEmpty {
                add(.suggestion, "EMPTY_OBJECT_CONDITION", "This condition block is empty and it does not affect the policy. Specify conditions.", [loc(opPath, body)])
            }
            for (k, (key, value)) in entries.enumerated() {
                let p = opPath + [.value(key)]
                var values: [Item] = []
                func literal(_ n: JSONNode) -> String? {
                    switch n.kind {
                    case .string(let v): return v
                    case .number(let v): return v
                    case .bool(let v): return v ? "true" : "false"
                    default: return nil
                    }
                }
                switch value.kind {
                case .array(let items):
                    var kinds = Set<String>()
                    for (i, item) in items.enumerated() {
                        if let t = literal(item) {
                            values.append(Item(text: t, node: item, path: p + [.index(i)]))
                            kinds.insert(Checker.typeName(item))
                        } else {
                            typeMismatch(p + [.index(i)], item, expected: "String")
                        }
                    }
                    if kinds.count > 1 {
                        add(.error, "INVALID_CONDITION_DATA_TYPE",
                            "The condition value data types do not match. Use condition values of the same JSON data type.", [loc(p, value)])
                    }
                default:
                    if let t = literal(value) { values.append(Item(text: t, node: value, path: p)) } else { typeMismatch(p, value, expected: "String") }
                }
                s.conditions.append(ConditionEntry(op: op, opName: opName, key: key, keyPath: opPath + [.key(key)],
                                                   keyOffset: body.keyOffsets[k], node: value, path: p, values: values))
            }
        }
    }

    // MARK: Whole-policy checks

    mutating func checkSize() {
        guard let root else { return }
        let whole = ValidationLocation(path: [], span: src.span(root.offset, root.offset + 1))
        let counted = PolicySizeLimit.countedSize(of: src.text)
        switch type {
        case .identity:
            if counted > PolicySizeLimit.managedPolicy {
                add(.warning, "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
                    "The \(counted) characters in the identity policy, excluding whitespace, exceed the \(PolicySizeLimit.managedPolicy) character maximum for inline and managed policies. We recommend that you use multiple granular policies.",
                    [whole])
            }
        case .serviceControl:
            let size = src.text.unicodeScalars.count
            if size > PolicySizeLimit.serviceControlPolicy {
                add(.error, "POLICY_SIZE_EXCEEDS_SCP_QUOTA",
                    "The \(size) characters in the service control policy (SCP) exceed the \(PolicySizeLimit.serviceControlPolicy) character maximum for SCPs. We recommend that you use multiple granular policies.",
                    [whole])
            }
        case .resource:
            if isTrust {
                if counted > PolicySizeLimit.trustPolicy {
                    add(.warning, "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA",
                        "The characters in the role trust policy, excluding whitespace, exceed the character maximum. We recommend that you request a role trust policy length quota increase using Service Quotas and AWS Support Center. If the quotas have already been increased, then you can ignore this warning.",
                        [whole])
                }
            } else if resourceType != nil {
                // S3 bucket and access point policies and DynamoDB resource policies: 20 KB.
                let quota = 20_480
                if counted > quota {
                    add(.warning, "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA",
                        "The \(counted) characters in the resource policy exceed the \(quota) character maximum for resource policies. We recommend that you use multiple granular policies.",
                        [whole])
                }
            }
        case .resourceControl:
            break
        }
    }

    mutating func checkSids() {
        var seen: [String: Item] = [:]
        for s in statements {
            guard let sid = s.sid else { continue }
            if sid.text.isEmpty {
                add(.suggestion, "EMPTY_SID_VALUE", "Add a value to the empty string in the Sid element.", [loc(sid)])
                continue
            }
            if isIAMStored && !sid.text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) }) {
                add(.error, "UNSUPPORTED_SID",
                    "Update the characters in the Sid element to use one of the following character types: [a-z, A-Z, 0-9]", [loc(sid)])
            }
            if seen[sid.text] != nil {
                if isIAMStored {
                    add(.error, "UNIQUE_SIDS_REQUIRED", "Duplicate statement IDs are not supported for this policy type. Update the Sid value.", [loc(sid)])
                } else {
                    add(.warning, "UNIQUE_SIDS_RECOMMENDED", "We recommend that you use statement IDs that are unique to your policy. Update the Sid value.", [loc(sid)])
                }
            } else {
                seen[sid.text] = sid
            }
        }
    }

    mutating func checkRedundantStatements() {
        guard statements.count > 1 else { return }
        var seen: [JSONValue] = []
        for s in statements {
            guard case .object(let members) = s.node.plain else { continue }
            let canonical = JSONValue.object(members.filter { $0.key != "Sid" }.sorted { $0.key < $1.key })
            if seen.contains(canonical) {
                add(.suggestion, "REDUNDANT_STATEMENT",
                    "The statements are redundant because they provide identical permissions. Update the policy to remove the redundant statement.",
                    [loc(s.path, s.node)])
            } else {
                seen.append(canonical)
            }
        }
    }
}
