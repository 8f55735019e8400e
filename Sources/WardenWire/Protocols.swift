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
