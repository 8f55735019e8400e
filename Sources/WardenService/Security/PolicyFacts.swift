import Foundation
import WardenPolicy

/// What identity policies grant, read statement by statement as prowler and the CIS benchmark read them: an
/// `Allow` for an action on every resource, less what a `Deny` without conditions takes back. Conditions on an
/// `Allow` do not make it safe here (a condition can be met); the simulator answers questions with a context.
enum PolicyFacts {
    /// Whether an action pattern (`iam:*`, `iam:Create*`, `*`) matches an action, case-insensitively, as IAM
    /// matches actions.
    static func actionMatches(_ pattern: String, _ action: String) -> Bool {
        glob(Array(pattern.lowercased().utf8), Array(action.lowercased().utf8))
    }

    /// `*` (any run) and `?` (one character) matching, linear in practice (the two-pointer algorithm).
    static func glob(_ p: [UInt8], _ s: [UInt8]) -> Bool {
        var i = 0, j = 0, star = -1, mark = 0
        while j < s.count {
            if i < p.count && (p[i] == UInt8(ascii: "?") || p[i] == s[j]) { i += 1; j += 1; continue }
            if i < p.count && p[i] == UInt8(ascii: "*") { star = i; mark = j; i += 1; continue }
            guard star >= 0 else { return false }
            i = star + 1; mark += 1; j = mark
        }
        while i < p.count && p[i] == UInt8(ascii: "*") { i += 1 }
        return i == p.count
    }

    /// Whether a statement's `Action`/`NotAction` covers `action`.
    static func covers(_ s: PolicyStatement, _ action: String) -> Bool {
        guard let a = s.action else { return false }
        let hit = a.value.values.contains { actionMatches($0, action) }
        return a.negated ? !hit : hit
    }

    /// Whether a statement applies to every resource (`"Resource": "*"`, or a `NotResource` that leaves `*` in).
    static func onEveryResource(_ s: PolicyStatement) -> Bool {
        guard let r = s.resource else { return false }
        if r.negated { return !r.value.values.contains("*") }
        return r.value.values.contains("*")
    }

    /// Whether the document allows `action` on every resource, and no unconditional `Deny` takes it back.
    static func allowsOnEveryResource(_ doc: PolicyDocument, _ action: String) -> Bool {
        let allowed = doc.statements.contains { $0.effect == .allow && onEveryResource($0) && covers($0, action) }
        guard allowed else { return false }
        return !doc.statements.contains { $0.effect == .deny && $0.conditions.isEmpty && onEveryResource($0) && covers($0, action) }
    }

    /// Full administrative access: an `Allow` of `Action: "*"` on `Resource: "*"` (CIS 1.16's `*:*`).
    static func isAdministrator(_ doc: PolicyDocument) -> Bool {
        doc.statements.contains { s in
            guard s.effect == .allow, onEveryResource(s), let a = s.action, !a.negated else { return false }
            return a.value.values.contains { $0 == "*" || $0 == "*:*" }
        }
    }

    /// Whether any `Allow` grants a whole service (`cloudtrail:*`, or `*`) on every resource.
    static func grantsFullService(_ doc: PolicyDocument, _ service: String) -> Bool {
        doc.statements.contains { s in
            guard s.effect == .allow, onEveryResource(s), let a = s.action, !a.negated else { return false }
            return a.value.values.contains { $0 == "*" || $0.lowercased() == "\(service):*" }
        }
    }
}
