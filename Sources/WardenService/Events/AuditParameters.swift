import Foundation
import WardenWire

/// `requestParameters` and `responseElements` in CloudTrail's camelCase JSON, with every secret replaced.
enum AuditParameters {
    /// What CloudTrail writes in place of a secret.
    static let hidden: WireJSON = "HIDDEN_DUE_TO_SECURITY_REASONS"

    /// Members that carry secrets (compared lowercased): passwords, secret keys, session tokens, MFA seeds and
    /// codes, private keys, service-specific passwords, identity tokens and assertions.
    static let secretMembers: Set<String> = [
        "password", "newpassword", "oldpassword", "secretaccesskey", "sessiontoken", "base32stringseed", "qrcodepng",
        "authenticationcode1", "authenticationcode2", "tokencode", "privatekey", "servicepassword", "samlassertion",
        "webidentitytoken", "servicecredentialsecret",
    ]

    /// The request's members. Query keys (`Tags.member.1.Key`) become nested JSON (`tags: [{key}]`).
    static func request(_ input: APIInput) -> WireJSON {
        switch input {
        case .query(let params):
            let pairs = params.pairs.filter { $0.key != "Action" && $0.key != "Version" && !$0.key.hasPrefix("X-Amz-") }
                .sorted { $0.key < $1.key }
            if pairs.isEmpty { return .null }
            if !pairs.contains(where: { $0.key.utf8.contains(UInt8(ascii: ".")) }) {
                // Only scalar members (the common case, `UserName=…`): no tree to build.
                return .object(pairs.map { p in
                    WireJSON.Member(lowerFirst(p.key), secretMembers.contains(p.key.lowercased()) ? hidden : .string(p.value))
                })
            }
            var root = Node()
            for (key, value) in pairs { root.insert(key.split(separator: ".").map(String.init)[...], value) }
            let json = root.json()
            if case .object(let m) = json, m.isEmpty { return .null }
            return redact(json)
        case .json(let body):
            if case .object(let m) = body, m.isEmpty { return .null }
            return redact(camel(body))
        case .rest(let r):
            // S3's form: the bucket and key from the path, the query's members as given.
            let parts = r.path.split(separator: "/", maxSplits: 1).map(String.init)
            var m: [WireJSON.Member] = []
            if let bucket = parts.first { m.append(.init("bucketName", .string(bucket))) }
            if parts.count > 1 { m.append(.init("key", .string(parts[1]))) }
            for (k, v) in r.query.pairs.sorted(by: { $0.key < $1.key }) where !k.hasPrefix("X-Amz-") { m.append(.init(k, .string(v))) }
            return .object(m)
        case .restJSON(let b):
            // The members bound to the path and query string, then the body's (CloudTrail names them all alike).
            var m: [WireJSON.Member] = b.labels.sorted { $0.key < $1.key }.map { .init($0.key, .string($0.value)) }
            for (k, v) in b.query.sorted(by: { $0.key < $1.key }) where !k.hasPrefix("X-Amz-") {
                m.append(.init(k, v.count == 1 ? .string(v[0]) : .array(v.map { .string($0) })))
            }
            if case .object(let body) = b.body { m += body }
            return m.isEmpty ? .null : redact(camel(.object(m)))
        }
    }

    /// The response's members, as the service returned them.
    static func response(_ output: APIOutput) -> WireJSON {
        switch output {
        case .empty, .raw: return .null
        case .json(let o): return redact(camel(o.encodeJSON()))
        case .xml(let o):
            var w = XMLWriter()
            w.open("R")
            o.encodeXML(to: &w)
            w.close("R")
            guard let root = try? XMLDocumentParser.parse(w.string) else { return .null }
            let json = element(root)
            if case .string = json { return .null }
            return redact(json)
        }
    }

    /// An XML element as JSON: lists (`member` children) as arrays, maps (`entry` children) as objects.
    static func element(_ e: XElement) -> WireJSON {
        let children = e.elements
        if children.isEmpty {
            let text = e.children.compactMap { if case .text(let t) = $0 { t } else { nil } }.joined()
            return .string(text)
        }
        if children.allSatisfy({ $0.local == "member" }) { return .array(children.map(element)) }
        if children.allSatisfy({ $0.local == "entry" }) {
            return .object(children.compactMap { entry in
                guard let k = entry.elements.first(where: { $0.local == "key" }) else { return nil }
                let v = entry.elements.first(where: { $0.local == "value" }).map(element) ?? .null
                return WireJSON.Member(k.children.compactMap { if case .text(let t) = $0 { t } else { nil } }.joined(), v)
            })
        }
        return .object(children.map { WireJSON.Member(lowerFirst($0.local), element($0)) })
    }

    /// Keys with a lowercase first letter, as CloudTrail prints members.
    static func camel(_ json: WireJSON) -> WireJSON {
        switch json {
        case .object(let m): .object(m.map { WireJSON.Member(lowerFirst($0.key), camel($0.value)) })
        case .array(let a): .array(a.map(camel))
        default: json
        }
    }

    /// Replaces every secret member's value.
    static func redact(_ json: WireJSON) -> WireJSON {
        switch json {
        case .object(let m):
            .object(m.map { secretMembers.contains($0.key.lowercased()) ? WireJSON.Member($0.key, hidden) : WireJSON.Member($0.key, redact($0.value)) })
        case .array(let a): .array(a.map(redact))
        default: json
        }
    }

    static func lowerFirst(_ s: String) -> String {
        guard let f = s.utf8.first else { return s }
        if f >= UInt8(ascii: "A") && f <= UInt8(ascii: "Z") {
            var bytes = Array(s.utf8)
            bytes[0] = f + 32
            return String(decoding: bytes, as: UTF8.self)
        }
        if f < 0x80 { return s }
        return s.prefix(1).lowercased() + s.dropFirst()
    }

    /// A tree of flattened Query keys.
    struct Node {
        var value: String?
        var children: [(key: String, node: Node)] = []

        mutating func insert(_ path: ArraySlice<String>, _ v: String) {
            guard let head = path.first else { value = v; return }
            if let i = children.firstIndex(where: { $0.key == head }) {
                children[i].node.insert(path.dropFirst(), v)
            } else {
                var n = Node()
                n.insert(path.dropFirst(), v)
                children.append((head, n))
            }
        }

        func json() -> WireJSON {
            if children.isEmpty { return value.map(WireJSON.string) ?? .null }
            // `member.N` is a list and `entry.N.key/value` a map; a key of only digits is a position.
            if children.count == 1, children[0].key == "member" || children[0].key == "entry" {
                let items = children[0].node.children.sorted { (Int($0.key) ?? 0) < (Int($1.key) ?? 0) }
                if children[0].key == "entry" {
                    return .object(items.compactMap { item in
                        guard let k = item.node.children.first(where: { $0.key == "key" })?.node.value else { return nil }
                        return WireJSON.Member(k, item.node.children.first(where: { $0.key == "value" })?.node.json() ?? .null)
                    })
                }
                return .array(items.map { $0.node.json() })
            }
            if children.allSatisfy({ Int($0.key) != nil }) {
                return .array(children.sorted { Int($0.key)! < Int($1.key)! }.map { $0.node.json() })
            }
            return .object(children.map { WireJSON.Member(AuditParameters.lowerFirst($0.key), $0.node.json()) })
        }
    }
}
