// swift-tools-version:6.1
// Assay: measure what quantizing a language model costs and saves.
import PackageDescription

let package = Package(
    name: "Assay",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "assay", targets: ["assay"])
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // The server backends' HTTP: FoundationNetworking's URLSession busy-polls a writable socket while it waits.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // A team's study store: PostgreSQL's wire protocol over SwiftNIO, which the server backends already build.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // What every other target shares and nothing else: the one-line error, the seeded generator, durations, fixed decimals.
        .target(name: "AssaySupport"),
        // Plain values and pure logic: datasets, tasks, answer parsing, rubrics, metrics, agreement, carbon.
        .target(name: "AssayCore", dependencies: ["AssaySupport", "CDigest", .product(name: "Yams", package: "Yams")]),
        // SHA-256 in C: dataset content hashes and model checksums, fast even in debug builds.
        .target(name: "CDigest", cSettings: [.unsafeFlags(["-O2"])]),
        // The study store: a SQLite file or a PostgreSQL database; schema, migrations, queries, transactions, copies.
        .target(
            name: "AssayStore",
            dependencies: [
                "AssaySupport", "AssayCore", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]),
        // Hot loops in C: dot products per block type, AVX2 behind target attributes with a scalar fallback.
        // Optimized in every configuration: the golden generation tests run the model in debug builds too.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O2"])]),
        // Reading, validating and writing GGUF files; tensor types; (de)quantization.
        .target(name: "GGUF", dependencies: ["AssaySupport"], swiftSettings: [.unsafeFlags(["-O"])]),
        // Tokenizer, transformer forward pass, KV cache, sampling, beam search, label scoring.
        .target(name: "AssayEngine", dependencies: ["AssaySupport", "GGUF", "CKernels"], swiftSettings: [.unsafeFlags(["-O"])]),
        // Backends behind one protocol, the run loop and a run's session, energy meters.
        .target(
            name: "AssayInference",
            dependencies: [
                "AssaySupport", "AssayCore", "AssayStore", "AssayEngine", "GGUF", "AssaySandbox",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        // Fork, namespaces, read-only mounts and limits in C for running generated code: Swift cannot fork safely.
        .target(name: "CSandbox", cSettings: [.unsafeFlags(["-O2"])]),
        // Runs a code task's Python program in a fresh directory: own namespaces, no network, read-only elsewhere, limits.
        .target(name: "AssaySandbox", dependencies: ["AssaySupport", "CSandbox"]),
        // Measurements of Assay itself, for the `bench` commands: engine speed (against llama-bench), server
        // waiting, metrics and review latency, and the synthetic models they run on.
        .target(
            name: "AssayBenchmarks",
            dependencies: [
                "AssaySupport", "AssayCore", "AssayStore", "GGUF", "CKernels", "AssayEngine", "AssayInference", "AssayReview",
            ]),
        .systemLibrary(name: "CEditLine", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        // The review session as a state machine and its renderer (the terminal and libedit are the command line's).
        .target(name: "AssayReview", dependencies: ["AssaySupport", "AssayCore", "AssayStore"]),
        // The study's figures: each run's metrics and cost, two runs compared (McNemar, paired bootstrap).
        .target(name: "AssayAnalysis", dependencies: ["AssaySupport", "AssayCore", "AssayStore"]),
        // Table, figure, scores, metrics, comparison and report writers; escaping per format.
        .target(
            name: "AssayExport", dependencies: ["AssaySupport", "AssayCore", "AssayStore", "AssayAnalysis"],
            // GRDB's string-literal SQL type must not leak in through AssayStore and capture HTML strings.
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]),
        // The command line: parses arguments, calls the libraries, prints.
        .executableTarget(
            name: "assay",
            dependencies: [
                "AssaySupport", "AssayCore", "AssayStore", "GGUF", "AssayEngine", "AssayInference", "AssayReview", "AssayAnalysis",
                "AssayExport", "AssayBenchmarks", "CEditLine", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // Fixtures and drivers shared by the tests: the built binary, temporary folders, a pseudo-terminal.
        .target(
            name: "AssayTestSupport",
            dependencies: ["AssayCore", "AssaySupport", "AssayStore", "GGUF", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tests/AssayTestSupport"),
        .testTarget(name: "AssayCoreTests", dependencies: ["AssayCore", "AssaySupport"]),
        .testTarget(
            name: "AssayStoreTests",
            dependencies: ["AssayStore", "AssayCore", "AssaySupport", "AssayTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "GGUFTests", dependencies: ["GGUF", "AssayTestSupport"]),
        .testTarget(name: "AssayEngineTests", dependencies: ["AssayEngine", "AssaySupport", "GGUF", "CKernels", "AssayTestSupport"]),
        .testTarget(name: "AssayInferenceTests", dependencies: ["AssayInference", "AssayCore", "AssaySupport", "AssayTestSupport"]),
        // Hostile programs (loops, fork bombs, huge allocations, loopback connections, stray writes) against the sandbox.
        .testTarget(name: "AssaySandboxTests", dependencies: ["AssaySandbox", "AssaySupport"]),
        .testTarget(name: "AssayReviewTests", dependencies: ["AssayReview", "AssaySupport", "AssayTestSupport"]),
        .testTarget(
            name: "AssayAnalysisTests", dependencies: ["AssayAnalysis", "AssayStore", "AssayCore", "AssaySupport", "AssayTestSupport"]),
        .testTarget(
            name: "AssayExportTests",
            dependencies: ["AssayExport", "AssayAnalysis", "AssayStore", "AssayCore", "AssaySupport", "AssayTestSupport"]),
        .testTarget(
            name: "AssayEndToEndTests",
            dependencies: [
                "assay", "AssayTestSupport", "GGUF", "AssayStore", "AssayCore", "AssaySupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
    ]
)
