import WardenPolicy

/// Access Analyzer's custom policy checks, decided by an SMT solver over an encoding of the policy language
/// (in the manner of AWS's Zelkova): a PASS is a proof over every request, not a sample of requests.
///
/// One policy allows a request when one of its Allow statements applies and none of its Deny statements does
/// (AWS's evaluation logic for a single policy). Each check is one or a few satisfiability queries; each query is
/// bounded by `ReasoningLimits.timeoutMilliseconds`, and a query that does not finish throws `.timeout` rather
/// than answering.
public enum ProvableChecks {
    /// The solver's version, e.g. `4.8.12.0`.
    public static var solverVersion: String { Z3Session.version }

    /// FAIL exactly when `new` allows some request that `existing` does not.
    public static func checkNoNewAccess(existing: String, new: String, type: PolicyCheckType,
                                        limits: ReasoningLimits = .default) throws(ReasoningError) -> CheckResult {
        let (result, _) = try noNewAccess(existing: existing, new: new, type: type, limits: limits)
        return result
    }

    /// CheckNoNewAccess with the request the solver found when it fails (nil on PASS).
    public static func noNewAccess(existing: String, new: String, type: PolicyCheckType,
                                   limits: ReasoningLimits = .default) throws(ReasoningError) -> (CheckResult, Counterexample?) {
        let kind = PolicyInput.kind(for: type)
        let old = try PolicyInput.parse(existing, kind: kind, limits: limits)
        let new = try PolicyInput.parse(new, kind: kind, limits: limits)
        let z = Z3Session(limits: limits)
        let e = try PolicyEncoder(session: z, documents: [old, new], limits: limits)
        let oldPolicy = e.encode(old)
        let newPolicy = e.encode(new)
        if kind != .identity { _ = e.principal }
        e.flush()
        z.assert(z.not(oldPolicy.allows))
        z.assert(z.not(newPolicy.anyDeny))
        let reasons = try statementsThatHold(e, new, newPolicy, description: { "New access in the statement with index: \($0)." })
        guard !reasons.isEmpty else {
            return (CheckResult(passed: true, message: "The modified permissions grant no new access compared to your existing policy.",
                                reasons: []), nil)
        }
        z.assert(newPolicy.anyAllow)
        let example = try counterexample(z, e)
        return (CheckResult(passed: false, message: "The modified permissions grant new access compared to your existing policy.",
                            reasons: reasons), example)
    }

    /// FAIL exactly when some listed access (each entry: actions and/or resources, at least one of them) is allowed.
    public static func checkAccessNotGranted(policy: String, type: PolicyCheckType, access: [AccessQuery],
                                             limits: ReasoningLimits = .default) throws(ReasoningError) -> CheckResult {
        guard !access.isEmpty else { throw ReasoningError(.invalidArgument, "The access list must name at least one action or resource.") }
        for a in access where a.actions.isEmpty && a.resources.isEmpty {
            throw ReasoningError(.invalidArgument, "Each access entry must name at least one action or resource.")
        }
        let kind = PolicyInput.kind(for: type)
        let document = try PolicyInput.parse(policy, kind: kind, limits: limits)
        let z = Z3Session(limits: limits)
        let e = try PolicyEncoder(session: z, documents: [document], limits: limits)
        let encoded = e.encode(document)
        var entries: [Term] = []
        for a in access {
            var parts: [Term] = []
            if !a.actions.isEmpty { parts.append(z.or(a.actions.map { e.actionMatches($0) })) }
            if !a.resources.isEmpty {
                parts.append(z.or(a.resources.map { e.arnMatches(e.resource, $0, variables: false, foldPrefix: true) }))
            }
            entries.append(z.and(parts))
        }
        e.flush()
        z.assert(z.or(entries))
        z.assert(z.not(encoded.anyDeny))
        let reasons = try statementsThatHold(e, document, encoded, description: {
            "One or more of the listed actions or resources in the statement with index: \($0)."
        })
        if reasons.isEmpty {
            return CheckResult(passed: true, message: "The policy document does not grant access to perform one or more of the listed actions or resources.", reasons: [])
        }
        return CheckResult(passed: false, message: "The policy document grants access to perform one or more of the listed actions or resources.", reasons: reasons)
    }

