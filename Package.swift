// swift-tools-version:6.1
// Assay: measure what quantizing a language model costs and saves.
import PackageDescription

let package = Package(
    name: "Assay",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "assay", targets: ["assay"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // The server backends' HTTP: FoundationNetworking's URLSession busy-polls a writable socket while it waits.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // Plain values and pure logic: datasets, tasks, answer parsing, rubrics, metrics, agreement, carbon.
        .target(name: "AssayCore", dependencies: ["CDigest", .product(name: "Yams", package: "Yams")]),
        // SHA-256 in C: dataset content hashes and model checksums, fast even in debug builds.
        .target(name: "CDigest", cSettings: [.unsafeFlags(["-O2"])]),
        // The SQLite file: schema, migrations, queries, transactions.
        .target(name: "AssayStore", dependencies: ["AssayCore", .product(name: "GRDB", package: "GRDB.swift")]),
        // Hot loops in C: dot products per block type, AVX2 behind target attributes with a scalar fallback.
        // Optimized in every configuration: the golden generation tests run the model in debug builds too.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O2"])]),
        // Reading, validating and writing GGUF files; tensor types; (de)quantization.
        .target(name: "GGUF", swiftSettings: [.unsafeFlags(["-O"])]),
        // Tokenizer, transformer forward pass, KV cache, sampling, beam search, label scoring.
        .target(name: "AssayEngine", dependencies: ["AssayCore", "GGUF", "CKernels"], swiftSettings: [.unsafeFlags(["-O"])]),
        // Backends behind one protocol, the run loop and a run's session, energy meters.
        .target(name: "AssayInference", dependencies: [
            "AssayCore", "AssayStore", "AssayEngine", "GGUF", .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .systemLibrary(name: "CEditLine", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        // The review session as a state machine, plus the libedit line reader.
        .target(name: "AssayReview", dependencies: ["AssayCore", "AssayStore", "CEditLine"]),
        // The study's figures: each run's metrics and cost, two runs compared (McNemar, paired bootstrap).
        .target(name: "AssayAnalysis", dependencies: ["AssayCore", "AssayStore"]),
        // Table, figure, scores, metrics, comparison and report writers; escaping per format.
        .target(name: "AssayExport", dependencies: ["AssayCore", "AssayStore", "AssayAnalysis"],
                // GRDB's string-literal SQL type must not leak in through AssayStore and capture HTML strings.
                swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]),
        // The command line: parses arguments, calls the libraries, prints.
        .executableTarget(name: "assay", dependencies: [
            "AssayCore", "AssayStore", "GGUF", "AssayEngine", "AssayInference", "AssayReview", "AssayAnalysis", "AssayExport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Fixtures and drivers shared by the tests: the built binary, temporary folders, a pseudo-terminal.
        .target(name: "AssayTestSupport", dependencies: ["AssayCore", "GGUF", .product(name: "GRDB", package: "GRDB.swift")], path: "Tests/AssayTestSupport"),
        .testTarget(name: "AssayCoreTests", dependencies: ["AssayCore"]),
        .testTarget(name: "AssayStoreTests", dependencies: ["AssayStore", "AssayTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "GGUFTests", dependencies: ["GGUF", "AssayTestSupport"]),
        .testTarget(name: "AssayEngineTests", dependencies: ["AssayEngine", "GGUF", "CKernels", "AssayTestSupport"]),
        .testTarget(name: "AssayInferenceTests", dependencies: ["AssayInference", "AssayCore", "AssayTestSupport"]),
        .testTarget(name: "AssayReviewTests", dependencies: ["AssayReview", "AssayTestSupport"]),
        .testTarget(name: "AssayAnalysisTests", dependencies: ["AssayAnalysis", "AssayStore", "AssayCore", "AssayTestSupport"]),
        .testTarget(name: "AssayExportTests", dependencies: ["AssayExport", "AssayAnalysis", "AssayStore", "AssayCore", "AssayTestSupport"]),
        .testTarget(name: "AssayEndToEndTests", dependencies: [
            "assay", "AssayTestSupport", "GGUF", "AssayStore", "AssayCore", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
    ]
)
