import Foundation

/// Where downloaded model files live: `$XDG_CACHE_HOME/assay/models`, else `~/.cache/assay/models`.
public enum ModelCache {
    public static func folder(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let base =
            environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        return base.appendingPathComponent("assay/models")
    }
}
