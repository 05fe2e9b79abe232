import ArgumentParser
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

    @Option(name: .customLong("run"), help: "A run id; repeat for several.")
    var runs: [RunID] = []

    @Flag(help: "Every run in the database.")
    var all = false

    @Option(help: "table, json or csv.")
    var format = Format.table

    @OptionGroup var options: MetricsOptions
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if runs.isEmpty == !all {
            throw ValidationError("give --run ID (repeatable) or --all, not both and not neither")
        }
    }

    func run() throws {
        let store = try database.open()
        let ids = all ? try store.runIDs() : runs
        if ids.isEmpty {
            throw AssayError("the database has no runs yet; run a model first (assay run ...)")
        }
        let settings = try options.settings()
        let policy = options.policy
        let evaluations = try store.runOutcomes(ids: ids).map { try EvaluatedRun($0, policy: policy, bootstrap: settings) }
        switch format {
        case .json:
            try JSONOutput.print(["runs": evaluations.map { try MetricsView($0, policy: policy) }])
        case .csv:
            print(MetricsReport.csv(try evaluations.map { try MetricsView($0, policy: policy) }))
        case .table:
            print(try evaluations.map { try MetricsReport.text($0, policy: policy) }.joined(separator: "\n\n"))
        }
    }
}
