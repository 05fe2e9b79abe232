import AssayCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a whole file or nothing: the bytes go to a temporary file beside the target, are flushed
/// to disk, and only then renamed over it, so a crash or a full disk never leaves half an export.
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
        let temporary = folder + "/." + target.lastPathComponent + ".\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw AssayError("\(path): cannot create a file in \(folder) (\(String(cString: strerror(errno)))); check its permissions")
        }
        var failure: String?
        let bytes = Array(contents.utf8)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = "writing byte \(offset) failed: \(String(cString: strerror(errno)))"
                    return
                }
                offset += written
            }
        }
        if failure == nil && fsync(descriptor) != 0 {
            failure = "flushing to disk failed: \(String(cString: strerror(errno)))"
        }
        close(descriptor)
        if failure == nil && rename(temporary, path) != 0 {
            failure = "renaming the finished file into place failed: \(String(cString: strerror(errno)))"
        }
        if let failure {
            unlink(temporary)
            throw AssayError("\(path): \(failure); nothing was written")
        }
    }
}
