import AssayCore
import AssayStore
import AssaySupport
import Foundation

/// The GGUF file that `--model` names: a path to a `.gguf` file, or the name of a model registered
/// with the embedded backend (`assay model fetch` / `assay model add --gguf`) in the database at
/// `databasePath` (default: $ASSAY_DB, else ./assay.sqlite, the same default as --db).
func locateModelFile(_ nameOrPath: String, databasePath: String? = nil) throws -> URL {
    let url = URL(fileURLWithPath: (nameOrPath as NSString).expandingTildeInPath)
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
        guard !isDirectory.boolValue else {
            throw AssayError("model '\(nameOrPath)' is a folder: pass the path of a .gguf file inside it")
        }
        return url
    }
    let database = databasePath ?? ProcessInfo.processInfo.environment["ASSAY_DB"] ?? "assay.sqlite"
    guard FileManager.default.fileExists(atPath: database) else {
        throw AssayError("model '\(nameOrPath)' not found: pass the path of a .gguf file or the name of a registered model (assay model list)")
    }
    let model = try AssayStore(path: database, create: false).model(named: nameOrPath)
    guard model.backend == .embedded else {
        throw AssayError("model '\(nameOrPath)' runs on \(model.backend.rawValue), not the embedded engine; pass a .gguf file or an embedded model")
    }
    return URL(fileURLWithPath: model.reference)
}
