import Foundation
import WardenCore
import WardenWire

/// The details of an authorization decision, in the shape of AWS's decoded authorization messages
/// (`{"allowed":false,"explicitDeny":…,"matchedStatements":{"items":[…]},"failures":{"items":[…]},"context":{…}}`).
/// Warden seals them with the SecretBox, bound to the account, so only that account's principals with
/// `sts:DecodeAuthorizationMessage` can read them.
public struct AuthorizationMessage: Codable, Sendable, Equatable {
    /// A list wrapper as AWS writes it: `{"items": [...]}`.
    public struct Items<T: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
        public var items: [T]
        public init(_ items: [T]) { self.items = items }
    }
    /// A policy statement that matched the request.
    public struct Statement: Codable, Sendable, Equatable {
        public var statementId: String?
        public var effect: String
        public var principals: Items<String>
        public var principalGroups: Items<String>
        public var actions: Items<String>
        public var resources: Items<String>
        public var conditions: Items<String>
        public init(statementId: String?, effect: String, principals: [String] = [], actions: [String] = [], resources: [String] = [], conditions: [String] = []) {
            self.statementId = statementId; self.effect = effect; self.principals = Items(principals); self.principalGroups = Items([])
            self.actions = Items(actions); self.resources = Items(resources); self.conditions = Items(conditions)
        }
    }
    /// The caller.
    public struct PrincipalInfo: Codable, Sendable, Equatable {
        public var id: String
        public var name: String?
        public var arn: String
        public init(id: String, name: String?, arn: String) { self.id = id; self.name = name; self.arn = arn }
    }
    /// One condition key of the request context with its values.
    public struct Condition: Codable, Sendable, Equatable {
        public struct Value: Codable, Sendable, Equatable { public var value: String }
        public var key: String
        public var values: Items<Value>
        public init(key: String, values: [String]) { self.key = key; self.values = Items(values.map { Value(value: $0) }) }
    }
    /// The request the decision was about.
    public struct Context: Codable, Sendable, Equatable {
        public var principal: PrincipalInfo
        public var action: String
        public var resource: String
        public var conditions: Items<Condition>
        public init(principal: PrincipalInfo, action: String, resource: String, conditions: [Condition]) {
            self.principal = principal; self.action = action; self.resource = resource; self.conditions = Items(conditions)
        }
    }

    public var allowed: Bool
    public var explicitDeny: Bool
    public var matchedStatements: Items<Statement>
    public var failures: Items<String>
    public var context: Context

    public init(allowed: Bool, explicitDeny: Bool, matchedStatements: [Statement], failures: [String], context: Context) {
        self.allowed = allowed; self.explicitDeny = explicitDeny; self.matchedStatements = Items(matchedStatements)
        self.failures = Items(failures); self.context = context
    }
}

extension WardenService {
    static let authorizationMessageContext = "authorization-message"

    /// Encodes an authorization message for an account, for the `Encoded authorization failure message:` part of
    /// an AccessDenied answer (where AWS includes one; AssumeRole denials do not). Opaque to the caller.
    public func encodeAuthorizationMessage(_ message: AuthorizationMessage, account: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(message)) ?? Data("{}".utf8)
        let sealed = secrets.seal(Array(json), context: "\(Self.authorizationMessageContext):\(account)")
        return JWT.base64URLEncode(sealed)
    }

    /// Opens an encoded message of `account`; nil for anything else (foreign, altered, or not a message).
    func decodeAuthorizationMessage(_ encoded: String, account: String) -> String? {
        guard let bytes = JWT.base64URLDecode(encoded.trimmingCharacters(in: .whitespacesAndNewlines)),
              let json = try? secrets.open(bytes, context: "\(Self.authorizationMessageContext):\(account)"),
              (try? JSONDecoder().decode(AuthorizationMessage.self, from: Data(json))) != nil else { return nil }
        return String(decoding: json, as: UTF8.self)
    }

    static func registerSTSDecodeAuthorizationMessage(_ r: inout Registry) {
        r.on(.sts, "DecodeAuthorizationMessage", authorize: .anyResource) { (i: STS.DecodeAuthorizationMessageRequest, call) -> STS.DecodeAuthorizationMessageResponse in
            guard let decoded = call.service.decodeAuthorizationMessage(i.encodedMessage, account: call.account) else {
                throw ServiceError(.invalidAuthorizationMessage, "Invalid authorization message")
            }
            return STS.DecodeAuthorizationMessageResponse(decodedMessage: decoded)
        }
    }
}
