import WardenWire

/// One page of a paginated list (`ListAlerts`, `ListRemediations`): the items and the token of the next page.
public struct ListPage<Item: WireJSONDecodable & Equatable>: Sendable, Equatable {
    /// The items of this page.
    public var items: [Item]
    /// The token of the next page; nil on the last page.
    public var nextToken: String?

    /// Creates a page.
    public init(items: [Item], nextToken: String?) {
        self.items = items
        self.nextToken = nextToken
    }

    /// Decodes a page whose items are under `member` (`Alerts`, `Remediations`).
    public init(wireJSON json: WireJSON, member: String, shape: String) throws(WardenClientError) {
        let r = try ShapeReader(json, shape: shape)
        self.init(items: try r.list(member, of: Item.self, required: true), nextToken: try r.optionalString("NextToken").flatMap(nonEmpty))
    }
}
