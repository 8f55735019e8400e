import WardenPolicy

extension Checker {
    // MARK: Principals

    static func isOIDCHost(_ v: String) -> String? {
        if v.hasPrefix("arn:") {
            guard let r = v.range(of: ":oidc-provider/") else { return nil }
            return String(v[r.upperBound...])
        }
        return v.contains(".") && !v.contains(":") ? v : nil
    }

    mutating func checkPrincipals(_ s: StatementView) {
        let keys = s.conditionKeysLower
        var roleArns = Set<String>()
        for p in s.principals where p.type == "AWS" { roleArns.insert(p.item.text) }
        for (kind, item) in s.principals {
            let v = item.text
            switch kind {
            case "AWS":
                if v != "*" && Checker.hasWildcard(v) {
                    unsupportedWildcard(kind, item)
                } else if v.hasPrefix("AROA") {
                    add(.warning, "INVALID_ROLE_REFERENCE",
                        "The Principal element includes the IAM role ID \(v). We recommend that you use a role ARN instead.", [loc(item)])
                } else if v.hasPrefix("AIDA") {
                    add(.warning, "INVALID_USER_REFERENCE",
                        "The Principal element includes the IAM user ID \(v). We recommend that you use a user ARN instead.", [loc(item)])
                } else if isTrust, v.contains(":assumed-role/") {
                    // arn:aws:sts::123456789012:assumed-role/Name/session → arn:aws:iam::123456789012:role/Name
                    let parts = v.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
                    if parts.count == 6 {
                        let name = parts[5].split(separator: "/").dropFirst().first.map(String.init) ?? ""
                        let parent = "arn:\(parts[1]):iam::\(parts[4]):role/\(name)"
                        if roleArns.contains(parent) {
                            add(.suggestion, "REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY",
                                "The assumed-role principal \(v) is redundant with its parent role \(parent). Remove the assumed-role principal.",
                                [loc(item)])
                        }
                    }
                }
            case "Service":
                if Checker.hasWildcard(v) {
                    unsupportedWildcard(kind, item)
                } else if !v.contains(".") || v.contains(":") || v.contains("/") || v.contains(" ") || v.lowercased() != v {
                    add(.error, "INVALID_SERVICE_PRINCIPAL_FORMAT",
                        "The service principal does not match the expected format. Use the format {service-name}.amazonaws.com.", [loc(item)])
                } else {
                    checkServicePrincipal(s, item, keys: keys)
                }
            case "Federated":
                if Checker.hasWildcard(v) { unsupportedWildcard(kind, item); continue }
                let isSAML = v.hasPrefix("arn:") && v.contains(":saml-provider/")
                let oidcHost = Checker.isOIDCHost(v)
                if isTrust && !isSAML && oidcHost == nil {
                    add(.error, "INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY",
                        "The principal value specifies a federated principal that does not match the expected format. Update the federated principal to a domain name or a SAML metadata ARN.",
                        [loc(item)])
                    continue
                }
                let actions = Set(s.actions.map { $0.text.lowercased() })
                if !s.actionNegated && ((isSAML && actions.contains("sts:assumerolewithwebidentity") && !actions.contains("sts:assumerolewithsaml"))
                    || (v.hasPrefix("arn:") && oidcHost != nil && actions.contains("sts:assumerolewithsaml") && !actions.contains("sts:assumerolewithwebidentity"))) {
                    let principalNames = s.principals.filter { $0.type == "Federated" }.map(\.item.text).joined(separator: ", ")
                    let action = isSAML ? "sts:AssumeRoleWithWebIdentity" : "sts:AssumeRoleWithSAML"
                    add(.error, "MISMATCHED_ACTION_FOR_PRINCIPAL",
                        "The \(action) action is invalid with the following principal(s): \(principalNames). Use a SAML provider principal with the sts:AssumeRoleWithSAML action or use an OIDC provider principal with the sts:AssumeRoleWithWebIdentity action. Ensure the provider is Federated if you use either of the two options.",
                        [loc(item)])
                }
                if let host = oidcHost, s.isAllow, isTrust || type == .resource {
                    let lowerHost = host.lowercased()
                    if lowerHost == "token.actions.githubusercontent.com" {
                        if !keys.contains("token.actions.githubusercontent.com:sub") {
                            add(.securityWarning, "MISSING_GITHUB_REPO_CONDITION_KEY",
                                "Granting a federated GitHub principal permissions without a condition key can allow more sources to assume the role than you intended. Add the token.actions.githubusercontent.com:sub condition key and specify the branch and repository name in the value.",
                                [loc(item)])
                        }
                    } else if !keys.contains(where: { $0.hasPrefix(lowerHost + ":") }) {
                        add(.securityWarning, "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL",
                            "Using an Open ID Connect principal without a condition can be overly permissive. Add condition keys with a prefix that matches your federated OIDC principals to ensure that only the intended identity provider assumes the role.",
                            [loc(item)])
                    }
                }
            default:
                if Checker.hasWildcard(v) { unsupportedWildcard(kind, item) }
            }
        }
        // IAM Roles Anywhere needs three actions to assume a role.
        if isTrust || type == .resource, s.isAllow, !s.actionNegated,
           let ra = s.principals.first(where: { $0.type == "Service" && $0.item.text == "rolesanywhere.amazonaws.com" }) {
            let actions = Set(s.actions.map { $0.text.lowercased() })
            if !["sts:assumerole", "sts:setsourceidentity", "sts:tagsession"].allSatisfy({ actions.contains($0) || actions.contains("sts:*") || actions.contains("*") }) {
                add(.error, "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY",
                    "The rolesanywhere.amazonaws.com service principal requires the sts:AssumeRole, sts:SetSourceIdentity, and sts:TagSession permissions to assume a role. Add the missing permissions to the policy.",
                    [loc(ra.item)])
            }
        }
    }

