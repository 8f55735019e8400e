import ArgumentParser
import Foundation
import WardenPolicy
import WardenValidation

/// `warden policy`: offline tools over the policy engine (validation and simulation). All logic lives in
/// WardenPolicy and WardenValidation; this file only reads input and prints results.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Validate policy documents and simulate authorization decisions offline.",
        subcommands: [Validate.self, Simulate.self, CheckNoNewAccessCommand.self, CheckAccessNotGrantedCommand.self, CheckNoPublicAccessCommand.self])

    /// `warden policy validate FILE`.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a policy document against the IAM policy grammar and Access Analyzer's policy checks.",
            discussion: """
                Prints AWS's MalformedPolicyDocument message with its location (or that the policy is valid), then \
                each finding of Access Analyzer's ValidatePolicy checks as FILE:LINE:COL: TYPE ISSUE_CODE: details \
                (line and column 1-based). --json prints the findings as AWS's ValidatePolicy response instead.
                Exit status: 0 when the grammar accepts the policy and no finding is an ERROR; 1 on a grammar error \
                or an ERROR finding; 64 on a usage error.
                """)

        @Argument(help: "The policy document (JSON); `-` reads standard input.")
        var file: String

        @Option(help: "Where the policy is attached: identity, resource, trust, boundary, session, serviceControl, resourceControl.")
        var kind: String?

        @Option(help: "Access Analyzer's policy type: IDENTITY_POLICY, RESOURCE_POLICY, SERVICE_CONTROL_POLICY, RESOURCE_CONTROL_POLICY (sets --kind).")
        var policyType: String?

        @Option(help: "Access Analyzer's resource type for resource policies, e.g. AWS::S3::Bucket or AWS::IAM::AssumeRolePolicyDocument (sets --kind trust for the latter).")
        var resourceType: String?

        @Flag(help: "Require Version 2012-10-17, as CreatePolicy does.")
        var requireCurrentVersion = false

        @Flag(help: "Print the findings as AWS's ValidatePolicy response JSON only.")
        var json = false

        /// The grammar kind and the Access Analyzer types, each derived from the other when not given.
        func types() throws -> (PolicyKind, ValidatePolicyType, ValidatePolicyResourceType?) {
            var resource: ValidatePolicyResourceType?
            if let resourceType {
                guard let r = ValidatePolicyResourceType(rawValue: resourceType) else {
                    throw ValidationError("Unknown resource type `\(resourceType)`; expected one of \(ValidatePolicyResourceType.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                resource = r
            }
            var analyzerType: ValidatePolicyType?
            if let policyType {
                guard let t = ValidatePolicyType(rawValue: policyType) else {
                    throw ValidationError("Unknown policy type `\(policyType)`; expected one of \(ValidatePolicyType.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                analyzerType = t
            }
            let kind: PolicyKind
            if let name = self.kind {
                guard let k = PolicyKind(rawValue: name) else {
                    throw ValidationError("Unknown policy kind `\(name)`; expected one of \(PolicyKind.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                kind = k
            } else {
                switch analyzerType {
                case .resource?: kind = resource == .roleTrustPolicy ? .trust : .resource
                case .serviceControl?: kind = .serviceControl
                case .resourceControl?: kind = .resourceControl
                case .identity?, nil: kind = resource == .roleTrustPolicy ? .trust : (resource != nil ? .resource : .identity)
                }
            }
            if analyzerType == nil {
                switch kind {
                case .identity, .boundary, .session: analyzerType = resource != nil ? .resource : .identity
                case .resource: analyzerType = .resource
                case .trust:
                    analyzerType = .resource
                    if resource == nil { resource = .roleTrustPolicy }
                case .serviceControl: analyzerType = .serviceControl
                case .resourceControl: analyzerType = .resourceControl
                }
            }
            return (kind, analyzerType ?? .identity, analyzerType == .resource ? resource : nil)
        }

        func run() throws {
            let (kind, analyzerType, analyzerResource) = try types()
            let text = try readInput(file == "-" ? nil : file)
            let findings = PolicyChecks.validate(text, type: analyzerType, resourceType: analyzerResource)
            var failed = findings.contains { $0.findingType == .error }
            var grammarLine: String
            do {
                let document = try PolicyDocument.parse(text, kind: kind, requireCurrentVersion: requireCurrentVersion)
                grammarLine = "\(file): valid \(kind.rawValue) policy, \(document.statements.count) statement(s)"
            } catch {
                let location = error.location.map { ":\($0.line):\($0.column)" } ?? ""
                let path = error.path.isEmpty ? "" : " (\(error.path))"
                grammarLine = "\(file)\(location): error: \(error.message)\(path)"
                failed = true
            }
            if json {
                print(ValidationFinding.responseJSON(findings).jsonString)
            } else {
                print(grammarLine)
                for f in findings {
                    let at = f.locations.first.map { ":\($0.span.start.line):\($0.span.start.column + 1)" } ?? ""
                    print("\(file)\(at): \(f.findingType.rawValue) \(f.issueCode): \(f.findingDetails)")
                }
            }
            if failed { throw ExitCode(1) }
        }
    }

    /// `warden policy simulate`.
    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluate authorization cases offline.",
            discussion: "Reads cases (one JSON object, an array, or JSON Lines) and prints one JSON result per line.")

        @Option(help: "Read cases from this file instead of standard input.")
        var input: String?

        func run() throws {
            let text = try readInput(input)
            let cases: [SimulationCase]
            do {
                cases = try SimulationCase.decodeAll(from: text)
            } catch {
                FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
                throw ExitCode(1)
            }
            for c in cases { print(simulate(c).jsonLine) }
        }
    }
}

/// Reads a file, or standard input when `path` is nil.
private func readInput(_ path: String?) throws -> String {
    let data: Data
    if let path {
        guard let d = FileManager.default.contents(atPath: path) else { throw ValidationError("Cannot read `\(path)`.") }
        data = d
    } else {
        data = FileHandle.standardInput.readDataToEndOfFile()
    }
    return String(decoding: data, as: UTF8.self)
}
