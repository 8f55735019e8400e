import Foundation
import WardenCore
import WardenPolicy
import WardenStore
import WardenWire

/// The policy simulator: the same engine that authorizes requests, run on the policies of a principal (or on
/// policies given inline) for a list of actions and resources.
extension WardenService {
    /// A policy with the simulator's source description.
    struct SimPolicy {
        var compiled: CompiledPolicy
        var sourceID: String
        var sourceType: IAM.PolicySourceType
        /// The document as written, for the positions of matched statements.
        var text: String
    }

    static func registerSimulation(_ r: inout Registry) {
        r.on(.iam, "SimulatePrincipalPolicy", authorize: .resource { i, _ in i.policySourceArn }) {
            (i: IAM.SimulatePrincipalPolicyRequest, call) -> IAM.SimulatePolicyResponse in
            let state = try call.state()
            var (identity, boundary, principalARN) = try principalPolicies(i.policySourceArn, state, call.service)
            identity += try inputPolicies(i.policyInputList ?? [], kind: .identity, type: .none)
            if let b = i.permissionsBoundaryPolicyInputList, !b.isEmpty { boundary = try inputPolicies(b, kind: .boundary, type: .none) }
            return try simulate(call, identity: identity, boundary: boundary, caller: i.callerArn ?? principalARN,
                                actions: i.actionNames, resources: i.resourceArns, resourcePolicy: i.resourcePolicy,
                                resourceOwner: i.resourceOwner, context: i.contextEntries, marker: i.marker, maxItems: i.maxItems)
        }

        r.on(.iam, "SimulateCustomPolicy", authorize: .anyResource) { (i: IAM.SimulateCustomPolicyRequest, call) -> IAM.SimulatePolicyResponse in
            let identity = try inputPolicies(i.policyInputList, kind: .identity, type: .none)
            let boundary = try i.permissionsBoundaryPolicyInputList.map { try inputPolicies($0, kind: .boundary, type: .none) }
            // With a resource policy the simulation needs a caller to match its Principal element (AWS requires it).
            if i.resourcePolicy != nil && i.callerArn == nil {
                throw ServiceError.invalidInput("CallerArn must be specified when ResourcePolicy is specified.")
            }
            let caller = i.callerArn ?? "arn:aws:iam::\(call.account):user/simulated-caller"
            return try simulate(call, identity: identity, boundary: boundary?.isEmpty == false ? boundary : nil, caller: caller,
                                callerKnown: i.callerArn != nil,
                                actions: i.actionNames, resources: i.resourceArns, resourcePolicy: i.resourcePolicy,
                                resourceOwner: i.resourceOwner, context: i.contextEntries, marker: i.marker, maxItems: i.maxItems)
        }

        r.on(.iam, "GetContextKeysForPrincipalPolicy", authorize: .resource { i, _ in i.policySourceArn }) {
            (i: IAM.GetContextKeysForPrincipalPolicyRequest, call) -> IAM.GetContextKeysForPolicyResponse in
            let (identity, boundary, _) = try principalPolicies(i.policySourceArn, try call.state(), call.service)
            let extra = try inputPolicies(i.policyInputList ?? [], kind: .identity, type: .none)
            return IAM.GetContextKeysForPolicyResponse(contextKeyNames: contextKeys(identity + (boundary ?? []) + extra))
        }

        r.on(.iam, "GetContextKeysForCustomPolicy", authorize: .anyResource) { (i: IAM.GetContextKeysForCustomPolicyRequest, call) -> IAM.GetContextKeysForPolicyResponse in
            return IAM.GetContextKeysForPolicyResponse(contextKeyNames: contextKeys(try inputPolicies(i.policyInputList, kind: .identity, type: .none)))
        }
    }

    static func contextKeys(_ policies: [SimPolicy]) -> [String] {
        var seen = Set<String>()
        return policies.flatMap { $0.compiled.document.conditionKeys }.filter { seen.insert($0.lowercased()).inserted }.sorted()
    }

    /// Policies given as JSON text in the request (`PolicyInputList`): `MalformedPolicyDocument` when invalid.
    static func inputPolicies(_ texts: [String], kind: PolicyKind, type: IAM.PolicySourceType) throws -> [SimPolicy] {
        try texts.enumerated().map { n, text in
            let doc = try PolicyDocuments.validate(text, kind: kind)
            let id = (kind == .boundary ? "PermissionsBoundaryPolicyInputList." : "PolicyInputList.") + "\(n + 1)"
            return SimPolicy(compiled: CompiledPolicy(doc, id: id), sourceID: id, sourceType: type, text: text)
        }
    }

