import ArgumentParser
import Foundation
import WardenReasoning

/// `warden policy check-no-new-access`, `check-access-not-granted`, `check-no-public-access`: Access Analyzer's
/// custom policy checks, offline. Exit status: 0 PASS, 1 FAIL, 2 error (an invalid policy, a timeout), so a CI
/// step can stop a policy change that grants more than it should. All logic lives in WardenReasoning.
struct PolicyCheckOutput: ParsableArguments {
    @Flag(help: "Print Access Analyzer's JSON result (result, message, reasons).")
    var json = false

    @Option(help: "Solver time limit per query, in milliseconds.")
    var timeout: Int = ReasoningLimits.default.timeoutMilliseconds

    var limits: ReasoningLimits {
        var l = ReasoningLimits.default
        l.timeoutMilliseconds = timeout
        return l
    }

    /// Prints `result` and exits with its status.
    func finish(_ result: CheckResult, subject: String) throws -> Never {
        if json {
            var object: [String: Any] = ["result": result.result, "message": result.message]
            object["reasons"] = result.reasons.map { r -> [String: Any] in
                var o: [String: Any] = ["description": r.description]
                if let i = r.statementIndex { o["statementIndex"] = i }
                if let id = r.statementId { o["statementId"] = id }
                return o
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("\(subject): \(result.result): \(result.message)")
            for r in result.reasons {
                let sid = r.statementId.map { " (Sid \($0))" } ?? ""
                print("  - \(r.description)\(sid)")
            }
        }
        throw ExitCode(result.passed ? 0 : 1)
    }

    /// Runs a check, turning its errors into exit status 2.
    func run(subject: String, _ check: () throws(ReasoningError) -> CheckResult) throws -> Never {
        let result: CheckResult
        do {
            result = try check()
        } catch {
            var text = "\(subject): error: \(error.message)"
            if let p = error.policyError {
                let location = p.location.map { " at line \($0.line), column \($0.column)" } ?? ""
                let path = p.path.isEmpty ? "" : " (\(p.path))"
                text += "\(location)\(path)"
            }
            if json {
                let data = (try? JSONSerialization.data(withJSONObject: ["error": error.code.rawValue, "message": text], options: [.sortedKeys])) ?? Data()
                print(String(decoding: data, as: UTF8.self))
            } else {
                FileHandle.standardError.write(Data((text + "\n").utf8))
            }
            throw ExitCode(2)
        }
        try finish(result, subject: subject)
    }
}

/// Reads a policy file (`-` = standard input); an unreadable file is an error (exit 2).
private func readPolicy(_ path: String) throws -> String {
    let data: Data?
    if path == "-" { data = FileHandle.standardInput.readDataToEndOfFile() } else { data = FileManager.default.contents(atPath: path) }
    guard let data else {
        FileHandle.standardError.write(Data("error: cannot read `\(path)`\n".utf8))
        throw ExitCode(2)
    }
    return String(decoding: data, as: UTF8.self)
}

/// `identity` or `resource` → Access Analyzer's policy type.
private func checkType(_ name: String) throws -> PolicyCheckType {
    switch name.lowercased() {
    case "identity", "identity_policy": return .identityPolicy
    case "resource", "resource_policy": return .resourcePolicy
    default: throw ValidationError("Unknown policy type `\(name)`; expected identity or resource.")
    }
}

/// `warden policy check-no-new-access EXISTING NEW`.
struct CheckNoNewAccessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-no-new-access",
        abstract: "Prove that a new policy grants no access the existing one does not.",
        discussion: "Exit status: 0 PASS, 1 FAIL (the reasons name the statements that grant new access), 2 error.")

    @Argument(help: "The existing policy (JSON file; `-` reads standard input).")
    var existing: String
    @Argument(help: "The new policy (JSON file).")
    var new: String
    @Option(help: "identity or resource.")
    var policyType: String = "identity"
    @OptionGroup var output: PolicyCheckOutput

    func run() throws {
        let type = try checkType(policyType)
        let old = try readPolicy(existing)
        let new = try readPolicy(self.new)
        let limits = output.limits
        try output.run(subject: "\(existing) → \(self.new)") { () throws(ReasoningError) in
            try ProvableChecks.checkNoNewAccess(existing: old, new: new, type: type, limits: limits)
        }
    }
}

/// `warden policy check-access-not-granted POLICY --action A… --resource R…`.
struct CheckAccessNotGrantedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-access-not-granted",
        abstract: "Prove that a policy grants none of the listed actions (on the listed resources).",
        discussion: "Exit status: 0 PASS, 1 FAIL, 2 error.")

    @Argument(help: "The policy (JSON file; `-` reads standard input).")
    var policy: String
    @Option(help: "identity or resource.")
    var policyType: String = "identity"
    @Option(name: .customLong("action"), help: "An action (repeatable); patterns such as s3:Delete* are allowed.")
    var actions: [String] = []
    @Option(name: .customLong("resource"), help: "A resource ARN (repeatable).")
    var resources: [String] = []
    @OptionGroup var output: PolicyCheckOutput

    func validate() throws {
        if actions.isEmpty && resources.isEmpty { throw ValidationError("Give at least one --action or --resource.") }
    }

    func run() throws {
        let type = try checkType(policyType)
        let text = try readPolicy(policy)
        let access = [AccessQuery(actions: actions, resources: resources)]
        let limits = output.limits
        try output.run(subject: policy) { () throws(ReasoningError) in
            try ProvableChecks.checkAccessNotGranted(policy: text, type: type, access: access, limits: limits)
        }
    }
}

/// `warden policy check-no-public-access POLICY --resource-type TYPE`.
struct CheckNoPublicAccessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-no-public-access",
        abstract: "Prove that a resource policy grants no public access.",
        discussion: "Exit status: 0 PASS, 1 FAIL, 2 error.")

    @Argument(help: "The resource policy (JSON file; `-` reads standard input).")
    var policy: String
    @Option(help: "Access Analyzer's resource type, e.g. AWS::IAM::AssumeRolePolicyDocument, AWS::S3::Bucket, AWS::KMS::Key.")
    var resourceType: String
    @OptionGroup var output: PolicyCheckOutput

    func run() throws {
        let text = try readPolicy(policy)
        let type = resourceType
        let limits = output.limits
        try output.run(subject: policy) { () throws(ReasoningError) in
            try ProvableChecks.checkNoPublicAccess(policy: text, resourceType: type, limits: limits)
        }
    }
}
