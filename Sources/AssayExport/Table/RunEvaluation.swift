import AssayCore
import AssayStore

/// A run's outcome with its classification metrics, computed once for the table, the confusion
/// matrices and the chart.
public struct RunEvaluation: Sendable {
    public let outcome: RunOutcome
    public let metrics: ClassificationMetrics

    public init(_ outcome: RunOutcome, policy: UnparsedPolicy) throws {
        let predictions: LabeledPredictions
        do {
            predictions = try LabeledPredictions(truth: outcome.goldLabels, predicted: outcome.predictedLabels,
                                                 labels: outcome.labels)
        } catch let error as AssayError {
            throw AssayError("run \(outcome.runID) (\(outcome.modelName)): \(error.message)")
        }
        self.outcome = outcome
        metrics = ClassificationMetrics(predictions, policy: policy)
    }

    /// The run's line in the results table.
    public var tableRow: ResultsTableRow {
        ResultsTableRow(
            runID: outcome.runID, model: outcome.modelName, quantization: outcome.quantization,
            dataset: outcome.datasetName, task: outcome.taskName, items: metrics.itemCount,
            unparsed: metrics.unparsedCount, precision: metrics.macro.precision, recall: metrics.macro.recall,
            f1: metrics.macro.f1, accuracy: metrics.accuracy, energyKwh: outcome.energyKwh,
            co2GramsPerRun: outcome.co2Grams, predictions: outcome.goldLabels.count,
            emissionFactor: outcome.emissionFactor, emissionFactorSource: outcome.emissionFactorSource,
            emissionRegion: outcome.emissionRegion)
    }
}
