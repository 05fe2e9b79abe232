import AssayCore
import AssayStore

/// A run's outcome with its classification metrics, their bootstrap intervals and its cost,
/// computed once for `assay metrics`, the results table, the confusion matrices and the chart.
public struct EvaluatedRun: Sendable {
    public let outcome: RunOutcome
    public let metrics: ClassificationMetrics
    /// Seeded percentile intervals; nil when no item is left.
    public let intervals: (accuracy: ConfidenceInterval, macroF1: ConfidenceInterval)?
    public let cost: RunCost

    public init(_ outcome: RunOutcome, policy: UnparsedPolicy, bootstrap: BootstrapSettings) throws {
        self.outcome = outcome
        let predictions = try outcome.predictions.labeledPredictions()
        metrics = ClassificationMetrics(predictions, policy: policy)
        intervals = metrics.itemCount > 0 ? try Bootstrap.accuracyAndMacroF1(predictions, policy: policy, settings: bootstrap) : nil
        cost = try outcome.predictions.cost()
    }
}
