import AssayCore
import AssayStore

/// The JSON and CSV shape of one run's metrics.
struct MetricsView: Encodable {
    struct Interval: Encodable {
        let lower: Double
        let upper: Double
        let level: Double
        let resamples: Int
        let seed: UInt64

        init(_ interval: ConfidenceInterval) {
            lower = interval.lower
            upper = interval.upper
            level = interval.level
            resamples = interval.resamples
            seed = interval.seed
        }
    }

    struct Average: Encodable {
        let precision: Double
        let recall: Double
        let f1: Double

        init(_ average: ClassificationMetrics.Average) {
            precision = average.precision
            recall = average.recall
            f1 = average.f1
        }
    }

    struct ClassRow: Encodable {
        let label: String
        let precision: Double
        let recall: Double
        let f1: Double
        let support: Int
    }

    struct Confusion: Encodable {
        /// Row and column order; the last column, `unparsed`, holds answers that named no class.
        let labels: [String]
        let rows: [[Int]]
    }

    struct Energy: Encodable {
        let kwh: Double
        let method: String
        /// "estimated" or "measured (rapl)".
        let label: String
        /// Numbers stay numbers; texts (a CPU model, a provenance sentence) stay texts.
        let constants: [String: EnergyConstant]
        let kwhPerQuery: Double?
    }

    struct Carbon: Encodable {
        let grams: Double
        let gramsPerQuery: Double?
        let emissionFactor: Double
        let emissionFactorSource: String
        let emissionFactorYear: Int?
        let region: String
        let pue: Double
        let factorOrigin: String?
    }

    let run: Int64
    let model: String
    let dataset: String
    let task: String
    let items: Int
    let unparsed: Int
    let unparsedPolicy: String
    let accuracy: Double
    let accuracyCi: Interval?
    let macro: Average
    let macroF1Ci: Interval?
    let weighted: Average
    let classes: [ClassRow]
    let confusionMatrix: Confusion
    let durationSeconds: Double?
    let secondsPerQuery: Double?
    let energy: Energy?
    let co2: Carbon?

    init(_ evaluation: EvaluatedRun) throws {
        let metrics = evaluation.metrics, cost = evaluation.cost
        run = evaluation.source.runID
        model = evaluation.source.modelName
        dataset = evaluation.source.datasetName
        task = evaluation.source.run.taskName
        items = metrics.itemCount
        unparsed = metrics.unparsedCount
        unparsedPolicy = evaluation.policy.statement
        accuracy = metrics.accuracy
        accuracyCi = evaluation.intervals.map { Interval($0.accuracy) }
        macro = Average(metrics.macro)
        macroF1Ci = evaluation.intervals.map { Interval($0.macroF1) }
        weighted = Average(metrics.weighted)
        classes = metrics.classes.map { ClassRow(label: $0.label, precision: $0.precision, recall: $0.recall, f1: $0.f1, support: $0.support) }
        let size = metrics.confusion.classCount
        confusionMatrix = Confusion(
            labels: evaluation.predictions.labels + ["unparsed"],
            rows: (0..<size).map { row in (0...size).map { metrics.confusion[row, $0 == size ? nil : $0] } })
        durationSeconds = cost.durationSeconds
        secondsPerQuery = cost.secondsPerItem
        let constants = try evaluation.source.energyConstants()
        energy = cost.energyKWh.map { kwh in
            Energy(kwh: kwh, method: cost.energyMethod ?? "unknown", label: cost.energyLabel ?? "unknown method",
                   constants: constants, kwhPerQuery: cost.kWhPerItem)
        }
        co2 = cost.carbon.map { carbon in
            Carbon(grams: carbon.grams, gramsPerQuery: cost.gramsPerItem, emissionFactor: carbon.factor.gramsPerKWh,
                   emissionFactorSource: carbon.factor.source, emissionFactorYear: carbon.factor.year,
                   region: carbon.factor.region, pue: carbon.powerUsageEffectiveness, factorOrigin: cost.factorOrigin)
        }
    }
}
