import ArgumentParser
import AssayExport

struct ExportTableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table",
        abstract: "Write the results table: macro precision, recall, F1, accuracy and CO2 per run and per query.",
        discussion: """
            Without --run, every completed run is tabulated. Rows are grouped by model, the most \
            precise quantization first, with the CO2 change of each quantized run against it. LaTeX uses booktabs; --fragment writes only the table \
            environment, for \\input, with the packages it needs named at its top.

            Example:
              assay export table --format latex --out results.tex
              assay export table --format markdown --run 3 --run 4
              assay export table --format latex --fragment --out tables/results.tex
            """
    )

    @Option(help: "The output format.")
    var format: TableFormat

    /// The runs to tabulate; without --run, every completed run.
    @OptionGroup var runs: RunsOption

    @Flag(help: "LaTeX only: write the part to \\input into a paper instead of a complete document.")
    var fragment = false

    @OptionGroup var unparsed: UnparsedOption
    @OptionGroup var output: ExportOutput
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if fragment && format != .latex { throw ValidationError("--fragment applies to --format latex only") }
    }

    func run() throws {
        let exports = StudyExports(store: try database.open())
        try output.deliver(try exports.table(runIDs: runs.ids, policy: unparsed.policy, format: format, fragment: fragment))
    }
}
