import AssayCore
import AssayStore

/// A run's outcome with its classification metrics and its cost, computed once for the table,
/// the confusion matrices and the chart.
public struct EvaluatedRun: Sendable {
    public let outcome: RunOutcome
    public let metrics: ClassificationMetrics
    public let cost: RunCost

    public init(_ outcome: RunOutcome, policy: UnparsedPolicy) throws {
        self.outcome = outcome
        metrics = ClassificationMetrics(try outcome.predictions.labeledPredictions(), policy: policy)
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
            f1: metrics.macro.f1, accuracy: metrics.accuracy, energyKwh: cost.energyKWh, energy: cost.energyLabel,
            co2GramsPerRun: cost.carbon?.grams, co2GramsPerQuery: cost.gramsPerItem,
            emissionFactor: cost.carbon.map { "\($0.factor.citation), \(cost.factorOrigin ?? "origin not recorded")" })
    }
}
