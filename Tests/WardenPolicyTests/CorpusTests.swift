import Foundation
import Testing
@testable import WardenPolicy

/// Evaluation cases written from the AWS documentation (each case cites the page in `doc`), stored as JSON
/// files in `Corpus/` in the `warden policy simulate` input shape plus an `expect` field.
@Suite struct CorpusTests {
    struct LoadedCase: Sendable, CustomTestStringConvertible {
        var file: String
        var simulation: SimulationCase
        var testDescription: String { "\(file): \(simulation.name ?? "?")" }
    }

    static func loadCases() -> [LoadedCase] {
        guard let dir = Bundle.module.url(forResource: "Corpus", withExtension: nil),
              let files = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        var out: [LoadedCase] = []
        for file in files.sorted() where file.hasSuffix(".json") {
            guard let data = FileManager.default.contents(atPath: dir.appendingPathComponent(file).path),
                  let cases = try? SimulationCase.decodeAll(from: String(decoding: data, as: UTF8.self)) else {
                out.append(LoadedCase(file: file, simulation: SimulationCase(name: "unreadable file",
                    request: .init(action: "", resource: "", resourceAccount: nil, principal: "", principalParent: nil,
                                   principalUniqueID: nil, context: [:]), expect: .string("unreadable"))))
                continue
            }
            out += cases.map { LoadedCase(file: file, simulation: $0) }
        }
        return out
    }

    static let cases = loadCases()

    @Test func corpusIsLarge() {
        #expect(Self.cases.count >= 150, "corpus has \(Self.cases.count) cases")
    }

    @Test(arguments: CorpusTests.cases)
    func evaluate(_ loaded: LoadedCase) throws {
        let c = loaded.simulation
        let result = simulate(c)
        let expect = try #require(c.expect)
        switch expect {
        case .string(let decision):
            #expect(result.decision == decision, "\(result.explanation)")
        case .object:
            if let decision = expect["decision"]?.stringValue {
                #expect(result.decision == decision, "\(result.explanation)")
            }
            if let reason = expect["reason"]?.stringValue {
                #expect(result.reason?.rawValue == reason)
            }
            if let fragment = expect["messageContains"]?.stringValue {
                #expect(result.explanation.contains(fragment), "\(result.explanation)")
            }
            if case .array(let sids)? = expect["matchedSids"] {
                #expect(result.matchedStatements.compactMap(\.sid) == sids.compactMap(\.stringValue))
            }
            if case .array(let keys)? = expect["missingContextValues"] {
                #expect(result.missingContextKeys == keys.compactMap(\.stringValue))
            }
        default:
            Issue.record("unsupported expect value")
        }
    }
}
