import AssayCore
import AssaySupport
import Foundation

/// Reads a user-named input file, turning every way it can be missing into one clear line.
enum InputFile {
    static func read(_ path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw AssayError("\(path): no such file; check the path")
        }
        if isDirectory.boolValue {
            throw AssayError("\(path) is a directory; pass a file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AssayError("\(path): cannot read the file; check its permissions")
        }
        return [UInt8](data)
    }
}
