import AssayCore
import AssayStore

/// One run's figures as `metrics` and `compare` report them: the metrics under the chosen
/// unparsed policy, their bootstrap intervals, and what the run cost.
struct EvaluatedRun {
    let source: RunPredictions
    let predictions: LabeledPredictions
    let policy: UnparsedPolicy
    let metrics: ClassificationMetrics
    /// Nil when no item is left to resample.
    let intervals: (accuracy: ConfidenceInterval, macroF1: ConfidenceInterval)?
    let cost: RunCost

    init(_ source: RunPredictions, policy: UnparsedPolicy, bootstrap: BootstrapSettings) throws {
        self.source = source
        self.policy = policy
        predictions = try source.labeledPredictions()
        metrics = ClassificationMetrics(predictions, policy: policy)
        intervals = metrics.itemCount > 0 ? try Bootstrap.accuracyAndMacroF1(predictions, policy: policy, settings: bootstrap) : nil
        cost = try Self.cost(of: source)
    }

    static func cost(of source: RunPredictions) throws -> RunCost {
        let run = source.run
        return try RunCost(
            itemCount: source.answers.count, durationSeconds: run.durationSeconds, energyKWh: run.energyKwh,
            energyMethod: run.energyMethod,
            storedFactor: run.emissionFactor, storedFactorSource: run.emissionFactorSource,
            region: run.emissionRegion, powerUsageEffectiveness: run.pue)
    }
}
