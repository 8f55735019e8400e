/// A request shape that can be read from flattened AWS Query parameters.
public protocol QueryDecodable: Sendable {
    /// Decodes and validates the shape; every constraint violation is collected into one failure.
    init(from query: QueryParameters) throws(ValidationFailure)
}

/// A response shape that can write its members as AWS Query XML.
public protocol XMLEncodable: Sendable {
    /// Writes the members (not the wrapping element) in model order, skipping absent ones.
    func encodeXML(to writer: inout XMLWriter)
}

/// A request shape that can be read from a JSON body (JSON 1.1 and REST-JSON).
public protocol JSONDecodable: Sendable {
    /// Decodes and validates the shape from a parsed body whose members carry the model's wire names
    /// (`LookupAttributes`); every violation (missing required member, wrong JSON type, unknown enum value,
    /// length, range, pattern) is collected into one failure.
    init(json: WireJSON) throws(ValidationFailure)
}

/// A response shape that can write itself as JSON (JSON 1.1 and REST-JSON bodies).
public protocol JSONEncodable: Sendable {
    /// The shape as a JSON object with its members' wire names, in model order, absent members omitted.
    func encodeJSON() -> WireJSON
}

/// The input shape of a REST-JSON operation: members bound to the URI path, the query string and headers, and
/// the rest read from the JSON body.
public protocol HTTPBindingDecodable: Sendable {
    /// Decodes and validates the shape from the request's bound values and body, collecting every violation.
    init(http: HTTPBindings) throws(ValidationFailure)
}
