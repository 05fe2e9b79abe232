import AssayAnalysis
import AssayCore
import AssayStore

extension EvaluatedRun {
    /// "smollm2 Q4_0, run 2": how charts and matrices name the run.
    var title: String {
        "\(ModelVariant.title(model: outcome.predictions.modelName, quantization: outcome.quantization)), run \(outcome.runID)"
    }

    /// The run's line in the results table; nil unless the run is a classification.
    public var tableRow: ResultsTableRow? {
        guard let metrics else { return nil }
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
