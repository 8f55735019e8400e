/// How specifically a resource-based policy names the caller. Decides whether the policy's allow can stand on
/// its own in the same account (reference_policies_evaluation-logic, permissions boundaries, session policies).
enum PrincipalMatch: Int, Sendable, Comparable {
    /// Not named.
    case none = 0
    /// Named through its account (`"AWS": "111122223333"` or `…:root`): the account's identity policies decide.
    case account = 1
    /// Named through its parent: the role ARN for a role session, the IAM user for a federated-user session.
    /// Bypasses identity policies, but permissions boundaries and session policies still limit it.
    case parent = 2
    /// Named directly (user ARN, session ARN, federated-user ARN, `*`): the grant stands on its own.
    case direct = 3

    static func < (a: PrincipalMatch, b: PrincipalMatch) -> Bool { a.rawValue < b.rawValue }
}

/// A compiled `Principal`/`NotPrincipal` element.
struct PrincipalMatcher: Sendable {
    enum Entry: Sendable {
        case any
        case account(String)
        case arn(String)
        case role(account: String, name: String, arn: String)
        case uniqueID(String)
        case service(String)
        case federated(String)
        case canonicalUser(String)
    }

    let negated: Bool
    let entries: [Entry]

    init(_ element: Negatable<PrincipalSpec>) {
        negated = element.negated
        var entries: [Entry] = []
        switch element.value {
        case .wildcard:
            entries.append(.any)
        case .map(let map):
            for e in map {
                for v in e.values.values {
                    switch e.type {
                    case "AWS": entries.append(PrincipalMatcher.awsEntry(v))
                    case "Service": entries.append(v == "*" ? .any : .service(v.lowercased()))
                    case "Federated": entries.append(v == "*" ? .any : .federated(v))
                    case "CanonicalUser": entries.append(v == "*" ? .any : .canonicalUser(v))
                    default: break
                    }
                }
            }
        }
        self.entries = entries
    }

    static func awsEntry(_ v: String) -> Entry {
        if v == "*" { return .any }
        if v.utf8.count == 12 && v.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return .account(v) }
        let parts = v.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        if parts.count == 6, parts[0] == "arn" {
            if parts[2] == "iam" && parts[5] == "root" { return .account(String(parts[4])) }
            if parts[2] == "iam" && parts[5].hasPrefix("role/") {
                let name = parts[5].split(separator: "/").last.map(String.init) ?? ""
                return .role(account: String(parts[4]), name: name, arn: v)
            }
            return .arn(v)
        }
        return .uniqueID(v)
    }

    /// How the caller is named by this element. For `NotPrincipal`, the caller is excluded only when every
    /// identity it carries (itself, its parent role or user, its account) is listed; otherwise the element
    /// applies to it (AWS: "specify the account ARN too, or the whole account is denied").
    func match(_ p: RequestPrincipal, hasBoundary: Bool) -> PrincipalMatch {
        var direct = false
        var parent = false
        var account = false
        for e in entries {
            switch e {
            case .any:
                direct = true; parent = true; account = true
            case .account(let a):
                if !p.account.isEmpty && a == p.account && p.kind != .service && p.kind != .federatedProvider {
                    account = true
                    if p.kind == .root { direct = true }
                }
            case .arn(let arn):
                if arn == p.arn { direct = true }
                if p.kind == .federatedUser, let parentARN = p.parentARN, arn == parentARN { parent = true }
            case .role(let acct, let name, let arn):
                if p.kind == .assumedRole && acct == p.account {
                    if let parentARN = p.parentARN {
                        if parentARN == arn { parent = true }
                    } else if let roleName = p.roleName, roleName == name {
                        parent = true
                    }
                }
            case .uniqueID(let id):
                if let u = p.uniqueID, u == id {
                    if p.kind == .assumedRole { parent = true } else { direct = true }
                }
            case .service(let s):
                if p.kind == .service && equalsIgnoringASCIICase(p.arn, s) { direct = true }
            case .federated(let f):
                if p.kind == .federatedProvider && p.arn == f { direct = true }
            case .canonicalUser(let c):
                if p.arn == c { direct = true }
            }
        }
        if negated {
            // A Deny with NotPrincipal always applies to principals that have a permissions boundary.
            if hasBoundary { return .direct }
            let needsParent = p.hasParent
            let accountListed = account || p.account.isEmpty
            let excluded = direct && accountListed && (!needsParent || parent)
            return excluded ? .none : .direct
        }
        if direct { return .direct }
        if parent { return .parent }
        if account { return .account }
        return .none
    }
}

/// ASCII case-insensitive equality without allocating (service principal names are ASCII).
func equalsIgnoringASCIICase(_ a: String, _ b: String) -> Bool {
    withUTF8(a) { x in
        withUTF8(b) { y in
            guard x.count == y.count else { return false }
            for i in 0..<x.count where Glob.lower(x[i]) != Glob.lower(y[i]) { return false }
            return true
        }
    }
}
