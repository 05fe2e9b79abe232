import AssayCore
import Foundation

/// The GGUF file that `--model` names. For now a path to a `.gguf` file.
func locateModelFile(_ nameOrPath: String) throws -> URL {
    let url = URL(fileURLWithPath: (nameOrPath as NSString).expandingTildeInPath)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
        throw AssayError("model '\(nameOrPath)' not found: pass the path of a .gguf file")
    }
    guard !isDirectory.boolValue else {
        throw AssayError("model '\(nameOrPath)' is a folder: pass the path of a .gguf file inside it")
    }
    return url
}