    /// The identity policies and boundary of a user (with its groups), group or role, by ARN.
    static func principalPolicies(_ arn: String, _ state: AccountState, _ service: WardenService) throws
        -> (identity: [SimPolicy], boundary: [SimPolicy]?, principalARN: String) {
        guard let parts = ARN.parse(arn), parts.account == state.account.id, let pn = ARN.pathAndName(ofResource: parts.resource) else {
            throw ServiceError.invalidInput("Invalid ARN: \(arn).")
        }
        var identity: [SimPolicy] = []
        func add(_ doc: String, _ id: String, _ type: IAM.PolicySourceType) {
            if let d = try? PolicyDocument.parse(doc, kind: .identity) {
                identity.append(SimPolicy(compiled: CompiledPolicy(d, id: id), sourceID: id, sourceType: type, text: doc))
            }
        }
        func addManaged(_ arns: [String]) {
            for a in arns {
                if let aws = service.managedPolicies.policy(a) { add(aws.document, a, .awsManaged) }
                else if let p = try? state.customerPolicy(a) { add(p.defaultDocument, a, .userManaged) }
            }
        }
        func addGroup(_ g: GroupRecord) {
            for p in g.inlinePolicies { add(p.document, p.name, .group) }
            addManaged(g.attachedPolicies)
        }
        var boundaryARN: String?
        switch pn.type {
        case "user":
            let u = try state.user(pn.name)
            for p in u.inlinePolicies { add(p.document, p.name, .user) }
            addManaged(u.attachedPolicies)
            for g in u.groups { if let g = state.groups[g.lowercased()] { addGroup(g) } }
            boundaryARN = u.permissionsBoundary
        case "group":
            addGroup(try state.group(pn.name))
        case "role":
            let r = try state.role(pn.name)
            for p in r.inlinePolicies { add(p.document, p.name, .role) }
            addManaged(r.attachedPolicies)
            boundaryARN = r.permissionsBoundary
        default:
            throw ServiceError.invalidInput("Invalid ARN: \(arn). The policy source must be a user, group or role.")
        }
        var boundary: [SimPolicy]?
        if let b = boundaryARN, let doc = PolicySources.managedDocument(b, state, service), let d = try? PolicyDocument.parse(doc, kind: .boundary) {
            boundary = [SimPolicy(compiled: CompiledPolicy(d, id: b), sourceID: b,
                                  sourceType: service.managedPolicies.policy(b) != nil ? .awsManaged : .userManaged, text: doc)]
        }
        return (identity, boundary, arn)
    }

    /// The principal keys of a simulated caller (`aws:username`, `aws:userid`, `aws:PrincipalArn`, …) when it names
    /// an entity of the account.
    static func callerKeys(_ arn: String, call: Call) -> [String: String] {
        guard let parts = ARN.parse(arn), let pn = ARN.pathAndName(ofResource: parts.resource) else { return [:] }
        var keys = ["aws:PrincipalArn": arn, "aws:PrincipalAccount": parts.account]
        let state = parts.account == call.account ? try? call.state() : nil
        switch pn.type {
        case "user":
            keys["aws:username"] = pn.name
            keys["aws:PrincipalType"] = "User"
            if let u = state?.users[pn.name.lowercased()] {
                keys["aws:userid"] = u.id
                for t in u.tags { keys["aws:PrincipalTag/\(t.key)"] = t.value }
            }
        case "role":
            keys["aws:PrincipalType"] = "AssumedRole"
            if let r = state?.roles[pn.name.lowercased()] {
                keys["aws:userid"] = r.id + ":simulated-session"
                for t in r.tags { keys["aws:PrincipalTag/\(t.key)"] = t.value }
            }
        default: break
        }
        return keys
    }

    /// `InvalidInput` when a context entry's values do not have its declared type.
    static func checkContextValues(_ key: String, _ values: [String], _ type: IAM.ContextKeyTypeEnum) throws {
        let base = type.rawValue.replacingOccurrences(of: "List", with: "")
        for v in values {
            let ok: Bool = switch base {
            case "numeric": Double(v) != nil
            case "boolean": v.lowercased() == "true" || v.lowercased() == "false"
            case "date": ContextValueCheck.isDate(v)
            case "ip": ContextValueCheck.isIP(v)
            default: true
            }
            if !ok { throw ServiceError.invalidInput("The context entry \(key) has the value \(v), which is not of type \(type.rawValue).") }
        }
    }

