import AssayCore
import AssayExport
import AssayStore

/// The JSON and CSV shape of one run's metrics.
struct MetricsView: Encodable {
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

    let run: RunID
    let model: String
    let dataset: String
    let task: String
    let items: Int
    let unparsed: Int
    let unparsedPolicy: String
    let accuracy: Double
    let accuracyCi: ConfidenceInterval?
    let macro: ClassificationMetrics.Average
    let macroF1Ci: ConfidenceInterval?
    let weighted: ClassificationMetrics.Average
    let classes: [ClassRow]
    let confusionMatrix: Confusion
    let durationSeconds: Double?
    let secondsPerQuery: Double?
    let energy: Energy?
    let co2: Carbon?
    /// Where the model ran: in-process, local-server or remote-server.
    let energyScope: EnergyScope?
    /// Why energy and CO2 have no figure ("not measured (remote server)"); nil when they have one.
    let energyNotMeasured: String?

    init(_ evaluation: EvaluatedRun, policy: UnparsedPolicy) throws {
        let metrics = evaluation.metrics, cost = evaluation.cost, source = evaluation.outcome.predictions
        run = source.runID
        model = source.modelName
        dataset = source.datasetName
        task = source.run.taskName
        items = metrics.itemCount
        unparsed = metrics.unparsedCount
        unparsedPolicy = policy.statement
        accuracy = metrics.accuracy
        accuracyCi = evaluation.intervals?.accuracy
        macro = metrics.macro
        macroF1Ci = evaluation.intervals?.macroF1
        weighted = metrics.weighted
        classes = metrics.classes.map { ClassRow(label: $0.label, precision: $0.precision, recall: $0.recall, f1: $0.f1, support: $0.support) }
        let size = metrics.confusion.classCount
        confusionMatrix = Confusion(
            labels: metrics.classes.map(\.label) + ["unparsed"],
            rows: (0..<size).map { row in (0...size).map { metrics.confusion[row, $0 == size ? nil : $0] } })
        durationSeconds = cost.durationSeconds
        secondsPerQuery = cost.secondsPerItem
        let constants = source.run.energyConstants ?? [:]
        energy = cost.energyKWh.map { kwh in
            Energy(kwh: kwh, method: cost.energyMethod?.rawValue ?? "unknown", label: cost.energyLabel ?? "unknown method",
                   constants: constants, kwhPerQuery: cost.kWhPerItem)
        }
        energyScope = cost.scope
        energyNotMeasured = cost.notMeasuredReason
        co2 = cost.carbon.map { carbon in
            Carbon(grams: carbon.grams, gramsPerQuery: cost.gramsPerItem, emissionFactor: carbon.factor.gramsPerKWh,
                   emissionFactorSource: carbon.factor.source, emissionFactorYear: carbon.factor.year,
                   region: carbon.factor.region, pue: carbon.powerUsageEffectiveness, factorOrigin: cost.factorOrigin)
        }
    }
}
