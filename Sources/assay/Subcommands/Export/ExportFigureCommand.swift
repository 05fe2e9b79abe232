import ArgumentParser
import AssayCore
import AssayExport

struct ExportFigureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figure",
        abstract: "Write the qualitative figure: text, gold label, prediction, reasoning and the experts' evaluation.",
        discussion: """
            The candidates are every scored prediction, or the predictions named with --ids. \
            --select key picks a balanced set (consistent and inconsistent answers for each gold \
            label, each beside the same text's answer at the other precision); --select all keeps \
            every candidate in order (the default with --ids). Adjudicated scores replace the \
            annotators' when present. LaTeX boxes need no package beyond fontenc/inputenc.

            Example:
              assay export figure --format latex --out examples.tex
              assay export figure --format markdown --select all --limit 20
              assay export figure --format html --ids 12 --ids 40 --out examples.html
            """
    )

    @Option(help: "The output format.")
    var format: FigureFormat

    @Option(help: "Which examples: key (a balanced set; the default) or all (the default with --ids).")
    var select: ExampleSelection?

    @Option(
        parsing: .upToNextOption, help: ArgumentHelp("Prediction ids to draw from (default: every scored prediction).", valueName: "id"))
    var ids: [PredictionID] = []

    @Option(help: "The most boxes to write (default: 6 for key, every one for all).")
    var limit: Int?

    @Flag(help: "LaTeX only: write the figure environment to \\input into a paper instead of a complete document.")
    var fragment = false

    @OptionGroup var output: ExportOutput
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if fragment && format != .latex { throw ValidationError("--fragment applies to --format latex only") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1 (got \(limit))") }
    }

    func run() throws {
        let exports = StudyExports(store: try database.open())
        // Predictions named one by one are meant to be shown as named, in that order.
        let selection = select ?? (ids.isEmpty ? .key : .all)
        try output.deliver(try exports.figure(predictionIDs: ids, selection: selection, limit: limit, format: format, fragment: fragment))
    }
}
