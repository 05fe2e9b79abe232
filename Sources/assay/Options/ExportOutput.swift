import ArgumentParser
import AssayExport

/// `--out FILE`, shared by the exports: the file is written whole or not at all; without it the
/// export goes to standard output. `--output` is the name `predictions export` first had.
struct ExportOutput: ParsableArguments {
    @Option(
        name: [.customLong("out"), .customLong("output")],
        help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var path: String?

    func deliver(_ text: String) throws {
        if let path {
            try AtomicFile.write(text, to: path)
        } else {
            print(text, terminator: "")
        }
    }
}
