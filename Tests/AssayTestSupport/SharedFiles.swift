import Foundation

/// Paths to the project's own files: sources, samples and test fixtures.
public enum SharedFiles {
    /// The package root, found from this source file's location.
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func projectFile(_ relative: String) -> URL { packageRoot.appendingPathComponent(relative) }

    /// A file under Tests/Fixtures (golden outputs and other reference data kept in the repository).
    public static func fixture(_ relative: String) -> URL {
        packageRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(relative)
    }

    /// True under CI (`CI=true`), where anything a test needs must be there: a missing model fails
    /// the test instead of skipping it.
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Tests that need the model run when it is cached, and always under CI, where its absence fails them.
    public static var modelTestsEnabled: Bool { smolLM2 != nil || isCI }

    /// Tests that take gigabytes of disk and minutes (a 1B-parameter model file) run under CI and
    /// when `ASSAY_HEAVY_TESTS=1`; a developer's plain `swift test` skips them.
    public static var heavyTestsEnabled: Bool { isCI || ProcessInfo.processInfo.environment["ASSAY_HEAVY_TESTS"] == "1" }

    /// The embedded default model, when `assay model fetch smollm2-135m` (or `scripts/prepare-tests`) put it in the cache.
    public static var smolLM2: URL? {
        if let explicit = ProcessInfo.processInfo.environment["ASSAY_TEST_MODEL"] {
            return URL(fileURLWithPath: explicit)
        }
        return smolLM2(quantizedAs: "Q4_1")
    }

    /// SmolLM2 in another type (`Q4_K_M`, `Q6_K`, ...), when scripts/make-kquant-models.py (run by
    /// .ci/run) put it beside the default model in the cache.
    public static func smolLM2(quantizedAs type: String) -> URL? {
        CachedModels.file("SmolLM2-135M-Instruct.\(type).gguf")
    }
}
