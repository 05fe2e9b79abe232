import AssayAnalysis
import AssayCore
import AssayStore
import AssaySupport
import Foundation

/// The exports of one study database: reads what each export needs from the store and renders it.
public struct StudyExports: Sendable {
    public let store: AssayStore

    public init(store: AssayStore) {
        self.store = store
    }

    /// The runs named (default: every completed run), with their metrics at the default bootstrap.
    public func evaluations(runIDs: [RunID], policy: UnparsedPolicy) throws -> [EvaluatedRun] {
        try StudyAnalysis(store: store).evaluations(runIDs: runIDs, policy: policy, bootstrap: BootstrapSettings())
    }

    /// The results table or the task-by-model table (`assay export table`); nil `kind`: the results
    /// table when any run is a classification, else the task table. `changes` adds the results
    /// table's flips and divergence columns.
    public func table(
        runIDs: [RunID], policy: UnparsedPolicy, format: TableFormat, kind: TableKind?, fragment: Bool, changes: Bool = false
    ) throws -> String {
        let evaluations = try evaluations(runIDs: runIDs, policy: policy)
        guard !evaluations.isEmpty else {
            throw AssayError("no completed run to tabulate; finish a run (assay run) or name runs with --run ID")
        }
        let chosen = kind ?? (evaluations.contains { $0.kind == .classification } ? .results : .tasks)
        switch chosen {
        case .results:
            var table = ResultsTable(evaluations, policy: policy)
            guard !table.rows.isEmpty else {
                throw AssayError("none of these runs is a classification; write the task table instead (--table tasks)")
            }
            if changes {
                let analysis = StudyAnalysis(store: store)
                // Runs of one model on different datasets share no items: their cells stay empty.
                table.addChanges { baseline, run in
                    guard
                        let comparison = try? analysis.comparison(
                            before: baseline, after: run, policy: policy, bootstrap: BootstrapSettings()),
                        case let view = ComparisonView(comparison), let flips = view.flips
                    else { return nil }
                    return ResultsTableRow.Changes(
                        rightToWrong: flips.rightToWrong.count, wrongToRight: flips.wrongToRight.count, meanKld: view.divergence?.meanKld,
                        sameTopToken: view.divergence?.sameTopToken)
                }
            }
            return try ResultsTableWriter.render(table, format: format, fragment: fragment)
        case .tasks:
            let table = TaskModelTable(evaluations)
            guard !table.tasks.isEmpty else {
                throw AssayError(
                    "every one of these runs is a classification; write the results table instead (--table results)")
            }
            return try TaskModelTableWriter.render(table, format: format, fragment: fragment)
        }
    }

    /// The examples of the qualitative figure: from the predictions named, else from every scored one.
    public func examples(predictionIDs: [PredictionID], selection: ExampleSelection, limit: Int?) throws -> [QualitativeExample] {
        let candidates = try store.reviewedPredictions(ids: predictionIDs).map(QualitativeExample.init)
        guard !candidates.isEmpty else {
            throw AssayError("no prediction has been scored yet; score some (assay review) or name predictions with --ids")
        }
        return selection.pick(from: candidates, limit: limit)
    }

    /// The qualitative figure (`assay export figure`).
    public func figure(
        predictionIDs: [PredictionID], selection: ExampleSelection, limit: Int?, format: FigureFormat,
        fragment: Bool
    ) throws -> String {
        let examples = try examples(predictionIDs: predictionIDs, selection: selection, limit: limit)
        return try QualitativeFigureWriter.render(examples, format: format, fragment: fragment)
    }

    /// Every score (`assay export scores`).
    public func scores(format: ScoresFormat) throws -> String {
        try ScoresWriter.render(try store.scoreExportRows(), format: format)
    }

    /// The HTML report (`assay report`): every completed run, every score, and the key examples.
    public func report(policy: UnparsedPolicy, generatedAt: Date) throws -> String {
        let scores = try store.scoreExportRows()
        let candidates = try store.reviewedPredictions(ids: []).map(QualitativeExample.init)
        let evaluations = try evaluations(runIDs: [], policy: policy)
        // Each quantized run against its family's most precise run, as the results table groups them.
        let analysis = StudyAnalysis(store: store)
        let predictions = Dictionary(
            evaluations.map { ($0.outcome.runID, $0.outcome.predictions) }, uniquingKeysWith: { first, _ in first })
        let comparisons = try ResultsTable(evaluations, policy: policy).groups.flatMap { group in
            try group.rows.dropFirst().compactMap { row -> RunComparison? in
                guard let before = predictions[group.rows[0].runID], let after = predictions[row.runID] else { return nil }
                return try analysis.comparison(before: before, after: after, policy: policy, bootstrap: BootstrapSettings())
            }
        }
        let report = try StudyReport(
            databasePath: store.path, generatedAt: generatedAt, policy: policy, evaluations: evaluations,
            pairs: comparisons.map(ComparisonView.init), itemDivergences: comparisons.compactMap(\.itemDivergence), scores: scores,
            agreement: try store.criterionScores(), examples: ExampleSelection.key.pick(from: candidates, limit: nil))
        return try HTMLReportWriter.render(report)
    }
}
