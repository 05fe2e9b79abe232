import AssayCore
import AssayStore
import AssaySupport
import Foundation

/// The GGUF file that an engine command's `--model` names: a path to a `.gguf` file, or the name
/// of a model registered with the embedded backend (`assay model fetch` / `assay model add --gguf`)
/// in the study store `--db` decides.
enum ModelLocator {
    static func file(_ nameOrPath: String, database: DatabaseOptions) throws -> URL {
        let url = URL(fileURLWithPath: (nameOrPath as NSString).expandingTildeInPath)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard !isDirectory.boolValue else {
                throw AssayError("model '\(nameOrPath)' is a folder: pass the path of a .gguf file inside it")
            }
            return url
        }
        let location = try database.resolvedLocation
        let databasePath = location.description
        let missingFile = AssayError(
            "model file '\(nameOrPath)' not found: check the path, or pass the name of a model registered in \(databasePath) (assay model list)"
        )
        // A name with a slash or a .gguf ending was meant as a file, so that is what is reported missing.
        let looksLikePath = nameOrPath.contains("/") || nameOrPath.lowercased().hasSuffix(".gguf")
        // A SQLite file that does not exist yet holds no model, and looking must not create it.
        if case .sqlite(let file) = location, !FileManager.default.fileExists(atPath: file) {
            if looksLikePath { throw missingFile }
            throw AssayError(
                "model '\(nameOrPath)' not found: pass the path of a .gguf file or the name of a model registered in \(databasePath) (assay model list)"
            )
        }
        let store = try database.open()
        let model: ModelRecord
        do {
            model = try store.model(named: nameOrPath)
        } catch {
            throw looksLikePath ? missingFile : error
        }
        guard model.backend == .embedded else {
            throw AssayError(
                "model '\(nameOrPath)' runs on \(model.backend.rawValue), not the embedded engine; pass a .gguf file or an embedded model")
        }
        return URL(fileURLWithPath: model.reference)
    }
}
