import AssayCore
import AssayStore

/// A run's outcome with its classification metrics, their bootstrap intervals and its cost,
/// computed once for the table, the confusion matrices and the chart.
public struct EvaluatedRun: Sendable {
    public let outcome: RunOutcome
    public let metrics: ClassificationMetrics
    /// Seeded percentile intervals (the defaults `assay metrics` uses); nil when no item is left.
    public let intervals: (accuracy: ConfidenceInterval, macroF1: ConfidenceInterval)?
    public let cost: RunCost

    public init(_ outcome: RunOutcome, policy: UnparsedPolicy, bootstrap: BootstrapSettings) throws {
        self.outcome = outcome
        let predictions = try outcome.predictions.labeledPredictions()
        metrics = ClassificationMetrics(predictions, policy: policy)
        intervals = metrics.itemCount > 0 ? try Bootstrap.accuracyAndMacroF1(predictions, policy: policy, settings: bootstrap) : nil
        cost = try outcome.predictions.cost()
    }

    /// "smollm2 Q4_0, run 2": how charts and matrices name the run.
    var title: String {
        "\(ModelVariant.title(model: outcome.predictions.modelName, quantization: outcome.quantization)), run \(outcome.runID)"
    }

    /// The run's line in the results table.
    public var tableRow: ResultsTableRow {
        let source = outcome.predictions
        return ResultsTableRow(
            runID: outcome.runID, model: source.modelName, quantization: outcome.quantization,
            dataset: source.datasetName, task: source.run.taskName, items: metrics.itemCount,
            unparsed: metrics.unparsedCount, precision: metrics.macro.precision, recall: metrics.macro.recall,
            f1: metrics.macro.f1, accuracy: metrics.accuracy, accuracyInterval: intervals?.accuracy,
            macroF1Interval: intervals?.macroF1, energyKwh: cost.energyKWh, energy: cost.energyLabel,
            co2GramsPerRun: cost.carbon?.grams, co2GramsPerQuery: cost.gramsPerItem,
            emissionFactor: cost.carbon.map { "\($0.factor.citation), \(cost.factorOrigin ?? "origin not recorded")" })
    }
}
