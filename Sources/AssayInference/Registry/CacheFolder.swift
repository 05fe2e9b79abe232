import Foundation

/// Where fetched files live: `$XDG_CACHE_HOME/assay/models` and `.../assay/datasets`, else under `~/.cache`.
public enum CacheFolder {
    public static func models(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        base(environment).appendingPathComponent("assay/models")
    }

    public static func datasets(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        base(environment).appendingPathComponent("assay/datasets")
    }

    private static func base(_ environment: [String: String]) -> URL {
        environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
    }
}
