// swift-tools-version:6.1
// Warden: AWS IAM and STS that you run yourself.
//
// Layers (arrows point down only):
//   L4  warden (executable)                      WardenBench (benchmarks)
//   L3  WardenServer (Hummingbird HTTP, routing, auth, lifecycle)
//       WardenClient (signed JSON 1.1 client of Warden's own API; AWS CLI profile, credential and endpoint resolution)
//   L2  WardenStoreSQLite (embedded durable store)     WardenAudit (CloudTrail log files, signed digests, S3 view)
//   L1  WardenService (IAM/STS operations)       WardenStore (records, state, store protocol)
//   L0  WardenPolicy  WardenSigV4  WardenWire  WardenCore   (pure: no I/O, no async, no logging)
//       WardenReasoning (policy checks proved with the Z3 SMT solver, through CZ3; pure)
//       WardenValidation (Access Analyzer's ValidatePolicy checks over WardenPolicy, with its IAM catalogue)
//       WardenEscalation (privilege-escalation paths decided by WardenPolicy's evaluator; pure)
import PackageDescription

let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "warden",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "warden", targets: ["warden"]),
        .executable(name: "warden-bench", targets: ["WardenBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-certificates.git", exact: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", exact: "1.7.4"),
        .package(url: "https://github.com/swift-server/async-http-client.git", exact: "1.37.0"),
    ],
    targets: [
        // L0 — pure
        .target(name: "WardenCore", swiftSettings: swiftSettings),
        .target(
            name: "WardenSigV4",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings),
        .target(name: "WardenWire", dependencies: ["WardenCore"], swiftSettings: swiftSettings),
        .target(name: "WardenPolicy", swiftSettings: swiftSettings),
        .systemLibrary(name: "CZ3", providers: [.apt(["libz3-dev"])]),
        .target(name: "WardenReasoning", dependencies: ["WardenPolicy", "CZ3"], swiftSettings: swiftSettings),
        .target(
            name: "WardenValidation", dependencies: ["WardenPolicy"],
            resources: [.copy("Resources/iam-catalog.json")], swiftSettings: swiftSettings),
        .target(name: "WardenEscalation", dependencies: ["WardenPolicy", "WardenWire"], swiftSettings: swiftSettings),  // pure: escalation paths
        // L1
        .target(name: "WardenStore", dependencies: ["WardenCore"], swiftSettings: swiftSettings),
        .target(
            name: "WardenService",
            dependencies: [
                "WardenCore", "WardenWire", "WardenPolicy", "WardenStore", "WardenSigV4", "WardenReasoning", "WardenValidation", "WardenEscalation",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources/aws-managed-policies.json"), .copy("Resources/service-catalog.json")],
            swiftSettings: swiftSettings),
        // L2
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "WardenStoreSQLite",
            dependencies: ["WardenStore", "CSQLite", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "WardenAudit",
            dependencies: [
                "WardenCore", "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        // L3
        .target(
            name: "WardenServer",
            dependencies: [
                "WardenService", "WardenStoreSQLite", "WardenAudit", "WardenSigV4", "WardenWire", "WardenPolicy",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "WardenClient",
            dependencies: [
                "WardenSigV4", "WardenWire", "WardenCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        // L4
        .executableTarget(
            name: "warden",
            dependencies: [
                "WardenServer", "WardenPolicy", "WardenReasoning", "WardenValidation", "WardenEscalation", "WardenAudit", "WardenClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings),
        .target(name: "CMallocCounter", path: "Benchmarks/CMallocCounter"),
        .executableTarget(
            name: "WardenBench",
            dependencies: ["WardenSigV4", "WardenPolicy", "WardenReasoning", "WardenWire", "CMallocCounter"],
            path: "Benchmarks/WardenBench",
            swiftSettings: swiftSettings),
        // Tests
        .testTarget(name: "WardenCoreTests", dependencies: ["WardenCore"], swiftSettings: swiftSettings),
        .testTarget(name: "WardenSigV4Tests", dependencies: ["WardenSigV4"], resources: [.copy("Vectors")], swiftSettings: swiftSettings),
        .testTarget(name: "WardenStoreTests", dependencies: ["WardenStore", "WardenStoreSQLite"], swiftSettings: swiftSettings),
        .testTarget(name: "WardenWireTests", dependencies: ["WardenWire"], swiftSettings: swiftSettings),
        .testTarget(name: "WardenPolicyTests", dependencies: ["WardenPolicy"], resources: [.copy("Corpus")], swiftSettings: swiftSettings),
        .testTarget(name: "WardenReasoningTests", dependencies: ["WardenReasoning", "WardenPolicy"], swiftSettings: swiftSettings),
        .testTarget(name: "WardenValidationTests", dependencies: ["WardenValidation", "WardenPolicy"], swiftSettings: swiftSettings),
        .testTarget(name: "WardenEscalationTests", dependencies: ["WardenEscalation"], resources: [.copy("Accounts")], swiftSettings: swiftSettings),
        .testTarget(name: "WardenAuditTests", dependencies: ["WardenAudit"], swiftSettings: swiftSettings),
        .testTarget(
            name: "WardenServiceTests",
            dependencies: ["WardenService", "WardenStoreSQLite"],
            swiftSettings: swiftSettings),
        .testTarget(name: "WardenClientTests", dependencies: ["WardenClient", "WardenSigV4", "WardenWire"], swiftSettings: swiftSettings),
    ]
)
