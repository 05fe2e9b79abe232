import AssaySupport
import Foundation

/// The Python a sandbox runs, found once outside the sandbox by asking the interpreter itself, so that a pyenv
/// shim or a symlink resolves to the real interpreter.
public struct PythonInterpreter: Sendable, Equatable {
    /// `sys.executable`: the path the sandbox executes (a virtual environment's python keeps its environment).
    public let executable: String
    /// The prefixes and the executable's directory, symlinks resolved: what the sandbox user must be able to read.
    public let directories: [String]
    /// Such as "3.11.7".
    public let version: String

    /// Finds `python` (a path, or a name looked up on PATH) and asks it where it lives; needs Python 3.
    public init(locating python: String) throws {
        let path = try Self.locate(python)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-I", "-c", Self.description]
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw AssayError("cannot start the Python interpreter \(path): \(error.localizedDescription); pass --python PATH")
        }
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let complaint = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let lines = printed.split(separator: "\n").map(String.init)
        guard process.terminationStatus == 0, lines.count >= 3 else {
            let lastLine = complaint.split(separator: "\n").last.map { ": \($0)" } ?? ""
            throw AssayError(
                "\(path) did not describe itself as a Python interpreter (exit status \(process.terminationStatus))\(lastLine); "
                    + "pass --python with a Python 3 interpreter")
        }
        guard lines[0].hasPrefix("3.") else {
            throw AssayError("\(path) is Python \(lines[0]); code tasks need Python 3, so pass --python with one")
        }
        guard lines[1].hasPrefix("/") else {
            throw AssayError("\(path) does not know its own path (sys.executable is '\(lines[1])'); pass --python with its full path")
        }
        version = lines[0]
        executable = lines[1]
        directories = Array(Set(lines[2...])).sorted()
    }

    /// Prints the version, sys.executable, then one directory a line.
    private static let description = """
        import os, sys
        print("%d.%d.%d" % sys.version_info[:3])
        print(sys.executable)
        executable = sys.executable
        for directory in {sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix, os.path.dirname(executable),
                          os.path.dirname(os.path.realpath(executable))}:
            print(os.path.realpath(directory))
        """

    private static func locate(_ python: String) throws -> String {
        let files = FileManager.default
        if python.contains("/") {
            let path = URL(fileURLWithPath: python).standardizedFileURL.path
            guard files.isExecutableFile(atPath: path) else {
                throw AssayError("the Python interpreter \(python) does not exist or is not executable; pass --python with one that is")
            }
            return path
        }
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in searchPath.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(python)"
            if files.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate).standardizedFileURL.path }
        }
        throw AssayError("\(python) was not found on PATH; install Python 3, or pass --python with the interpreter's path")
    }
}
