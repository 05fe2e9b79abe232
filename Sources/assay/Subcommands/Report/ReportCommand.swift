import ArgumentParser
import AssayExport
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML page: results, accuracy versus CO2, confusion matrices, scores, agreement.",
        discussion: """
            The page has its style sheet and SVG charts inline and loads nothing, so it can be \
            mailed or archived as one file.

            Example:
              assay report --out report.html
              assay report --db study.sqlite --exclude-unparsed --out report.html
            """
    )

    @Option(help: ArgumentHelp("The HTML file to write.", valueName: "file.html"))
    var out: String

    @OptionGroup var unparsed: UnparsedOption
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let page = try StudyExports(store: try database.open()).report(policy: unparsed.policy, generatedAt: Date())
        try AtomicFile.write(page, to: out)
    }
}