    /// `callerKnown` is false for SimulateCustomPolicy without a CallerArn: then no principal keys are assumed and
    /// conditions on them report the keys as missing, as AWS does.
    static func simulate(_ call: Call, identity: [SimPolicy], boundary: [SimPolicy]?, caller: String, callerKnown: Bool = true,
                         actions: [String], resources: [String]?, resourcePolicy: String?, resourceOwner: String?,
                         context entries: [IAM.ContextEntry]?, marker: String?, maxItems: Int?) throws -> IAM.SimulatePolicyResponse {
        var context = RequestContext()
        // The caller's own keys, as the server sets them on real requests; ContextEntries may override them.
        if callerKnown { for (key, value) in callerKeys(caller, call: call) { context.set(key, .string(value)) } }
        for e in entries ?? [] {
            guard let key = e.contextKeyName else { continue }
            let values = e.contextKeyValues ?? []
            if let type = e.contextKeyType { try checkContextValues(key, values, type) }
            let isList = e.contextKeyType?.rawValue.hasSuffix("List") ?? (values.count > 1)
            context.set(key, isList ? .strings(values) : .string(values.first ?? ""))
        }
        var resourceCompiled: SimPolicy?
        if let rp = resourcePolicy {
            let doc = try PolicyDocuments.validate(rp, kind: .resource)
            resourceCompiled = SimPolicy(compiled: CompiledPolicy(doc, id: "ResourcePolicy"), sourceID: "ResourcePolicy", sourceType: .resource, text: rp)
        }
        let all = identity + (boundary ?? []) + (resourceCompiled.map { [$0] } ?? [])
        var ranges: [String: [(start: StatementLocator.Position, end: StatementLocator.Position)]] = [:]
        for p in all where ranges[p.compiled.id] == nil { ranges[p.compiled.id] = StatementLocator.ranges(in: p.text) ?? [] }
        let byID = Dictionary((identity + (boundary ?? []) + (resourceCompiled.map { [$0] } ?? [])).map { ($0.compiled.id, $0) }, uniquingKeysWith: { a, _ in a })
        let set = PolicySet(identity: identity.map(\.compiled), boundary: boundary.map { $0.map(\.compiled) }, resource: resourceCompiled?.compiled)
        let owner = resourceOwner.flatMap { ARN.parse($0)?.account ?? (Identifiers.isAccountID($0) ? $0 : nil) }
        var results: [IAM.EvaluationResult] = []
        for action in actions {
            for resource in resources ?? ["*"] {
                let request = AuthorizationRequest(principal: RequestPrincipal(arn: caller), action: action, resource: resource,
                                                   resourceAccount: owner ?? call.account, context: context)
                let d = WardenPolicy.Authorizer.evaluate(request, policies: set)
                let decision: IAM.PolicyEvaluationDecisionType = switch d.effect {
                case .allowed: .allowed
                case .explicitDeny: .explicitDeny
                case .implicitDeny: .implicitDeny
                }
                let matched = d.matchedStatements.map { m in
                    let range = ranges[m.policyID].flatMap { m.index < $0.count ? $0[m.index] : nil }
                    return IAM.Statement(sourcePolicyId: byID[m.policyID]?.sourceID ?? m.policyID, sourcePolicyType: byID[m.policyID]?.sourceType ?? .none,
                                         startPosition: range.map { IAM.Position(line: $0.start.line, column: $0.start.column) },
                                         endPosition: range.map { IAM.Position(line: $0.end.line, column: $0.end.column) })
                }
                var boundaryDetail: IAM.PermissionsBoundaryDecisionDetail?
                if let boundary {
                    let b = WardenPolicy.Authorizer.evaluate(request, policies: PolicySet(identity: boundary.map(\.compiled)))
                    boundaryDetail = IAM.PermissionsBoundaryDecisionDetail(allowedByPermissionsBoundary: b.effect == .allowed)
                }
                var details: [String: IAM.PolicyEvaluationDecisionType]?
                if resourceCompiled != nil {
                    let idOnly = WardenPolicy.Authorizer.evaluate(request, policies: PolicySet(identity: identity.map(\.compiled)))
                    let resOnly = WardenPolicy.Authorizer.evaluate(request, policies: PolicySet(resource: resourceCompiled?.compiled))
                    func name(_ e: Decision.Effect) -> IAM.PolicyEvaluationDecisionType { e == .allowed ? .allowed : e == .explicitDeny ? .explicitDeny : .implicitDeny }
                    details = ["IAM Policy": name(idOnly.effect), "Resource Policy": name(resOnly.effect)]
                }
                results.append(IAM.EvaluationResult(
                    evalActionName: action, evalResourceName: resource, evalDecision: decision, matchedStatements: matched,
                    missingContextValues: d.missingContextKeys, permissionsBoundaryDecisionDetail: boundaryDetail, evalDecisionDetails: details))
            }
        }
        let keyed = results.enumerated().map { (String(format: "%08d", $0.offset), $0.element) }
        let page = try Page(keyed, key: { $0.0 }, marker: marker, maxItems: maxItems)
        return IAM.SimulatePolicyResponse(evaluationResults: page.items.map(\.1), isTruncated: page.isTruncated, marker: page.marker)
    }
}