    mutating func unsupportedWildcard(_ key: String, _ item: Item) {
        add(.error, "UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
            "Wildcards (*, ?) are not supported with the principal key \(key). Replace the wildcard with a valid principal value.", [loc(item)])
    }

    static let sourceKeys: Set<String> = ["aws:sourcearn", "aws:sourceaccount", "aws:sourceorgid", "aws:sourceorgpaths"]
    static let principalScopeKeys: Set<String> = ["aws:principalaccount", "aws:principalarn"]

    mutating func checkServicePrincipal(_ s: StatementView, _ item: Item, keys: Set<String>) {
        // A service acting for someone else's resource: scope it to the source (resource policies other than trust).
        guard type == .resource, !isTrust, s.isAllow else { return }
        if keys.isDisjoint(with: Checker.sourceKeys) {
            add(.securityWarning, "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL",
                "Granting access to a service principal without specifying a source is overly permissive. Use aws:SourceArn or aws:SourceAccount condition key and scope access to a specific source to grant fine-grained access.",
                [loc(item)])
        }
        if s.principals.allSatisfy({ $0.type == "Service" }) {
            let prefix = item.text.split(separator: ".").first.map(String.init) ?? item.text
            for c in s.conditions where Checker.principalScopeKeys.contains(c.key.lowercased()) {
                add(.suggestion, "RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL",
                    "To restrict access to the service principal \(prefix) operating on your behalf, we recommend aws:SourceArn or aws:SourceAccount instead of \(c.key).",
                    [keyLocation(c)])
            }
            // Keys about the calling principal's organization or tags are never present for a service principal.
            let unsupported = s.conditions.filter { c in
                let k = c.key.lowercased()
                return k == "aws:principalorgid" || k == "aws:principalorgpaths" || k.hasPrefix("aws:principaltag/")
            }
            if !unsupported.isEmpty {
                add(.error, "UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL",
                    "The following condition keys are not supported when used with the service principal: \(unsupported.map(\.key).joined(separator: ", ")).",
                    unsupported.map(keyLocation))
            }
        }
    }

    // MARK: Conditions

    func keyLocation(_ c: ConditionEntry) -> ValidationLocation {
        ValidationLocation(path: c.keyPath, span: src.span(c.keyOffset, src.stringEnd(c.keyOffset)))
    }

