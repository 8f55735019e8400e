/// The parts of a REST request that input members bind to: URI labels, query parameters, headers, and the body.
///
/// The server fills it from the HTTP request and the route (`RESTRouter.Match.labels`); generated
/// `HTTPBindingDecodable` conformances read each bound member from its place, typed by the member's shape.
public struct HTTPBindings: Sendable, Equatable {
    /// URI labels by name (`analyzerName`), percent-decoded.
    public var labels: [String: String]
    /// Query parameters by name, every value in order, percent-decoded.
    public var query: [String: [String]]
    /// Headers by lower-cased name.
    public var headers: [String: String]
    /// The parsed JSON body (`{}` when the request has none).
    public var body: WireJSON

    /// Creates bindings; header names are lower-cased.
    public init(labels: [String: String] = [:], query: [String: [String]] = [:], headers: [String: String] = [:],
                body: WireJSON = .object([])) {
        self.labels = labels
        self.query = query
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
        self.body = body
    }

    // The accessors are named after the model's `location` values (uri, querystring, header).

    /// How a bound text value is typed for the shape reader.
    enum TextType {
        case string, integer, boolean, double, timestamp
    }

    /// `text` as the JSON value the shape reader expects; text that does not parse stays a string, so that the
    /// reader reports it as a value of the wrong type.
    static func typed(_ text: String, _ type: TextType) -> WireJSON {
        switch type {
        case .string, .timestamp: return .string(text)
        case .integer: return Int(text).map(WireJSON.int) ?? .string(text)
        case .double: return Double(text).map(WireJSON.double) ?? .string(text)
        case .boolean:
            switch text {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return .string(text)
            }
        }
    }

    /// A URI label.
    func uri(_ name: String, _ type: TextType) -> WireJSON? {
        labels[name].map { Self.typed($0, type) }
    }

    /// A query parameter bound to a scalar member (the last value when repeated).
    func querystring(_ name: String, _ type: TextType) -> WireJSON? {
        query[name]?.last.map { Self.typed($0, type) }
    }

    /// A query parameter bound to a list member (every value).
    func querystringList(_ name: String, _ type: TextType) -> WireJSON? {
        query[name].map { .array($0.map { Self.typed($0, type) }) }
    }

    /// A header bound to a scalar member.
    func header(_ name: String, _ type: TextType) -> WireJSON? {
        headers[name.lowercased()].map { Self.typed($0, type) }
    }
}
