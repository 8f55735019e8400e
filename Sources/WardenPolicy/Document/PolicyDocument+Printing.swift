extension PolicyDocument {
    /// The document as compact JSON in canonical element order (Version, Id, Statement; Sid, Effect, Principal,
    /// Action, Resource, Condition). Scalars stay scalars and arrays stay arrays, so `parse ∘ print` is the identity.
    public func jsonString() -> String { jsonValue.jsonString }

    /// The document as a JSON value.
    public var jsonValue: JSONValue {
        var top: [JSONValue.Member] = []
        if let version { top.append(.init("Version", .string(version))) }
        if let id { top.append(.init("Id", .string(id))) }
        let statements = statements.map(\.jsonValue)
        top.append(.init("Statement", statementIsArray || statements.count != 1 ? .array(statements) : statements[0]))
        return .object(top)
    }
}

extension PolicyStatement {
    /// The statement as a JSON object.
    public var jsonValue: JSONValue {
        var m: [JSONValue.Member] = []
        if let sid { m.append(.init("Sid", .string(sid))) }
        m.append(.init("Effect", .string(effect.rawValue)))
        if let principal {
            let value: JSONValue
            switch principal.value {
            case .wildcard: value = .string("*")
            case .map(let entries): value = .object(entries.map { .init($0.type, $0.values.jsonValue) })
            }
            m.append(.init(principal.negated ? "NotPrincipal" : "Principal", value))
        }
        if let action { m.append(.init(action.negated ? "NotAction" : "Action", action.value.jsonValue)) }
        if let resource { m.append(.init(resource.negated ? "NotResource" : "Resource", resource.value.jsonValue)) }
        if hasConditionElement || !conditions.isEmpty {
            m.append(.init("Condition", .object(conditions.map { block in
                .init(block.operatorName, .object(block.entries.map { entry in
                    let values = entry.values.map(\.jsonValue)
                    return .init(entry.key, entry.isArray || values.count != 1 ? .array(values) : values[0])
                }))
            })))
        }
        return .object(m)
    }
}

extension ValueList {
    var jsonValue: JSONValue {
        isArray || values.count != 1 ? .array(values.map { .string($0) }) : .string(values[0])
    }
}

extension ConditionLiteral {
    var jsonValue: JSONValue {
        switch form {
        case .string: return .string(text)
        case .number: return .number(text)
        case .bool: return .bool(text == "true")
        }
    }
}

extension PolicyDocument {
    /// The condition keys the document's conditions use: sorted, unique (case-insensitively), in the case first
    /// written (GetContextKeysForCustomPolicy). Keys used as `${…}` policy variables are included.
    public var conditionKeys: [String] {
        var seen = Set<String>()
        var out: [String] = []
        func add(_ k: String) { if seen.insert(k.lowercased()).inserted { out.append(k) } }
        for s in statements {
            for block in s.conditions {
                for entry in block.entries {
                    add(entry.key)
                    if substitutesVariables { for v in entry.values { for k in PolicyDocument.variableKeys(in: v.text) { add(k) } } }
                }
            }
            if substitutesVariables, let r = s.resource {
                for v in r.value.values { for k in PolicyDocument.variableKeys(in: v) { add(k) } }
            }
        }
        return out.sorted { $0.lowercased() < $1.lowercased() }
    }

    /// Keys referenced as `${key}` or `${key, 'default'}` (not the `${*}`, `${?}`, `${$}` literals).
    static func variableKeys(in text: String) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while let open = rest.firstRange(of: "${") {
            let after = rest[open.upperBound...]
            guard let close = after.firstIndex(of: "}") else { break }
            var body = after[..<close]
            if let comma = body.firstIndex(of: ",") { body = body[..<comma] }
            let key = body.trimmingSpaces
            if !key.isEmpty && key != "*" && key != "?" && key != "$" { out.append(key) }
            rest = after[after.index(after: close)...]
        }
        return out
    }

    /// The `AWS` principals named in `Principal`/`NotPrincipal` elements, so the service can check that they
    /// exist (`Invalid principal in policy: "AWS":"…"`) and store unique ids.
    public var namedAWSPrincipals: [String] {
        var out: [String] = []
        for s in statements {
            guard case .map(let entries)? = s.principal?.value else { continue }
            for e in entries where e.type == "AWS" { out += e.values.values }
        }
        return out
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
