import AssayEngine
import Foundation
import GGUF

/// The SmolLM2 model file, read once per test process (it is 98 MB).
enum SmolLM2Fixture {
    private static let cache = Cache()

    /// Whether this is an optimized build: whole-model tests take minutes in debug builds.
    #if DEBUG
        static let isOptimizedBuild = false
    #else
        static let isOptimizedBuild = true
    #endif

    private final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var file: GGUFFile?

        func file(_ url: URL) throws -> GGUFFile {
            lock.lock()
            defer { lock.unlock() }
            if let file { return file }
            let loaded = try GGUFFile(contentsOf: url)
            file = loaded
            return loaded
        }
    }

    static func file(_ url: URL) throws -> GGUFFile { try cache.file(url) }

    static func tokenizer(_ url: URL) throws -> Tokenizer { try Tokenizer(file: file(url)) }
}
