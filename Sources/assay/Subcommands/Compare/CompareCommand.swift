import ArgumentParser
import AssayAnalysis
import AssayCore
import AssayExport
import AssayStore

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two runs of one dataset: metrics, cost, McNemar and a paired interval.",
        discussion: """
            The case study's Table III for one pair: each metric before and after with its \
            difference (over the items both runs answered), seconds, energy and CO2e per query with \
            the relative reduction, the exact McNemar test on paired correctness, and a paired \
            bootstrap interval for the change in macro-F1.

            Example:
              assay compare 1 2
              assay compare 1 2 --format latex > table3.tex
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, latex
    }

    @Argument(help: "The baseline run's id.")
    var before: RunID

    @Argument(help: "The optimised run's id.")
    var after: RunID

    @Option(help: "table, json or latex.")
    var format = Format.table

    @OptionGroup var options: MetricsOptions
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try Self.report(
            before: before, after: after, store: database.open(), policy: options.policy,
            bootstrap: options.settings(), format: format)
    }

    /// Prints run `before` compared with run `after`; `assay demo` compares through this too.
    static func report(
        before: RunID, after: RunID, store: AssayStore, policy: UnparsedPolicy, bootstrap: BootstrapSettings,
        format: Format
    ) throws {
        let comparison = try StudyAnalysis(store: store).comparison(before: before, after: after, policy: policy, bootstrap: bootstrap)
        let view = ComparisonView(comparison)
        switch format {
        case .json: try JSONOutput.print(view)
        case .table: print(ComparisonReport.text(view))
        case .latex: print(ComparisonLaTeXWriter.render(view))
        }
    }
}
