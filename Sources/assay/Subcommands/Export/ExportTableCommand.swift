import ArgumentParser
import AssayExport

struct ExportTableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table",
        abstract: "Write the results table (classification) or the task-by-model table (every other kind).",
        discussion: """
            Without --run, every completed run is tabulated. The results table (--table results) holds the \
            classification runs: rows grouped by model, the most precise quantization first, with the CO2 \
            change of each quantized run against it. The task table (--table tasks) holds the multiple-choice, \
            exact-match, code and generation runs: per task, each model's headline figure with its interval, CO2 \
            per query, and both as ratios to the task's large model (most parameters). Without --table: the \
            results table if any run is a classification, else the task table. LaTeX uses booktabs; --fragment \
            writes only the table environment, for \\input, with the packages it needs named at its top.

            --changes adds what quantization changed to the results table: for each quantized run, the items \
            that flipped against its group's first run (right to wrong, wrong to right) and, where assay \
            divergence measured the two model files, the mean KL divergence and the share of positions with \
            the same top token.

            Example:
              assay export table --format latex --out results.tex
              assay export table --format markdown --run 3 --run 4
              assay export table --format latex --fragment --out tables/results.tex
              assay export table --table tasks --format markdown
              assay export table --format latex --changes --out results.tex
            """
    )

    @Option(help: "The output format.")
    var format: TableFormat

    /// The runs to tabulate; without --run, every completed run.
    @OptionGroup var runs: RunsOption

    @Option(help: "Which table: results (classification runs) or tasks (every other kind).")
    var table: TableKind?

    @Flag(help: "LaTeX only: write the part to \\input into a paper instead of a complete document.")
    var fragment = false

    @Flag(help: "Results table only: add the flips against each group's first run and the measured KL divergence.")
    var changes = false

    @OptionGroup var unparsed: UnparsedOption
    @OptionGroup var output: ExportOutput
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if fragment && format != .latex { throw ValidationError("--fragment applies to --format latex only") }
        if changes && table == .tasks { throw ValidationError("--changes applies to the results table (--table results) only") }
    }

    func run() throws {
        let exports = StudyExports(store: try database.open())
        try output.deliver(
            try exports.table(runIDs: runs.ids, policy: unparsed.policy, format: format, kind: table, fragment: fragment, changes: changes))
    }
}
