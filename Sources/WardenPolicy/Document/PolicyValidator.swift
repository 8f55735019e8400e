/// AWS's semantic checks on a syntactically valid document, in the order IAM applies them, each producing
/// IAM's `MalformedPolicyDocument` wording. Its static format checks are public for other validators (Access
/// Analyzer's policy checks).
public struct PolicyValidator {
    let document: PolicyDocument
    let positions: [StatementPositions]
    let text: String
    let requireCurrentVersion: Bool

    /// The partitions an ARN in a policy may name (`*` included).
    public static let partitions: Set<String> = ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc", "*"]
    static let iamResourcePrefixes = ["user/", "federated-user/", "role/", "group/", "instance-profile/", "mfa/",
                                      "server-certificate/", "policy/", "sms-mfa/", "saml-provider/", "oidc-provider/",
                                      "report/", "access-report/"]
    static let trustActions: Set<String> = ["sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
                                            "sts:tagsession", "sts:setsourceidentity", "sts:setcontext"]
    static let trustActionsMessage = "Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity"

    private var kind: PolicyKind { document.kind }
    private var isIAMKind: Bool { kind == .identity || kind == .boundary || kind == .session || kind == .trust }

    private func loc(_ offset: Int) -> PolicyError.Location { JSONParser.location(of: offset, in: text) }
    private func error(_ message: String, _ i: Int, _ element: String, _ code: PolicyError.Code = .invalidGrammar) -> PolicyError {
        let path = (document.statementIsArray ? "Statement[\(i)]" : "Statement") + (element.isEmpty ? "" : ".\(element)")
        return PolicyError(code, message, path: path, location: loc(positions[i].offset(element)))
    }

