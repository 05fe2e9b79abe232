import Foundation

/// Models that `assay model fetch` puts in the cache, found for the tests that run on them.
/// Such a test runs when its model is cached, and always under CI (`CI=true`), where a missing
/// model fails it instead of skipping it.
public enum CachedModels {
    /// `$XDG_CACHE_HOME/assay/models/NAME` (else ~/.cache/...), or `override` from the environment.
    public static func file(_ name: String, override variable: String? = nil) -> URL? {
        let env = ProcessInfo.processInfo.environment
        if let variable, let explicit = env[variable] { return URL(fileURLWithPath: explicit) }
        let cache =
            env["XDG_CACHE_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        let file = cache.appendingPathComponent("assay/models/\(name)")
        return FileManager.default.fileExists(atPath: file.path) ? file : nil
    }

    /// Gemma 3 270M Q4_K_M (`assay model fetch gemma3-270m`), or `ASSAY_TEST_GEMMA3`.
    public static var gemma3: URL? { file("gemma-3-270m-Q4_K_M.gguf", override: "ASSAY_TEST_GEMMA3") }

    public static var gemma3TestsEnabled: Bool { gemma3 != nil || SharedFiles.isCI }
}
