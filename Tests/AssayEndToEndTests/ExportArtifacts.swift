import Foundation

/// Runs pdflatex on exported LaTeX, and keeps exported files for people to look at when
/// `ASSAY_EXPORT_ARTIFACTS` names a folder.
enum ExportArtifacts {
    static let pdflatex: String? = ["/usr/bin/pdflatex", "/usr/local/bin/pdflatex", "/Library/TeX/texbin/pdflatex"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static let missingPDFLaTeX =
        "pdflatex is not installed, so the LaTeX exports were not compiled (apt-get install texlive-latex-base texlive-latex-recommended)"

    struct Compilation {
        let status: Int32
        let log: String
        let pdf: URL
    }

    /// Compiles `texFile` in its own folder, without shell escape and stopping at the first error.
    static func compile(_ texFile: String) throws -> Compilation {
        let source = URL(fileURLWithPath: texFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: pdflatex ?? "pdflatex")
        process.arguments = ["-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", source.lastPathComponent]
        process.currentDirectoryURL = source.deletingLastPathComponent()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let base = source.deletingPathExtension()
        let log = (try? String(contentsOf: base.appendingPathExtension("log"), encoding: .isoLatin1)) ?? ""
        return Compilation(status: process.terminationStatus, log: log, pdf: base.appendingPathExtension("pdf"))
    }

    /// The text of a PDF as pdftotext reads it, or nil without poppler-utils.
    static func text(of pdf: URL) throws -> String? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        process.arguments = ["-layout", pdf.path, "-"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Copies `files` into `$ASSAY_EXPORT_ARTIFACTS` when it is set.
    static func keep(_ files: [String]) throws {
        guard let folder = ProcessInfo.processInfo.environment["ASSAY_EXPORT_ARTIFACTS"] else { return }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for file in files where FileManager.default.fileExists(atPath: file) {
            let target = folder + "/" + URL(fileURLWithPath: file).lastPathComponent
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.copyItem(atPath: file, toPath: target)
        }
    }
}

/// Puts a LaTeX fragment into the smallest paper that loads the packages the fragment names.
enum PaperWrapper {
    /// The paper `\input`s `fragment.tex` from its own folder.
    static func wrap(_ fragment: String) -> String {
        let packages = fragment.split(separator: "\n")
            .filter { $0.hasPrefix("%   \\usepackage") }
            .map { String($0.dropFirst(4)) }
        return "\\documentclass{article}\n" + packages.joined(separator: "\n") + "\n\\begin{document}\n\\input{fragment}\n\\end{document}\n"
    }
}