    func validate() throws(PolicyError) {
        let statements = document.statements
        if isIAMKind { try checkCharacters() }
        // Principal presence depends on where the policy is attached.
        for (i, s) in statements.enumerated() {
            if kind.forbidsPrincipal && s.principal != nil {
                throw error("Policy document should not specify a principal.", i, s.principal!.negated ? "NotPrincipal" : "Principal")
            }
            if kind.requiresPrincipal && s.principal == nil {
                throw error("Missing required field Principal", i, "")
            }
        }
        if requireCurrentVersion && document.version != PolicyDocument.currentVersion {
            throw PolicyError(.unsupportedVersion, "Policy document must be version 2012-10-17 or greater.", path: "Version")
        }
        // Legacy parsing: exact Effect case, date condition values.
        for (i, s) in statements.enumerated() {
            if positions[i].elements["EffectCase"] != nil { throw PolicyError.legacy(path(i, "Effect"), loc(positions[i].offset("Effect"))) }
            for block in s.conditions {
                guard let op = ConditionOperator(block.operatorName), op.base.family == .date else { continue }
                for entry in block.entries {
                    for v in entry.values where withUTF8(v.text, { ValueParsing.date($0) }) == nil {
                        throw PolicyError.legacy(path(i, "Condition"), loc(positions[i].offset("Condition")))
                    }
                }
            }
        }
        // Resource formats: the first format problem is reported later; shape problems fail legacy parsing now.
        var resourceError: (String, Int, String)?
        for (i, s) in statements.enumerated() {
            guard let r = s.resource else { continue }
            let element = r.negated ? "NotResource" : "Resource"
            for value in r.value.values {
                if resourceError == nil, let message = PolicyValidator.resourceFormatError(value) {
                    resourceError = (message, i, element)
                }
                if resourceError == nil && !PolicyValidator.legacyResourceShapeOK(value) {
                    throw PolicyError.legacy(path(i, element), loc(positions[i].offset(element)))
                }
            }
        }
        var sids = Set<String>()
        for (i, s) in statements.enumerated() {
            guard let sid = s.sid, !sid.isEmpty else { continue }
            if !sids.insert(sid).inserted {
                throw error("Statement IDs (SID) in a single policy must be unique.", i, "Sid")
            }
        }
        for (i, s) in statements.enumerated() where s.action == nil || s.action!.value.values.isEmpty {
            throw error("Policy statement must contain actions.", i, s.action?.negated == true ? "NotAction" : "Action")
        }
        if kind == .trust {
            for (i, s) in statements.enumerated() where s.resource != nil {
                throw error("Has prohibited field Resource.", i, s.resource!.negated ? "NotResource" : "Resource")
            }
        } else {
            for (i, s) in statements.enumerated() where s.resource == nil || s.resource!.value.values.isEmpty {
                throw error("Policy statement must contain resources.", i, s.resource?.negated == true ? "NotResource" : "Resource")
            }
        }
        if let (message, i, element) = resourceError { throw error(message, i, element) }
        for (i, s) in statements.enumerated() {
            guard let a = s.action else { continue }
            let element = a.negated ? "NotAction" : "Action"
            for action in a.value.values {
                if let message = PolicyValidator.actionError(action) { throw error(message, i, element) }
            }
        }
        // IAM rejects condition keys without a vendor prefix; other services' policy stores differ, so only
        // IAM-stored kinds are checked.
        for (i, s) in statements.enumerated() where isIAMKind {
            for block in s.conditions {
                for entry in block.entries where !entry.key.containsASCII(":") {
                    throw error("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.", i, "Condition")
                }
            }
        }
        if isIAMKind {
            for (i, s) in statements.enumerated() {
                guard let sid = s.sid else { continue }
                if !sid.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) }) {
                    throw error("Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*", i, "Sid")
                }
            }
        }
        if kind == .trust {
            for (i, s) in statements.enumerated() {
                guard let a = s.action, !a.negated else { continue }
                for action in a.value.values where !PolicyValidator.isTrustAction(action) {
                    throw error(PolicyValidator.trustActionsMessage, i, "Action")
                }
            }
        }
        for (i, s) in statements.enumerated() {
            guard let p = s.principal else { continue }
            if let message = PolicyValidator.principalError(p.value) { throw error(message, i, p.negated ? "NotPrincipal" : "Principal") }
        }
    }

    private func path(_ i: Int, _ element: String) -> String {
        (document.statementIsArray ? "Statement[\(i)]" : "Statement") + ".\(element)"
    }

    /// IAM accepts TAB, LF, CR and U+0020 through U+00FF in policy documents.
    private func checkCharacters() throws(PolicyError) {
        // In UTF-8, a scalar above U+00FF starts with a byte of 0xC4 or more.
        let bad = withUTF8(text) { b -> Int? in
            for i in 0..<b.count {
                let c = b[i]
                if (c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D) || c >= 0xC4 { return i }
            }
            return nil
        }
        if let bad { throw PolicyError.syntax("", loc(bad)) }
        // `\\uXXXX` escapes can smuggle other characters in; check the decoded strings too.
        if text.containsASCII("\\u") {
            for scalar in document.jsonString().unicodeScalars where scalar.value > 0xFF {
                throw PolicyError.syntax("")
            }
        }
    }

    static func legacyResourceShapeOK(_ r: String) -> Bool {
        if r == "*" { return true }
        let colons = r.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: ":") ? 1 : 0) }
        if colons < 5 && r.containsASCII("::") { return false }
        let parts = r.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count > 2 && parts[2].isEmpty { return false }
        return true
    }

    /// IAM's resource-format messages.
    static func resourceFormatError(_ r: String) -> String? {
        if r == "*" { return nil }
        let parts = r.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2 else { return "Resource \(r) must be in ARN format or \"*\"." }
        let partition = parts[1]
        if !partitions.contains(partition) && !partition.hasPrefix("${") {
            let rest = Array(parts.dropFirst(2))
            let a1 = !rest.isEmpty && (rest[0] != "" || rest.count > 1) ? rest[0] : "*"
            let a2 = rest.count > 1 ? rest[1] : "*"
            let a3 = rest.count > 2 ? rest[2] : "*"
            let a4 = rest.count > 3 ? rest[3...].joined(separator: ":") : "*"
            return "Partition \"\(partition)\" is not valid for resource \"arn:\(partition):\(a1):\(a2):\(a3):\(a4)\"."
        }
        guard parts.count >= 3 else { return "Resource vendor must be fully qualified and cannot contain regexes." }
        let service = parts[2]
        if service.containsASCII("*") || service.containsASCII("?") { return "Resource vendor must be fully qualified and cannot contain regexes." }
        if parts.count >= 4 && !parts[3].isEmpty {
            if service == "iam" { return "IAM resource \(r) cannot contain region information." }
            if service == "s3" { return "Resource \(r) can not contain region information." }
        }
        if service == "iam" && parts.count >= 6 {
            let resource = parts[5...].joined(separator: ":")
            let ok = resource.hasPrefix("*") || resource.hasPrefix("${") || iamResourcePrefixes.contains { resource.hasPrefix($0) }
            if !ok {
                return "IAM resource path must either be \"*\" or start with \(iamResourcePrefixes.joined(separator: ", "))."
            }
        }
        return nil
    }

    /// IAM's action-format messages.
    static func actionError(_ action: String) -> String? {
        let parts = action.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 1 && parts[0] != "*" { return "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc." }
        if parts.count > 2 { return "Actions/Condition can contain only one colon." }
        let vendor = parts[0]
        if vendor != "*" {
            let valid = vendor.utf8.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
            }
            if !valid { return "Vendor \(vendor) is not valid" }
        }
        return nil
    }

    /// Whether a role trust policy may name `action` (the STS assume/tag/context actions, or an STS wildcard).
    public static func isTrustAction(_ action: String) -> Bool {
        let lower = action.lowercased()
        if trustActions.contains(lower) { return true }
        // Wildcards are fine as long as they stay within STS.
        return lower.hasPrefix("sts:") && (lower.containsASCII("*") || lower.containsASCII("?"))
    }

    /// IAM's principal-format message, `Invalid principal in policy: "AWS":"…"`.
    static func principalError(_ spec: PrincipalSpec) -> String? {
        guard case .map(let entries) = spec else { return nil }
        for e in entries {
            for v in e.values.values {
                let bad = "Invalid principal in policy: \"\(e.type)\":\"\(v)\""
                switch e.type {
                case "AWS":
                    if !isValidAWSPrincipal(v) { return bad }
                case "Service", "Federated", "CanonicalUser":
                    if v.isEmpty || v.containsASCII(" ") { return bad }
                default:
                    return bad
                }
            }
        }
        return nil
    }

    /// Whether `v` is a value IAM accepts for an `AWS` principal (`*`, an account id, an IAM/STS ARN, a unique id).
    public static func isValidAWSPrincipal(_ v: String) -> Bool {
        if v == "*" { return true }
        if v.utf8.count == 12 && v.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return true }
        let parts = v.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        if parts.count == 6 && parts[0] == "arn" {
            // No partial wildcards in principals.
            if v.containsASCII("*") || v.containsASCII("?") { return false }
            guard partitions.contains(String(parts[1])), parts[2] == "iam" || parts[2] == "sts", parts[3].isEmpty else { return false }
            guard parts[4].utf8.count == 12, parts[4].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
            let r = parts[5]
            if parts[2] == "iam" { return r == "root" || r.hasPrefix("user/") || r.hasPrefix("role/") }
            return r.hasPrefix("assumed-role/") || r.hasPrefix("federated-user/")
        }
        // Unique ids (AIDA…, AROA…) that IAM stores in place of deleted-and-recreated principals.
        return v.utf8.count >= 16 && v.utf8.count <= 128 && v.hasPrefix("A") &&
            v.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) }
    }
}

extension String {
    /// Byte-wise substring test for ASCII needles (the generic `contains` walks Characters and is slow).
    func containsASCII(_ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        let p = needle.utf8Start
        return WardenPolicy.withUTF8(self) { b in
            guard b.count >= n else { return false }
            var i = 0
            while i + n <= b.count {
                var k = 0
                while k < n && b[i + k] == p[k] { k += 1 }
                if k == n { return true }
                i += 1
            }
            return false
        }
    }
}
