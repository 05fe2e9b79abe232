import AssaySupport
import Foundation

/// Writes a whole export or nothing (through `AtomicFileOutput`), after checking the `--out` path.
public enum AtomicFile {
    public static func write(_ contents: String, to path: String) throws {
        let target = URL(fileURLWithPath: path)
        let folder = target.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw AssayError("\(path): the folder \(folder) does not exist; create it first or choose another --out")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw AssayError("\(path) is a directory; --out takes a file path")
        }
        let output = try AtomicFileOutput(replacing: target, what: "the export")
        do {
            try Array(contents.utf8).withUnsafeBytes { try output.write($0) }
            try output.commit()
        } catch {
            output.discard()
            throw error
        }
    }
}
