import AssayCore
import AssayStore

/// A run's outcome with its metrics, their bootstrap intervals and its cost, computed once for
/// `assay metrics`, the results tables, the confusion matrices and the charts. A classification run
/// has classification metrics; every other kind has its quality figures (acc, pass@k, ROUGE-L ...).
public struct EvaluatedRun: Sendable {
    public let outcome: RunOutcome
    /// Nil unless the run's task is a classification.
    public let metrics: ClassificationMetrics?
    /// Seeded percentile intervals; nil when no item is left or the run is not a classification.
    public let intervals: (accuracy: ConfidenceInterval, macroF1: ConfidenceInterval)?
    /// Each quality figure of the run's task kind, the first being the headline one; empty for classification.
    public let quality: [QualityFigure]
    public let cost: RunCost

    public init(_ outcome: RunOutcome, policy: UnparsedPolicy, bootstrap: BootstrapSettings) throws {
        self.outcome = outcome
        let source = outcome.predictions
        if source.kind == .classification {
            let predictions = try source.labeledPredictions()
            let metrics = ClassificationMetrics(predictions, policy: policy)
            self.metrics = metrics
            intervals = metrics.itemCount > 0 ? try Bootstrap.accuracyAndMacroF1(predictions, policy: policy, settings: bootstrap) : nil
            quality = []
        } else {
            metrics = nil
            intervals = nil
            quality = source.qualityMetrics.map { QualityFigure(metric: $0, values: source.qualityValues($0), bootstrap: bootstrap) }
        }
        cost = try source.cost()
    }

    public var kind: TaskKind { outcome.predictions.kind }
}
