import ArgumentParser
import Foundation
import Logging
import WardenServer
import WardenService

/// `warden operations`: the compatibility matrix, from the registry of implemented operations.
struct Operations: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the compatibility matrix (Markdown) of every service Warden serves.")

    func run() throws {
        print(try CompatibilityMatrix.markdown())
    }
}
