extension PolicyDocument {
    /// Parses and validates `json` as a policy of `kind`, applying AWS's checks in AWS's order and throwing the
    /// first `MalformedPolicyDocument` message AWS would return.
    ///
    /// - Parameters:
    ///   - requireCurrentVersion: CreatePolicy/CreatePolicyVersion reject a missing or `2008-10-17` Version
    ///     (`Policy document must be version 2012-10-17 or greater.`); inline policies accept both.
    ///   - sizeLimit: the quota for this document (`PolicySizeLimit`), whitespace not counted.
    public static func parse(_ json: String, kind: PolicyKind, requireCurrentVersion: Bool = false,
                             sizeLimit: Int? = nil) throws(PolicyError) -> PolicyDocument {
        if let sizeLimit, PolicySizeLimit.countedSize(of: json) > sizeLimit {
            throw PolicyError(.sizeLimitExceeded, "Cannot exceed quota for PolicySize: \(sizeLimit)")
        }
        let root = try JSONParser.parse(json)
        var reader = DocumentReader(text: json, kind: kind)
        let (document, positions) = try reader.read(root)
        try PolicyValidator(document: document, positions: positions, text: json,
                            requireCurrentVersion: requireCurrentVersion).validate()
        return document
    }

    /// Parses an already-decoded JSON value (simulation cases embed documents as JSON objects).
    public static func parse(_ value: JSONValue, kind: PolicyKind) throws(PolicyError) -> PolicyDocument {
        if case .string(let text) = value { return try parse(text, kind: kind) }
        return try parse(value.jsonString, kind: kind)
    }
}

/// Offsets of a statement's elements, so grammar errors can point at the JSON that caused them.
struct StatementPositions {
    var statement = 0
    var elements: [String: Int] = [:]
    func offset(_ element: String) -> Int { elements[element] ?? statement }
}

/// Reads the JSON tree into the AST, rejecting shapes the grammar does not allow (`Syntax errors in policy.`).
struct DocumentReader {
    let text: String
    let kind: PolicyKind