    /// The resource types CheckNoPublicAccess accepts (Access Analyzer's `AccessCheckResourceType`).
    public static let publicAccessResourceTypes: Set<String> = [
        "AWS::DynamoDB::Table", "AWS::DynamoDB::Stream", "AWS::EFS::FileSystem", "AWS::OpenSearchService::Domain",
        "AWS::Kinesis::Stream", "AWS::Kinesis::StreamConsumer", "AWS::KMS::Key", "AWS::Lambda::Function",
        "AWS::S3::Bucket", "AWS::S3::AccessPoint", "AWS::S3Express::DirectoryBucket", "AWS::S3::Glacier",
        "AWS::S3Outposts::Bucket", "AWS::S3Outposts::AccessPoint", "AWS::SecretsManager::Secret", "AWS::SNS::Topic",
        "AWS::SQS::Queue", "AWS::IAM::AssumeRolePolicyDocument", "AWS::S3Tables::TableBucket", "AWS::ApiGateway::RestApi",
        "AWS::CodeArtifact::Domain", "AWS::Backup::BackupVault", "AWS::CloudTrail::Dashboard",
        "AWS::CloudTrail::EventDataStore", "AWS::S3Tables::Table", "AWS::S3Express::AccessPoint",
    ]

    /// FAIL exactly when an anonymous or arbitrary principal is allowed: some request is allowed whose caller,
    /// and every key that identifies a caller or its network, takes a value the policy never names (see
    /// `PublicPrincipal`). `resourceType` is Access Analyzer's resource type string.
    public static func checkNoPublicAccess(policy: String, resourceType: String,
                                           limits: ReasoningLimits = .default) throws(ReasoningError) -> CheckResult {
        guard publicAccessResourceTypes.contains(resourceType) else {
            throw ReasoningError(.invalidArgument, "The resource type `\(resourceType)` is not supported.")
        }
        let kind: PolicyKind = resourceType == "AWS::IAM::AssumeRolePolicyDocument" ? .trust : .resource
        let document = try PolicyInput.parse(policy, kind: kind, limits: limits)
        let z = Z3Session(limits: limits)
        let e = try PolicyEncoder(session: z, documents: [document], limits: limits)
        let encoded = e.encode(document)
        z.assert(PublicPrincipal.constraint(e, documents: [document]))
        e.flush()
        z.assert(z.not(encoded.anyDeny))
        let reasons = try statementsThatHold(e, document, encoded, description: {
            "Public access granted in the statement with index: \($0)."
        })
        if reasons.isEmpty {
            return CheckResult(passed: true, message: "The resource policy does not grant public access for the given resource type.", reasons: [])
        }
        return CheckResult(passed: false, message: "The resource policy grants public access for the given resource type.", reasons: reasons)
    }

    /// The Allow statements of `document` that hold together with the assertions made so far, one incremental
    /// query each.
    static func statementsThatHold(_ e: PolicyEncoder, _ document: PolicyDocument, _ encoded: EncodedPolicy,
                                   description: (Int) -> String) throws(ReasoningError) -> [CheckReason] {
        let z = e.z
        var reasons: [CheckReason] = []
        for (i, s) in document.statements.enumerated() where s.effect == .allow {
            z.push()
            z.assert(encoded.statements[i])
            let outcome: Z3Session.Outcome
            do { outcome = try e.solve() } catch { z.pop(); throw error }
            z.pop()
            if outcome == .satisfiable {
                reasons.append(CheckReason(description: description(i), statementIndex: i, statementId: s.sid))
            }
        }
        return reasons
    }

    /// Solves the current assertions and reads the request back.
    static func counterexample(_ z: Z3Session, _ e: PolicyEncoder) throws(ReasoningError) -> Counterexample? {
        guard try e.solve() == .satisfiable, let m = z.model() else { return nil }
        defer { m.release() }
        return Counterexample(model: m, encoder: e)
    }
}

/// Reading and bounding the input documents.
enum PolicyInput {
    static func kind(for type: PolicyCheckType) -> PolicyKind {
        type == .identityPolicy ? .identity : .resource
    }

    /// Parses with IAM's grammar and errors; a resource policy without `Resource` is read as a role trust policy.
    static func parse(_ text: String, kind: PolicyKind, limits: ReasoningLimits) throws(ReasoningError) -> PolicyDocument {
        let size = PolicySizeLimit.countedSize(of: text)
        guard size <= limits.maxPolicyCharacters else {
            throw ReasoningError(.policyTooLarge, "The policy has \(size) characters; the checks accept at most \(limits.maxPolicyCharacters).")
        }
        let document: PolicyDocument
        do {
            document = try PolicyDocument.parse(text, kind: kind)
        } catch {
            guard kind == .resource, let trust = try? PolicyDocument.parse(text, kind: .trust) else {
                throw ReasoningError(.invalidPolicy, error.message, policyError: error)
            }
            document = trust
        }
        guard document.statements.count <= limits.maxStatements else {
            throw ReasoningError(.policyTooLarge, "The policy has \(document.statements.count) statements; the checks accept at most \(limits.maxStatements).")
        }
        let entries = document.statements.reduce(0) { $0 + $1.conditions.reduce(0) { $0 + $1.entries.count } }
        guard entries <= limits.maxConditionEntries else {
            throw ReasoningError(.policyTooLarge, "The policy has \(entries) condition entries; the checks accept at most \(limits.maxConditionEntries).")
        }
        return document
    }
}
