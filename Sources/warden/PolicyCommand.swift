import ArgumentParser
import Foundation
import WardenPolicy

/// `warden policy`: offline tools over the policy engine (validation and simulation). All logic lives in
/// WardenPolicy; this file only reads input and prints results.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Validate policy documents and simulate authorization decisions offline.",
        subcommands: [Validate.self, Simulate.self, CheckNoNewAccessCommand.self, CheckAccessNotGrantedCommand.self, CheckNoPublicAccessCommand.self])

    /// `warden policy validate FILE`.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a policy document against the IAM policy grammar.",
            discussion: "Prints AWS's MalformedPolicyDocument message with its location; exits 1 on errors.")

        @Argument(help: "The policy document (JSON); `-` reads standard input.")
        var file: String

        @Option(help: "Where the policy is attached: identity, resource, trust, boundary, session, serviceControl, resourceControl.")
        var kind: String = "identity"

        @Flag(help: "Require Version 2012-10-17, as CreatePolicy does.")
        var requireCurrentVersion = false

        func run() throws {
            guard let kind = PolicyKind(rawValue: kind) else {
                throw ValidationError("Unknown policy kind `\(kind)`; expected one of \(PolicyKind.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            let text = try readInput(file == "-" ? nil : file)
            do {
                let document = try PolicyDocument.parse(text, kind: kind, requireCurrentVersion: requireCurrentVersion)
                print("\(file): valid \(kind.rawValue) policy, \(document.statements.count) statement(s)")
            } catch {
                let location = error.location.map { ":\($0.line):\($0.column)" } ?? ""
                let path = error.path.isEmpty ? "" : " (\(error.path))"
                print("\(file)\(location): error: \(error.message)\(path)")
                throw ExitCode(1)
            }
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