    static let topElements: Set<String> = ["Version", "Id", "Statement"]
    static let statementElements: Set<String> = ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
                                                 "Resource", "NotResource", "Condition"]

    func fail(_ path: String, _ node: JSONNode) -> PolicyError {
        PolicyError.syntax(path, JSONParser.location(of: node.offset, in: text))
    }

    mutating func read(_ root: JSONNode) throws(PolicyError) -> (PolicyDocument, [StatementPositions]) {
        guard case .object(let members) = root.kind else { throw fail("", root) }
        var version: String?
        var id: String?
        var statementNode: JSONNode?
        for (key, value) in members {
            guard DocumentReader.topElements.contains(key) else { throw fail(key, value) }
            switch key {
            case "Version":
                guard case .string(let v) = value.kind, v == PolicyDocument.currentVersion || v == PolicyDocument.legacyVersion
                else { throw fail("Version", value) }
                version = v
            case "Id":
                guard case .string(let v) = value.kind else { throw fail("Id", value) }
                id = v
            default:
                statementNode = value
            }
        }
        guard let statementNode else { throw fail("Statement", root) }
        var statements: [PolicyStatement] = []
        var positions: [StatementPositions] = []
        let isArray: Bool
        switch statementNode.kind {
        case .object:
            isArray = false
            let (s, p) = try readStatement(statementNode, path: "Statement")
            statements.append(s)
            positions.append(p)
        case .array(let items):
            isArray = true
            guard !items.isEmpty else { throw fail("Statement", statementNode) }
            for (i, item) in items.enumerated() {
                let (s, p) = try readStatement(item, path: "Statement[\(i)]")
                statements.append(s)
                positions.append(p)
            }
        default:
            throw fail("Statement", statementNode)
        }
        let doc = PolicyDocument(version: version, id: id, statements: statements, statementIsArray: isArray, kind: kind)
        return (doc, positions)
    }

    func readStatement(_ node: JSONNode, path: String) throws(PolicyError) -> (PolicyStatement, StatementPositions) {
        guard case .object(let members) = node.kind else { throw fail(path, node) }
        var pos = StatementPositions()
        pos.statement = node.offset
        var sid: String?
        var effect: PolicyStatement.Effect?
        var principal: Negatable<PrincipalSpec>?
        var action: Negatable<ValueList>?
        var resource: Negatable<ValueList>?
        var conditions: [ConditionBlock] = []
        var hasCondition = false
        for (key, value) in members {
            let elementPath = "\(path).\(key)"
            guard DocumentReader.statementElements.contains(key) else { throw fail(elementPath, value) }
            pos.elements[key] = value.offset
            switch key {
            case "Sid":
                guard case .string(let s) = value.kind else { throw fail(elementPath, value) }
                sid = s
            case "Effect":
                guard case .string(let s) = value.kind else { throw fail(elementPath, value) }
                // Syntax accepts any case; the legacy parser then insists on exact `Allow`/`Deny`.
                switch s.lowercased() {
                case "allow": effect = .allow
                case "deny": effect = .deny
                default: throw fail(elementPath, value)
                }
                if s != "Allow" && s != "Deny" { pos.elements["EffectCase"] = value.offset }
            case "Action", "NotAction":
                guard action == nil else { throw fail(elementPath, value) }
                action = Negatable(try readList(value, path: elementPath), negated: key == "NotAction")
            case "Resource", "NotResource":
                guard resource == nil else { throw fail(elementPath, value) }
                resource = Negatable(try readList(value, path: elementPath), negated: key == "NotResource")
            case "Principal", "NotPrincipal":
                guard principal == nil else { throw fail(elementPath, value) }
                principal = Negatable(try readPrincipal(value, path: elementPath), negated: key == "NotPrincipal")
            default:
                hasCondition = true
                conditions = try readCondition(value, path: elementPath)
            }
        }
        guard let effect else { throw fail("\(path).Effect", node) }
        let statement = PolicyStatement(sid: sid, effect: effect, principal: principal, action: action, resource: resource,
                                        conditions: conditions, hasConditionElement: hasCondition)
        return (statement, pos)
    }

    func readList(_ node: JSONNode, path: String) throws(PolicyError) -> ValueList {
        switch node.kind {
        case .string(let s): return ValueList([s], isArray: false)
        case .array(let items):
            var values: [String] = []
            for (i, item) in items.enumerated() {
                guard case .string(let s) = item.kind else { throw fail("\(path)[\(i)]", item) }
                values.append(s)
            }
            return ValueList(values, isArray: true)
        default:
            throw fail(path, node)
        }
    }

    func readPrincipal(_ node: JSONNode, path: String) throws(PolicyError) -> PrincipalSpec {
        switch node.kind {
        case .string(let s):
            guard s == "*" else { throw fail(path, node) }
            return .wildcard
        case .object(let members):
            var entries: [PrincipalEntry] = []
            for (key, value) in members {
                entries.append(PrincipalEntry(type: key, values: try readList(value, path: "\(path).\(key)")))
            }
            return .map(entries)
        default:
            throw fail(path, node)
        }
    }

    func readCondition(_ node: JSONNode, path: String) throws(PolicyError) -> [ConditionBlock] {
        guard case .object(let blocks) = node.kind else { throw fail(path, node) }
        var result: [ConditionBlock] = []
        for (op, body) in blocks {
            let opPath = "\(path).\(op)"
            guard case .object(let members) = body.kind else { throw fail(opPath, body) }
            // An unknown operator is a syntax error unless its block is empty (AWS ignores empty blocks).
            if ConditionOperator(op) == nil && !members.isEmpty { throw fail(opPath, body) }
            var entries: [ConditionEntry] = []
            for (key, value) in members {
                let keyPath = "\(opPath).\(key)"
                switch value.kind {
                case .array(let items):
                    var literals: [ConditionLiteral] = []
                    for (i, item) in items.enumerated() {
                        guard let l = literal(item) else { throw fail("\(keyPath)[\(i)]", item) }
                        literals.append(l)
                    }
                    entries.append(ConditionEntry(key: key, values: literals, isArray: true))
                default:
                    guard let l = literal(value) else { throw fail(keyPath, value) }
                    entries.append(ConditionEntry(key: key, values: [l], isArray: false))
                }
            }
            result.append(ConditionBlock(operatorName: op, entries: entries))
        }
        return result
    }

    func literal(_ node: JSONNode) -> ConditionLiteral? {
        switch node.kind {
        case .string(let s): return ConditionLiteral(s, form: .string)
        case .number(let n): return ConditionLiteral(n, form: .number)
        case .bool(let b): return ConditionLiteral(b ? "true" : "false", form: .bool)
        default: return nil
        }
    }
}
