import AssayCore
import Foundation

/// `--task FILE` as `run` and `bench server` read it.
enum TaskFile {
    /// The YAML task at `path`, or the built-in sentiment task when no path is given.
    static func definition(at path: String?) throws -> TaskDefinition {
        guard let path else { return try TaskDefinition.builtInSentiment() }
        return try TaskDefinition(yaml: String(decoding: try InputFile.read(path), as: UTF8.self), origin: path)
    }
}
