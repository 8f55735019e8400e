import Foundation
import WardenCore
import WardenStore

/// The IAM users and roles a trust policy names as `AWS` principals, kept as AWS keeps them: when one is deleted
/// the policy names its unique id instead, so that a new user or role created under the same name is not trusted.
///
/// AWS also refuses a trust policy that names a principal that does not exist (`Invalid principal in policy`);
/// Warden accepts it, because the shared acceptance suite relies on creating a role that trusts a user who does
/// not exist. Such a policy then trusts whoever is later created under that ARN.
enum TrustPrincipals {
    /// The `AWS` principal values of every statement (Principal and NotPrincipal), with a way to rewrite them.
    private static func awsPrincipals(_ document: String) -> (root: [String: Any], values: [String])? {
        guard let root = try? JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any] else { return nil }
        var values: [String] = []
        forEachPrincipal(in: root) { values.append($0); return nil }
        return (root, values)
    }

    /// Calls `visit` on each `AWS` principal string; a non-nil result replaces it. Returns the rewritten document.
    @discardableResult
    private static func forEachPrincipal(in root: [String: Any], _ visit: (String) -> String?) -> [String: Any] {
        var root = root
        func fix(_ statement: [String: Any]) -> [String: Any] {
            var statement = statement
            for element in ["Principal", "NotPrincipal"] {
                guard var principal = statement[element] as? [String: Any], let aws = principal["AWS"] else { continue }
                if let one = aws as? String {
                    principal["AWS"] = visit(one) ?? one
                } else if let many = aws as? [Any] {
                    principal["AWS"] = many.map { v in (v as? String).map { visit($0) ?? $0 } ?? v }
                }
                statement[element] = principal
            }
            return statement
        }
        if let list = root["Statement"] as? [Any] {
            root["Statement"] = list.map { ($0 as? [String: Any]).map(fix) ?? $0 }
        } else if let one = root["Statement"] as? [String: Any] {
            root["Statement"] = fix(one)
        }
        return root
    }

    /// After a user or role is deleted: every trust policy in `state` that names `arn` names `uniqueID` instead.
    static func forget(_ arn: String, uniqueID: String, in state: inout AccountState) {
        for var role in state.roles.values where role.assumeRolePolicy.contains(arn) {
            guard let (root, values) = awsPrincipals(role.assumeRolePolicy), values.contains(arn) else { continue }
            let rewritten = forEachPrincipal(in: root) { $0 == arn ? uniqueID : nil }
            guard let data = try? JSONSerialization.data(withJSONObject: rewritten, options: [.sortedKeys, .withoutEscapingSlashes]),
                  let text = String(data: data, encoding: .utf8) else { continue }
            role.assumeRolePolicy = text
            state.roles[role.name.lowercased()] = role
        }
    }

    /// The same in every other account on this server whose trust policies name `arn` (cross-account trust), each
    /// in its own transaction.
    static func forgetElsewhere(_ arn: String, uniqueID: String, deletedIn account: String, service: WardenService) {
        for (id, state) in service.store.snapshot().accounts where id != account {
            guard state.roles.values.contains(where: { $0.assumeRolePolicy.contains(arn) }) else { continue }
            try? service.store.write(account: id) { forget(arn, uniqueID: uniqueID, in: &$0) }
        }
    }
}
