// TEMPORARY (not committed): lets the service compile until WardenPolicy lands.
import Foundation
enum PolicyKind { case identity, resource, trust, boundary, session }
struct PolicyDocument {
    struct Err: Error { var message: String }
    static func parse(_ json: String, kind: PolicyKind) throws -> PolicyDocument {
        guard let o = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { throw Err(message: "Syntax errors in policy.") }
        let sts = (o["Statement"] as? [[String: Any]]) ?? ((o["Statement"] as? [String: Any]).map { [$0] } ?? [])
        if sts.isEmpty { throw Err(message: "Syntax errors in policy.") }
        for s in sts {
            guard let e = s["Effect"] as? String, e == "Allow" || e == "Deny" else { throw Err(message: "Syntax errors in policy.") }
            if kind == .identity && s["Principal"] != nil { throw Err(message: "Policy document should not specify a principal.") }
            if kind == .trust && s["Principal"] == nil { throw Err(message: "Missing required field Principal") }
        }
        return PolicyDocument()
    }
}
