import Foundation

/// Paths to the project's own files and to `../shared` beside the checkout.
public enum SharedFiles {
    /// The package root, found from this source file's location.
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the checkout (read-only data, golden outputs).
    public static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

    public static func sharedFile(_ relative: String) -> URL { shared.appendingPathComponent(relative) }
    public static func projectFile(_ relative: String) -> URL { packageRoot.appendingPathComponent(relative) }

    /// The embedded default model, when `assay model fetch smollm2-135m` (or CI) put it in the cache.
    public static var smolLM2: URL? {
        if let explicit = ProcessInfo.processInfo.environment["ASSAY_TEST_MODEL"] {
            return URL(fileURLWithPath: explicit)
        }
        return smolLM2(quantizedAs: "Q4_1")
    }

    /// SmolLM2 in another type (`Q4_K_M`, `Q6_K`, ...), when scripts/make-kquant-models.py (run by
    /// .ci/run) put it beside the default model in the cache.
    public static func smolLM2(quantizedAs type: String) -> URL? {
        let env = ProcessInfo.processInfo.environment
        let cache = env["XDG_CACHE_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        let file = cache.appendingPathComponent("assay/models/SmolLM2-135M-Instruct.\(type).gguf")
        return FileManager.default.fileExists(atPath: file.path) ? file : nil
    }

    /// True under CI (CI=true), where a test must fail rather than skip when its model is missing.
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
}
