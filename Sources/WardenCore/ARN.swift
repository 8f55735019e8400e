/// Builds and takes apart the ARNs IAM and STS use. IAM ARNs have an empty region and include paths.
public enum ARN {
    /// The partition Warden reports.
    public static let partition = "aws"

    /// `arn:aws:iam::ACCOUNT:TYPE/PATH/NAME` with `path` beginning and ending in `/`.
    public static func iam(_ account: String, _ type: String, path: String = "/", name: String) -> String {
        "arn:\(partition):iam::\(account):\(type)\(path)\(name)"
    }

    /// `arn:aws:iam::ACCOUNT:root`.
    public static func root(_ account: String) -> String { "arn:\(partition):iam::\(account):root" }

    /// The session ARN of an assumed role: `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    public static func assumedRole(_ account: String, role: String, session: String) -> String {
        "arn:\(partition):sts::\(account):assumed-role/\(role)/\(session)"
    }

    /// A federated user's ARN: `arn:aws:sts::ACCOUNT:federated-user/NAME`.
    public static func federatedUser(_ account: String, name: String) -> String {
        "arn:\(partition):sts::\(account):federated-user/\(name)"
    }

    /// The parts of an ARN, or nil if it is not one.
    public struct Parts: Sendable, Equatable {
        public var partition: String, service: String, region: String, account: String, resource: String
    }

    /// Splits `arn:partition:service:region:account:resource` (the resource may contain `:`).
    public static func parse(_ arn: String) -> Parts? {
        let fields = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0] == "arn" else { return nil }
        return Parts(partition: String(fields[1]), service: String(fields[2]), region: String(fields[3]),
                     account: String(fields[4]), resource: String(fields[5]))
    }

    /// For an IAM resource such as `user/path/name`, the path (`/path/`) and the name.
    public static func pathAndName(ofResource resource: String) -> (type: String, path: String, name: String)? {
        guard let slash = resource.firstIndex(of: "/") else { return nil }
        let type = String(resource[..<slash])
        let rest = resource[resource.index(after: slash)...]
        guard let lastSlash = rest.lastIndex(of: "/") else { return (type, "/", String(rest)) }
        return (type, "/" + rest[..<lastSlash] + "/", String(rest[rest.index(after: lastSlash)...]))
    }
}
