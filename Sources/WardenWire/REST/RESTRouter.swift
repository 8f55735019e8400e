/// Routes REST requests (rest-json, rest-xml) to operations by HTTP method and the models' URI templates
/// (`OperationDescriptor.requestURI`: `/analyzer/{analyzerName}/archive-rule/{ruleName}`, `/{Bucket}/{Key+}?uploads`).
///
/// Labels match one whole path segment (`{name}`) or, greedily, the rest of the path (`{name+}`); a template's
/// query part names parameters that must be present (`?uploads`, `?list-type=2`). When several templates match,
/// the one with more literal segments wins, then the one with more required query parameters.
public struct RESTRouter: Sendable {
    /// A matched operation and its URI labels, percent-decoded.
    public struct Match: Sendable, Equatable {
        /// The operation.
        public let operation: OperationDescriptor
        /// The labels by name (`analyzerName`).
        public let labels: [String: String]
    }

    private let routes: [Route]

    /// Builds the routes of a service's operations.
    public init(operations: [String: OperationDescriptor]) {
        routes = operations.values.map(Route.init).sorted { a, b in
            if a.literals != b.literals { return a.literals > b.literals }
            if a.query.count != b.query.count { return a.query.count > b.query.count }
            if a.greedy != b.greedy { return !a.greedy }
            return a.operation.name < b.operation.name
        }
    }

    /// The operation for a request: `path` as sent (percent-encoded, without the query string), `query` the
    /// decoded query parameters. Nil when no template matches.
    public func match(method: String, path: String, query: [String: [String]] = [:]) -> Match? {
        let segments = Route.split(path)
        for route in routes where route.method == method {
            if let labels = route.match(segments, query) { return Match(operation: route.operation, labels: labels) }
        }
        return nil
    }
}

/// One parsed URI template.
private struct Route: Sendable {
    enum Segment: Sendable {
        case literal(String)
        case label(String)
        case greedy(String)
    }

    let operation: OperationDescriptor
    let method: String
    let segments: [Segment]
    let query: [(name: String, value: String?)]
    let literals: Int
    let greedy: Bool

    init(_ operation: OperationDescriptor) {
        self.operation = operation
        method = operation.httpMethod
        let template = operation.requestURI
        let parts = template.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        segments = Route.split(String(parts[0])).map { s in
            guard s.hasPrefix("{"), s.hasSuffix("}"), s.count > 2 else { return .literal(s) }
            let name = s.dropFirst().dropLast()
            return name.hasSuffix("+") ? .greedy(String(name.dropLast())) : .label(String(name))
        }
        if parts.count > 1 {
            query = parts[1].split(separator: "&").map { item in
                let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return (name: String(kv[0]), value: kv.count > 1 ? String(kv[1]) : nil)
            }
        } else {
            query = []
        }
        literals = segments.reduce(0) { n, s in if case .literal = s { n + 1 } else { n } }
        greedy = segments.contains { if case .greedy = $0 { true } else { false } }
    }

    /// The path's segments after the leading slash, still percent-encoded; `/` has none.
    static func split(_ path: String) -> [String] {
        var p = Substring(path)
        if p.hasPrefix("/") { p = p.dropFirst() }
        if p.isEmpty { return [] }
        return p.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    }

    func match(_ path: [String], _ params: [String: [String]]) -> [String: String]? {
        for q in query {
            guard let values = params[q.name] else { return nil }
            if let v = q.value, !values.contains(v) { return nil }
        }
        var labels: [String: String] = [:]
        var i = 0
        for (k, segment) in segments.enumerated() {
            switch segment {
            case .literal(let text):
                guard i < path.count, WireFormat.percentDecode(path[i]) == text else { return nil }
                i += 1
            case .label(let name):
                guard i < path.count, !path[i].isEmpty else { return nil }
                labels[name] = WireFormat.percentDecode(path[i])
                i += 1
            case .greedy(let name):
                // The greedy label takes what the segments after it leave.
                let rest = segments.count - k - 1
                guard path.count - i > rest else { return nil }
                let end = path.count - rest
                labels[name] = path[i..<end].map(WireFormat.percentDecode).joined(separator: "/")
                i = end
            }
        }
        return i == path.count ? labels : nil
    }
}