    /// The operator families a key type may be used with, and their names for TYPE_MISMATCH.
    static func allowedFamilies(_ type: String) -> ([ConditionOperator.Family], String)? {
        switch type {
        case "String": return ([.string], "String")
        case "ARN": return ([.arn, .string], "ARN")
        case "Bool": return ([.bool], "Bool")
        case "Numeric": return ([.numeric], "Numeric")
        case "Date": return ([.date], "Date")
        case "IPAddress": return ([.ip], "IpAddress")
        default: return nil
        }
    }

    static let privateV4: [IPNetwork] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].compactMap(IPNetwork.init)
    static let privateV6: [IPNetwork] = ["fc00::/7"].compactMap(IPNetwork.init)

    static func isPrivate(_ n: IPNetwork) -> Bool {
        (n.isV6 ? privateV6 : privateV4).contains { $0.prefix <= n.prefix && $0.contains(n) }
    }

    mutating func checkConditions(_ s: StatementView) {
        // Keys that differ only in case, within one operator block.
        var byBlock: [String: [String: ConditionEntry]] = [:]
        for c in s.conditions {
            let lower = c.key.lowercased()
            if let other = byBlock[c.opName]?[lower], other.key != c.key {
                add(.error, "DUPLICATE_KEYS_WITH_DIFFERENT_CASE",
                    "The condition key \(c.key) appears more than once with different capitalization in the same condition block. Remove the duplicate condition keys.",
                    [keyLocation(other), keyLocation(c)])
            }
            byBlock[c.opName, default: [:]][lower] = c
        }
        for c in s.conditions { checkCondition(c, s) }
        checkTagKeysForServices(s)
        checkActionsForConditionKeys(s)
    }

    mutating func checkCondition(_ c: ConditionEntry, _ s: StatementView) {
        let keyLoc = keyLocation(c)
        let lower = c.key.lowercased()
        // Empty value lists.
        if case .array(let a) = c.node.kind, a.isEmpty {
            if c.op?.qualifier == .forAllValues {
                add(.suggestion, "EMPTY_ARRAY_CONDITION_FORALLVALUES",
                    "The ForAllValues prefix with an empty condition key matches only if the key \(c.key) is missing from the request context. To determine if the request context is empty, we recommend that you use the Null condition operator with the value of true instead.",
                    [loc(c.path, c.node)])
            } else if c.op?.qualifier == .forAnyValue {
                add(.suggestion, "EMPTY_ARRAY_CONDITION_FORANYVALUE",
                    "The ForAnyValue prefix with an empty condition key \(c.key) never matches the request context and it does not affect the policy. Specify conditions.",
                    [loc(c.path, c.node)])
            } else if c.op?.ifExists == true {
                add(.suggestion, "EMPTY_ARRAY_CONDITION_IFEXISTS",
                    "The IfExists suffix with an empty condition key matches only if the key \(c.key) is missing from the request context. To determine if the request context is empty, we recommend that you use the Null condition operator with the value of true instead.",
                    [loc(c.path, c.node)])
            } else {
                add(.suggestion, "EMPTY_ARRAY_CONDITION",
                    "There are no values for the condition key \(c.key) and it does not affect the policy. Specify conditions.", [loc(c.path, c.node)])
            }
        }
        // The key itself.
        let parts = c.key.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        var keyType: IAMCatalog.ConditionKey?
        if parts.count != 2 || parts[0].isEmpty || parts[1].isEmpty {
            add(.error, "INVALID_CONDITION_KEY_FORMAT", "The condition key format is not valid. Use the format service:keyname.", [keyLoc])
        } else if lower == "aws:arn" {
            add(.warning, "DEPRECATED_GLOBAL_CONDITION_KEY", "We recommend that you update aws:ARN to use the newer condition key aws:PrincipalArn.", [keyLoc])
        } else if parts[0].lowercased() == "aws" {
            if let k = catalog.globalKey(c.key) {
                keyType = k
            } else if catalog.isGlobalTagStem(c.key) || (lower.hasSuffix("/") && catalog.isGlobalTagStem(String(c.key.dropLast()))) {
                missingTagKey(c, keyLoc)
            } else {
                add(.error, "INVALID_GLOBAL_CONDITION_KEY", "The condition key \(c.key) does not exist. Use a valid condition key.", [keyLoc])
            }
        } else if let svc = catalog.service(String(parts[0])) {
            if let k = svc.conditionKey(c.key) {
                keyType = k
            } else if svc.keys.isTagStem(c.key) || (lower.hasSuffix("/") && svc.keys.isTagStem(String(c.key.dropLast()))) {
                missingTagKey(c, keyLoc)
            } else {
                add(.error, "INVALID_SERVICE_CONDITION_KEY",
                    "The condition key \(c.key) does not exist in the service \(svc.prefix). Use a valid condition key.", [keyLoc])
            }
        }
        if lower == "aws:vpcsourceip" && !s.conditions.contains(where: { $0.key.lowercased() == "aws:sourcevpc" }) {
            add(.securityWarning, "MISSING_PAIRED_CONDITION_KEYS",
                "Using the condition key \(c.key) can be overly permissive without also using the following condition keys: aws:SourceVpc. Condition keys like this one are more secure when paired with a related key. We recommend that you add the related condition keys to the same condition block.",
                [keyLoc])
        }
        if lower == "s3:resourceaccount", let rt = resourceType, [.s3Bucket, .s3AccessPoint, .s3MultiRegionAccessPoint].contains(rt) {
            add(.suggestion, "IRRELEVANT_CONDITION_KEY_IN_POLICY",
                "The condition key \(c.key) is not relevant for the \(rt.rawValue) policy.  Use this key in an identity-based policy to govern access to this resource.",
                [keyLoc])
        }
        if lower.hasSuffix(":aud"), parts.count == 2, parts[0].contains("."), let q = c.op?.qualifier, q != .none {
            add(.suggestion, "CONFIRM_AUDIENCE_CLAIM_TYPE",
                "The 'aud' (audience) claim key identifies the recipients that the JSON web token is intended for. Audience claims can be multivalued or single-valued. If the claim is multivalued, use a ForAllValues or ForAnyValue qualifier. If the claim is single-valued, do not use a qualifier.",
                [keyLoc])
        }
        guard let op = c.op else { return }
        // The operator.
        if op.base == .null {
            if op.ifExists {
                add(.error, "NULL_WITH_IF_EXISTS", "The Null condition operator cannot be used with the IfExists suffix. Update the operator or the suffix.", [keyLoc])
            }
            if op.qualifier != .none {
                add(.suggestion, "NULL_WITH_QUALIFIER",
                    "Avoid using the Null condition operator with the ForAllValues or ForAnyValue qualifiers because they always return a true or false respectively.",
                    [keyLoc])
            }
        }
        if let k = keyType, op.base != .null {
            if k.isMultivalued && op.qualifier == .none {
                add(.error, "MISSING_QUALIFIER",
                    "The request context key \(c.key) has multiple values. Use the ForAllValues or ForAnyValue condition key qualifiers in your policy.", [keyLoc])
            }
            if !k.isMultivalued && op.qualifier == .forAllValues && s.isAllow {
                add(.securityWarning, "FORALLVALUES_WITH_SINGLE_VALUED_KEY",
                    "Using ForAllValues qualifier with the single-valued condition key \(c.key) can be overly permissive. We recommend that you remove ForAllValues:.",
                    [keyLoc])
            }
            if let (families, name) = Checker.allowedFamilies(k.elementType), !families.contains(op.base.family) {
                add(.warning, "TYPE_MISMATCH",
                    "Use the operator type \(name) instead of operator \(c.opName) for the condition key \(c.key).", [keyLoc])
            }
        }
        checkValues(c, op, keyLoc)
    }

    mutating func missingTagKey(_ c: ConditionEntry, _ keyLoc: ValidationLocation) {
        let stem = c.key.hasSuffix("/") ? String(c.key.dropLast()) : c.key
        add(.error, "MISSING_TAG_KEY_IN_CONDITION",
            "The condition key \(stem) must include a tag key to control access based on tags. Use the format \(stem)/tag-key and specify a key name for tag-key.",
            [keyLoc])
    }

    mutating func checkValues(_ c: ConditionEntry, _ op: ConditionOperator, _ keyLoc: ValidationLocation) {
        let lower = c.key.lowercased()
        let plain = c.values.filter { !$0.text.contains("${") }
        switch op.base.family {
        case .numeric:
            for v in plain where !ContextValueCheck.isNumber(v.text) {
                add(.warning, "TYPE_MISMATCH_NUMBER", "Add a valid numeric value for the condition operator \(c.opName).", [loc(v)])
            }
            let ordering: [ConditionOperator.Base: String] = [.numericLessThan: "greatest", .numericLessThanEquals: "greatest",
                                                              .numericGreaterThan: "least", .numericGreaterThanEquals: "least"]
            if let which = ordering[op.base], op.qualifier == .none, c.values.count > 1 {
                add(.suggestion, "REDUNDANT_CONDITION_VALUE_NUM",
                    "Multiple values in \(c.opName) are redundant. Replace with the \(which) single value for \(c.key).", [loc(c.path, c.node)])
            }
        case .date:
            for v in plain where !v.text.isEmpty && v.text.allSatisfy({ $0.isASCII && $0.isNumber }) {
                add(.warning, "INVALID_DATE_VALUE",
                    "The date \(v.text) might not resolve as expected. We recommend that you use the YYYY-MM-DD format.", [loc(v)])
            }
            for v in plain where !ContextValueCheck.isDate(v.text) {
                add(.warning, "TYPE_MISMATCH_DATE",
                    "The date condition operator is used with an invalid value. Specify a valid date using YYYY-MM-DD or other ISO 8601 date/time format.",
                    [loc(v)])
            }
        case .bool:
            for v in plain where !ContextValueCheck.isBool(v.text) {
                add(.warning, "TYPE_MISMATCH_BOOLEAN", "Add a valid Boolean value (true or false) for the condition operator \(c.opName).", [loc(v)])
            }
            if c.values.count > 1 {
                add(.error, "INVALID_CONDITION_MULTIPLE_BOOLEAN",
                    "The condition key does not support multiple Boolean values. Use a single Boolean value.", [loc(c.path, c.node)])
            }
        case .binary:
            for v in plain where !ContextValueCheck.isBase64(v.text) {
                add(.warning, "TYPE_MISMATCH_STRING", "Add a valid base64-encoded string value for the condition operator \(c.opName).", [loc(v)])
            }
        case .ip:
            var networks: [(Item, IPNetwork)] = []
            for v in plain {
                guard let n = IPNetwork(v.text) else {
                    add(.warning, "TYPE_MISMATCH_IP_RANGE",
                        "The condition operator \(c.opName) is used with an invalid IP range value. Specify the IP range in standard CIDR format.", [loc(v)])
                    continue
                }
                networks.append((v, n))
                if let fixed = Checker.maskedIPv4(n), v.text.contains("/") {
                    add(.suggestion, "IMPROVE_IP_RANGE",
                        "The non-zero bits in the IP address after the masked bits are ignored. Replace address with \(fixed).", [loc(v)])
                }
            }
            if lower == "aws:sourceip", !networks.isEmpty {
                let privates = networks.filter { Checker.isPrivate($0.1) }
                let negated = op.base == .notIpAddress
                if privates.count == networks.count {
                    if negated {
                        add(.error, "PRIVATE_NOT_IP_ADDRESS",
                            "The values for condition key aws:SourceIp include only private IP addresses and has no effect. aws:SourceIp works only for public IP address ranges. Update the value to include only public IP addresses.",
                            [keyLoc])
                    } else {
                        add(.error, "PRIVATE_IP_ADDRESS",
                            "aws:SourceIp works only for public IP address ranges. The values for condition key aws:SourceIp include only private IP addresses and will not have the desired effect. Update the value to include only public IP addresses.",
                            [keyLoc])
                    }
                } else if !privates.isEmpty {
                    if negated {
                        add(.suggestion, "PRIVATE_NOT_IP_ADDRESS_SUBSET",
                            "The values for condition key aws:SourceIp include a mix of private and public IP addresses. The private addresses have no effect. aws:SourceIp works only for public IP address ranges. To define permissions for private IP ranges, use aws:VpcSourceIp.",
                            privates.map { loc($0.0) })
                    } else {
                        add(.suggestion, "PRIVATE_IP_ADDRESS_SUBSET",
                            "The values for condition key aws:SourceIp include a mix of private and public IP addresses. The private addresses will not have the desired effect. aws:SourceIp works only for public IP address ranges. To define permissions for private IP ranges, use aws:VpcSourceIp.",
                            privates.map { loc($0.0) })
                    }
                }
            }
        case .string:
            let equalsOps: Set<ConditionOperator.Base> = [.stringEquals, .stringNotEquals, .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase]
            if equalsOps.contains(op.base) {
                for v in plain where Checker.hasWildcard(v.text) {
                    add(.warning, "WILDCARD_WITHOUT_LIKE_OPERATOR",
                        "Your condition value includes a * or ? character. If you meant to use a wildcard (*, ?), update the condition operator to include Like.",
                        [loc(v)])
                }
            }
            for v in plain where !Checker.hasWildcard(v.text) {
                switch lower {
                case "aws:requestedregion":
                    if !Checker.isRegion(Substring(v.text)) {
                        add(.error, "INVALID_REGION", "The Region \(v.text) is not valid. Update the condition value to a suported Region.", [loc(v)])
                    }
                case "aws:sourcevpc":
                    if !Checker.isResourceID(v.text, prefix: "vpc-") {
                        add(.error, "INVALID_VPC_FORMAT",
                            "The VPC identifier in the condition key value is not valid. Use the prefix 'vpc-' followed by 8 or 17 alphanumeric characters.", [loc(v)])
                    }
                case "aws:sourcevpce":
                    if !Checker.isResourceID(v.text, prefix: "vpce-") {
                        add(.error, "INVALID_VPCE_FORMAT",
                            "The VPCE identifier in the condition key value is not valid.  Use the prefix 'vpce-' followed by 8 or 17 alphanumeric characters.", [loc(v)])
                    }
                default: break
                }
            }
            if lower == "token.actions.githubusercontent.com:sub" {
                for v in plain where Checker.githubSubTooBroad(v.text) {
                    add(.warning, "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED",
                        "Using a wildcard (*) in token.actions.githubusercontent.com:sub can allow requests from more sources than you intended. Specify the value of token.actions.githubusercontent.com:sub with the repository and branch name.",
                        [loc(v)])
                }
            }
        default:
            break
        }
    }

    static func isResourceID(_ v: String, prefix: String) -> Bool {
        guard v.hasPrefix(prefix) else { return false }
        let rest = v.dropFirst(prefix.count)
        return (rest.count == 8 || rest.count == 17) && rest.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    /// `repo:org/*`, `*`, `repo:*`: a wildcard in the repository part of GitHub's `sub` claim.
    static func githubSubTooBroad(_ v: String) -> Bool {
        if v == "*" { return true }
        guard v.hasPrefix("repo:") else { return false }
        let repo = v.dropFirst("repo:".count).split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return repo.contains("*") || repo.contains("?")
    }

    /// For an IPv4 CIDR with bits set after the mask, the network address text (`10.1.2.3/8` → `10.0.0.0/8`).
    static func maskedIPv4(_ n: IPNetwork) -> String? {
        guard !n.isV6, n.prefix < 32 else { return nil }
        let mask: UInt64 = n.prefix == 0 ? 0 : (~UInt64(0) << UInt64(32 - n.prefix)) & 0xFFFF_FFFF
        let masked = n.low & mask
        guard masked != n.low else { return nil }
        let octets = (0..<4).map { String((masked >> UInt64(24 - 8 * $0)) & 0xFF) }
        return octets.joined(separator: ".") + "/\(n.prefix)"
    }

    // MARK: Condition keys against the statement's actions

    static let tagKeyStems = ["aws:resourcetag/", "aws:requesttag/", "aws:tagkeys"]

    /// Services of the statement's actions, with the items naming them (wildcard actions included).
    func actionServices(_ s: StatementView) -> [(IAMCatalog.Service, Item)] {
        s.actions.compactMap { a in
            let parts = a.text.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, !Checker.hasWildcard(String(parts[0])), let svc = catalog.service(String(parts[0])) else { return nil }
            return (svc, a)
        }
    }

    /// ALLOW/DENY(_NOTACTION)_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE.
    mutating func checkTagKeysForServices(_ s: StatementView) {
        for c in s.conditions {
            let lower = c.key.lowercased()
            guard Checker.tagKeyStems.contains(where: { lower.hasPrefix($0) }), s.isAllow || s.isDeny else { continue }
            let probe = lower == "aws:tagkeys" ? "aws:TagKeys" : c.key
            if s.actionNegated {
                if s.isDeny {
                    add(.securityWarning, "DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                        "Using the effect Deny with NotAction and the tag condition key \(c.key) can be overly permissive because some service actions are not denied by this statement. This is because the condition key doesn't apply to some service actions. We recommend that you use Action instead of NotAction.",
                        [keyLocation(c)])
                } else {
                    add(.suggestion, "ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                        "Using the effect Allow with NotAction and the tag condition key \(c.key) allows only service actions that support the condition key. The condition key doesn't apply to some service actions. We recommend that you use Action instead of NotAction.",
                        [keyLocation(c)])
                }
                continue
            }
            var unsupported: [String] = []
            for (svc, _) in actionServices(s) where svc.conditionKey(probe) == nil && !unsupported.contains(svc.prefix) {
                unsupported.append(svc.prefix)
            }
            guard !unsupported.isEmpty else { continue }
            let names = unsupported.joined(separator: ", ")
            if s.isDeny {
                add(.securityWarning, "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                    "Using the effect Deny with the tag condition key \(c.key) and actions for services with the following prefixes can be overly permissive: \(names). Actions for the listed services are not denied by this statement. We recommend that you move these actions to a different statement without this condition key.",
                    [keyLocation(c)])
            } else {
                add(.suggestion, "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                    "Using the effect Allow with the tag condition key \(c.key) and actions for services with the following prefixes does not affect the policy: \(names). Actions for the listed service are not allowed by this statement. We recommend that you move these actions to a different statement without this condition key.",
                    [keyLocation(c)])
            }
        }
    }

    /// UNSUPPORTED_ACTION_FOR_CONDITION_KEY for service keys, and MISSING_ACTION_FOR_CONDITION_KEY for the STS
    /// keys that need their own action (sts:SetSourceIdentity, sts:TagSession) in a trust statement.
    mutating func checkActionsForConditionKeys(_ s: StatementView) {
        guard !s.actionNegated else { return }
        let named = actionServices(s).filter { !Checker.hasWildcard($0.1.text) }
        for c in s.conditions {
            let parts = c.key.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() != "aws", let owner = catalog.service(String(parts[0])),
                  owner.conditionKey(c.key) != nil else { continue }
            var unsupported: [String] = []
            for (svc, item) in named {
                guard let action = svc.action(String(item.text.split(separator: ":", maxSplits: 1)[1])) else { continue }
                if !svc.action(action, supports: c.key) { unsupported.append(item.text) }
            }
            if !unsupported.isEmpty {
                add(.error, "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
                    "The following actions: \(unsupported.joined(separator: ", ")) are not supported by the condition key \(c.key). The condition will not be evaluated for these actions. We recommend that you move these actions to a different statement without this condition key.",
                    [keyLocation(c)])
            }
        }
        // Setting session values needs the matching STS action next to the AssumeRole* action.
        let actions = Set(s.actions.map { $0.text.lowercased() })
        guard s.isAllow, actions.contains(where: { $0.hasPrefix("sts:assumerole") }), !actions.contains("sts:*"), !actions.contains("*") else { return }
        for c in s.conditions {
            let lower = c.key.lowercased()
            var needed: String?
            if lower == "sts:sourceidentity" && !actions.contains("sts:setsourceidentity") { needed = "sts:SetSourceIdentity" }
            if (lower.hasPrefix("aws:requesttag/") || lower == "aws:tagkeys" || lower == "sts:transitivetagkeys") && !actions.contains("sts:tagsession") {
                needed = "sts:TagSession"
            }
            if let needed {
                add(.error, "MISSING_ACTION_FOR_CONDITION_KEY",
                    "The \(needed) action must be in the action block to allow setting values for the condition key \(c.key). Add \(needed) to the action block.",
                    [keyLocation(c)])
            }
        }
    }

    // MARK: Policy variables

    mutating func checkVariables(_ s: StatementView) {
        func check(_ item: Item, element: String, op: ConditionOperator?) {
            guard item.text.contains("${") else { return }
            if element != "Resource" && element != "NotResource" && element != "Condition" {
                add(.error, "VARIABLE_UNSUPPORTED_IN_ELEMENT",
                    "Policy variables are supported in the Resource and Condition elements. Remove the policy variable \(item.text) from this element.",
                    [loc(item)])
                return
            }
            if !variablesSupported {
                add(.error, "VARIABLE_UNSUPPORTED_IN_VERSION",
                    "To include variables in your policy, use the policy version 2012-10-17 or later.", [loc(item)])
                return
            }
            if let op, !op.base.acceptsVariables {
                add(.error, "INVALID_VARIABLE_FOR_OPERATOR", "Policy variables can only be used with String and ARN operators.", [loc(item)])
            }
            let b = Array(item.text.utf8)
            var i = 0
            while i + 1 < b.count {
                guard b[i] == UInt8(ascii: "$"), b[i + 1] == UInt8(ascii: "{") else { i += 1; continue }
                let start = i
                guard let close = b[(i + 2)...].firstIndex(of: UInt8(ascii: "}")) else {
                    variableFinding(item, start, b.count - start, "MISSING_BRACE_IN_VARIABLE",
                                    "The policy variable is missing a closing curly brace. Add } after the variable text.")
                    break
                }
                let body = String(decoding: b[(i + 2)..<close], as: UTF8.self)
                let length = close + 1 - start
                i = close + 1
                if ["*", "?", "$"].contains(body) { continue }
                if body.trimmingSpaces.isEmpty {
                    variableFinding(item, start, length, "EMPTY_VARIABLE",
                                    "Empty policy variable. Remove the ${ } variable structure or provide a variable within the structure.")
                    continue
                }
                let pieces = body.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
                if pieces[0].contains(" ") {
                    variableFinding(item, start, length, "UNSUPPORTED_SPACE_IN_VARIABLE",
                                    "A space is not supported within the policy variable text. Remove the space.")
                }
                if pieces.count == 2 {
                    let d = String(pieces[1]).trimmingSpaces
                    if d.count < 2 || !d.hasPrefix("'") || !d.hasSuffix("'") {
                        variableFinding(item, start, length, "MISSING_QUOTE_IN_VARIABLE",
                                        "The policy variable default value must begin and end with a single quote. Add the missing quote.")
                    }
                }
            }
        }
        for a in s.actions { check(a, element: "Action", op: nil) }
        for r in s.resources { check(r, element: "Resource", op: nil) }
        for p in s.principals { check(p.item, element: "Principal", op: nil) }
        if let sid = s.sid { check(sid, element: "Sid", op: nil) }
        for c in s.conditions {
            for v in c.values { check(v, element: "Condition", op: c.op) }
        }
    }

    mutating func variableFinding(_ item: Item, _ start: Int, _ length: Int, _ code: String, _ details: String) {
        // Substring indices count UTF-16 units of the decoded string.
        let prefix = String(decoding: Array(item.text.utf8)[..<start], as: UTF8.self)
        let part = String(decoding: Array(item.text.utf8)[start..<(start + length)], as: UTF8.self)
        let location = ValidationLocation(path: item.path + [.substring(start: prefix.utf16.count, length: part.utf16.count)],
                                          span: src.substringSpan(item.node, start, length))
        add(.error, code, details, [location])
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
