import Foundation
import WardenPolicy

/// The questions prowler's policy checks ask of a document, answered on patterns rather than on an expanded list
/// of every AWS action (Warden has no such list): a pattern covers another when it matches it read as text
/// (`iam:*` covers `iam:Put*`), and two patterns meet when one covers the other.
extension PolicyFacts {
    /// IAM wildcard matching (`*`, `?`) of any text, case-insensitively, ignoring spaces around the pattern as IAM does.
    static func matches(_ pattern: String, _ value: String) -> Bool {
        actionMatches(pattern.trimmingCharacters(in: .whitespaces), value)
    }

    /// `service:action` → its two parts, lowercased; `*` alone is every action of every service. Nil for text
    /// without a service prefix (which a valid policy does not have).
    static func split(_ pattern: String) -> (service: String, action: String)? {
        let p = pattern.trimmingCharacters(in: .whitespaces).lowercased()
        if p == "*" { return ("*", "*") }
        guard let colon = p.firstIndex(of: ":") else { return nil }
        return (String(p[..<colon]), String(p[p.index(after: colon)...]))
    }

    /// Whether two action patterns can name a common action: their services meet and one action part covers the
    /// other (`iam:Put*` and `iam:*User*` count as meeting, a slight over-estimate that only makes a `Deny` or a
    /// `NotAction` take away more).
    static func overlaps(_ a: String, _ b: String) -> Bool {
        guard let x = split(a), let y = split(b) else { return false }
        let services = matches(x.service, y.service) || matches(y.service, x.service)
        return services && (matches(x.action, y.action) || matches(y.action, x.action))
    }

    /// Whether a statement's `Action`/`NotAction` names every action `target` names: an `Action` pattern covers
    /// it, or no `NotAction` pattern meets it.
    static func namesAll(_ s: PolicyStatement, _ target: String) -> Bool {
        guard let a = s.action else { return false }
        if a.negated { return !a.value.values.contains { overlaps($0, target) } }
        return a.value.values.contains { actionMatches($0, target) }
    }

    /// Whether a statement's `Action`/`NotAction` names some action `target` names.
    static func namesSome(_ s: PolicyStatement, _ target: String) -> Bool {
        guard let a = s.action else { return false }
        if a.negated { return !a.value.values.contains { actionMatches($0, target) } }
        return a.value.values.contains { overlaps($0, target) }
    }

    /// Prowler's effective actions: an `Allow` names every action of `target` (on any resource, under any
    /// condition), and no unconditional `Deny` on every resource names any of them.
    static func allowsAll(_ doc: PolicyDocument, _ target: String) -> Bool {
        guard doc.statements.contains(where: { $0.effect == .allow && namesAll($0, target) }) else { return false }
        return !doc.statements.contains { $0.effect == .deny && $0.conditions.isEmpty && onEveryResource($0) && namesSome($0, target) }
    }

    /// Whether a statement's `Resource` lists `*` itself (prowler's test for "all resources"; a `NotResource`
    /// does not count).
    static func listsEveryResource(_ s: PolicyStatement) -> Bool {
        guard let r = s.resource, !r.negated else { return false }
        return r.value.values.contains { $0.trimmingCharacters(in: .whitespaces) == "*" }
    }

    /// Prowler's `check_full_service_access`: an `Allow` on `Resource: "*"` names every action of the service
    /// (`kms:*`, `*`, or a `NotAction` that leaves the service in), and no `Deny` names any of them, whatever its
    /// resource or condition (full access means all of it, always).
    static func allowsFullService(_ doc: PolicyDocument, _ service: String) -> Bool {
        let target = "\(service):*"
        guard doc.statements.contains(where: { $0.effect == .allow && listsEveryResource($0) && namesAll($0, target) }) else { return false }
        return !doc.statements.contains { $0.effect == .deny && namesSome($0, target) }
    }

    /// How a document grants administrative access, in words, or nil: CIS 1.16's `"Action": "*"` on
    /// `"Resource": "*"`, or, as prowler's `check_admin_access` also counts, `Allow` statements on every resource
    /// that all use `NotAction` (everything but a few services). Like prowler, a `NotAction` beside an ordinary
    /// `Allow` on every resource (AWS's `PowerUserAccess`) does not count.
    static func administrativeGrant(_ doc: PolicyDocument) -> String? {
        if isAdministrator(doc) { return "`*:*` (every action on every resource)" }
        let broad = doc.statements.filter { $0.effect == .allow && onEveryResource($0) && $0.action != nil }
        guard !broad.isEmpty, broad.allSatisfy({ $0.action?.negated == true }) else { return nil }
        let excluded = broad.flatMap { $0.action?.value.values ?? [] }
        return "every action except " + excluded.map { "`\($0)`" }.joined(separator: ", ") + " on every resource"
    }

    /// Whether an `Allow` names some action of a service, as the access advisor lists a service as granted:
    /// resources, conditions and `Deny` statements do not remove it.
    static func grantsService(_ doc: PolicyDocument, _ service: String) -> Bool {
        doc.statements.contains { s in
            guard s.effect == .allow, let a = s.action else { return false }
            let parts = a.value.values.compactMap(split)
            if a.negated { return !parts.contains { matches($0.service, service) && $0.action == "*" } }
            return parts.contains { matches($0.service, service) }
        }
    }

    /// Whether any of the documents grants some action of a service (documents that do not parse grant nothing).
    static func grantsService(_ documents: [String], _ service: String) -> Bool {
        documents.contains { text in
            (try? PolicyDocument.parse(text, kind: .identity)).map { grantsService($0, service) } ?? false
        }
    }

    /// Whether any `Allow` reaches a service outside `services` (a `NotAction`, `*`, or another service's action),
    /// as prowler's `iam_user_with_temporary_credentials` reads policies.
    static func grantsBeyond(_ documents: [String], _ services: Set<String>) -> Bool {
        documents.contains { text in
            guard let doc = try? PolicyDocument.parse(text, kind: .identity) else { return false }
            return doc.statements.contains { s in
                guard s.effect == .allow, let a = s.action else { return false }
                if a.negated { return true }
                return a.value.values.contains { action in
                    let service = action.split(separator: ":", maxSplits: 1).first.map { $0.lowercased() } ?? action
                    return !services.contains(service)
                }
            }
        }
    }
}
