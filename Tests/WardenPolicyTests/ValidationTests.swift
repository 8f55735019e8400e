import Foundation
import Testing
@testable import WardenPolicy

/// Grammar and validation cases with AWS's `MalformedPolicyDocument` messages (`Corpus/validation/grammar.json`).
@Suite struct ValidationTests {
    struct GrammarCase: Sendable, CustomTestStringConvertible {
        var name: String
        var kind: PolicyKind
        var policy: String
        var expect: String?
        var requireCurrentVersion: Bool
        var path: String?
        var line: Int?
        var testDescription: String { name }
    }

    static let cases: [GrammarCase] = {
        guard let url = Bundle.module.url(forResource: "Corpus/validation/grammar", withExtension: "json"),
              let data = FileManager.default.contents(atPath: url.path),
              case .array(let items)? = try? JSONValue.parse(String(decoding: data, as: UTF8.self)) else { return [] }
        return items.map { item in
            GrammarCase(name: item["name"]?.stringValue ?? "?",
                        kind: item["kind"]?.stringValue.flatMap(PolicyKind.init(rawValue:)) ?? .identity,
                        policy: item["policy"]?.stringValue ?? "",
                        expect: item["expect"]?.stringValue,
                        requireCurrentVersion: item["requireCurrentVersion"] == .bool(true),
                        path: item["path"]?.stringValue,
                        line: item["line"].flatMap { if case .number(let n) = $0 { return Int(n) } else { return nil } })
        }
    }()

    @Test func loaded() { #expect(Self.cases.count >= 70) }

    @Test(arguments: ValidationTests.cases)
    func validate(_ c: GrammarCase) {
        do {
            _ = try PolicyDocument.parse(c.policy, kind: c.kind, requireCurrentVersion: c.requireCurrentVersion)
            #expect(c.expect == nil, "expected: \(c.expect ?? "")")
        } catch {
            #expect(error.message == c.expect, "\(error)")
            if let path = c.path { #expect(error.path == path) }
            if let line = c.line { #expect(error.location?.line == line) }
        }
    }

    @Test func locationPointsAtTheStatement() {
        let json = """
        {
          "Version": "2012-10-17",
          "Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {"Effect": "Allow", "Action": "GetObject", "Resource": "*"}
          ]
        }
        """
        #expect(throws: PolicyError.self) { try PolicyDocument.parse(json, kind: .identity) }
        do {
            _ = try PolicyDocument.parse(json, kind: .identity)
        } catch {
            #expect(error.path == "Statement[1].Action")
            #expect(error.location == PolicyError.Location(line: 5, column: 35))
        }
    }

    @Test func sizeLimitIgnoresWhitespace() throws {
        let compact = #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#
        let size = PolicySizeLimit.countedSize(of: compact)
        let spaced = compact.replacingOccurrences(of: ",", with: ",\n      ")
        #expect(PolicySizeLimit.countedSize(of: spaced) == size)
        _ = try PolicyDocument.parse(spaced, kind: .identity, sizeLimit: size)
        #expect(throws: PolicyError.self) { try PolicyDocument.parse(spaced, kind: .identity, sizeLimit: size - 1) }
        do {
            _ = try PolicyDocument.parse(compact, kind: .identity, sizeLimit: size - 1)
        } catch {
            #expect(error.code == .sizeLimitExceeded)
            #expect(error.message == "Cannot exceed quota for PolicySize: \(size - 1)")
        }
        #expect(PolicySizeLimit.managedPolicy == 6_144)
        #expect(PolicySizeLimit.userInlineAggregate == 2_048)
        #expect(PolicySizeLimit.roleInlineAggregate == 10_240)
        #expect(PolicySizeLimit.groupInlineAggregate == 5_120)
    }

    @Test func conditionKeysSortedUniqueOriginalCase() throws {
        let json = """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/${aws:username}/*",
           "Condition": {"StringEquals": {"aws:PrincipalTag/Team": "${aws:PrincipalTag/Dept}", "s3:prefix": "x"},
                         "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}},
          {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"AWS:SourceIP": "x", "aws:SecureTransport": "false"}}}
        ]}
        """
        let doc = try PolicyDocument.parse(json, kind: .identity)
        #expect(doc.conditionKeys == ["aws:PrincipalTag/Dept", "aws:PrincipalTag/Team", "aws:SecureTransport", "aws:SourceIp", "aws:username", "s3:prefix"])
    }

    @Test func legacyVersionHasNoVariableKeys() throws {
        let json = #"{"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/${aws:username}"}}"#
        #expect(try PolicyDocument.parse(json, kind: .identity).conditionKeys.isEmpty)
    }
}
