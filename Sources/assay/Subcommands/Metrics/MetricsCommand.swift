import ArgumentParser
import AssayAnalysis
import AssayCore
import AssayExport
import AssayStore
import AssaySupport

struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Precision, recall, F1, accuracy with 95% intervals, energy and CO2 of runs.",
        discussion: """
            Per run: the per-class table, macro and weighted averages, accuracy and macro-F1 with \
            seeded bootstrap intervals, the confusion matrix, the unparsed-answer policy, energy with \
            its method and constants (labelled "estimated" when estimated), and CO2e with the \
            emission factor and its source, in total and per query.

            Example:
              assay metrics --run 1
              assay metrics --all --format csv > metrics.csv
              assay metrics --run 1 --run 2 --exclude-unparsed --bootstrap 2000 --seed 7 --format json
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
    }

    @OptionGroup var runs: RunsOption

    /// Metrics alone asks for --all instead of taking every run by default (see RunsOption).
    @Flag(help: "Every run in the database.")
    var all = false

    @Option(help: "table, json or csv.")
    var format = Format.table

    @OptionGroup var options: MetricsOptions
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if runs.ids.isEmpty == !all {
            throw ValidationError("give --run ID (repeatable) or --all, not both and not neither")
        }
    }

    func run() throws {
        let store = try database.open()
        let ids = all ? try store.runIDs() : runs.ids
        if ids.isEmpty {
            throw AssayError("the database has no runs yet; run a model first (assay run ...)")
        }
        try Self.report(ids, store: store, policy: options.policy, bootstrap: options.settings(), format: format)
    }

    /// Prints the metrics of runs `ids`; `assay demo` reports its runs through this too.
    static func report(_ ids: [RunID], store: AssayStore, policy: UnparsedPolicy, bootstrap: BootstrapSettings, format: Format) throws {
        let evaluations = try StudyAnalysis(store: store).evaluations(runIDs: ids, policy: policy, bootstrap: bootstrap)
        let views = try evaluations.map { try MetricsView($0, policy: policy) }
        switch format {
        case .json:
            try JSONOutput.print(["runs": views])
        case .csv:
            print(MetricsCSVWriter.render(views), terminator: "")
        case .table:
            print(try zip(evaluations, views).map { try MetricsReport.text($0, view: $1) }.joined(separator: "\n\n"))
        }
    }
}
