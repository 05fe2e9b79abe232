import AssayCore
import AssayStore

/// The JSON and CSV shape of one run's metrics.
public struct MetricsView: Encodable, Sendable {
    public struct ClassRow: Encodable, Sendable {
        public let label: String
        public let precision: Double
        public let recall: Double
        public let f1: Double
        public let support: Int
    }

    public struct Confusion: Encodable, Sendable {
        /// Row and column order; the last column, `unparsed`, holds answers that named no class.
        public let labels: [String]
        public let rows: [[Int]]
    }

    public struct Energy: Encodable, Sendable {
        public let kwh: Double
        public let method: String
        /// "estimated" or "measured (rapl)".
        public let label: String
        /// Numbers stay numbers; texts (a CPU model, a provenance sentence) stay texts.
        public let constants: [String: EnergyConstant]
        public let kwhPerQuery: Double?
    }

    public struct Carbon: Encodable, Sendable {
        public let grams: Double
        public let gramsPerQuery: Double?
        public let emissionFactor: Double
        public let emissionFactorSource: String
        public let emissionFactorYear: Int?
        public let region: String
        public let pue: Double
        public let factorOrigin: String?
    }

    public let run: RunID
    public let model: String
    public let dataset: String
    public let task: String
    public let items: Int
    public let unparsed: Int
    public let unparsedPolicy: String
    public let accuracy: Double
    public let accuracyCi: ConfidenceInterval?
    public let macro: ClassificationMetrics.Average
    public let macroF1Ci: ConfidenceInterval?
    public let weighted: ClassificationMetrics.Average
    public let classes: [ClassRow]
    public let confusionMatrix: Confusion
    public let durationSeconds: Double?
    public let secondsPerQuery: Double?
    public let energy: Energy?
    public let co2: Carbon?
    /// Where the model ran: in-process, local-server or remote-server.
    public let energyScope: EnergyScope?
    /// Why energy and CO2 have no figure ("not measured (remote server)"); nil when they have one.
    public let energyNotMeasured: String?

    public init(_ evaluation: EvaluatedRun, policy: UnparsedPolicy) throws {
        let metrics = evaluation.metrics
        let cost = evaluation.cost
        let source = evaluation.outcome.predictions
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
        classes = metrics.classes.map {
            ClassRow(label: $0.label, precision: $0.precision, recall: $0.recall, f1: $0.f1, support: $0.support)
        }
        let size = metrics.confusion.classCount
        confusionMatrix = Confusion(
            labels: metrics.classes.map(\.label) + ["unparsed"],
            rows: (0..<size).map { row in (0...size).map { metrics.confusion[row, $0 == size ? nil : $0] } })
        durationSeconds = cost.durationSeconds
        secondsPerQuery = cost.secondsPerItem
        let constants = source.run.energyConstants ?? [:]
        energy = cost.energyKWh.map { kwh in
            Energy(
                kwh: kwh, method: cost.energyMethod?.rawValue ?? "unknown", label: cost.energyLabel ?? "unknown method",
                constants: constants, kwhPerQuery: cost.kWhPerItem)
        }
        energyScope = cost.scope
        // Only a run that knows where it ran can say why it has no figure; one with no stored scope
        // (imported, or made before scopes were stored) leaves the key out, as metrics always did.
        energyNotMeasured = cost.scope == nil ? nil : cost.notMeasuredReason
        co2 = cost.carbon.map { carbon in
            Carbon(
                grams: carbon.grams, gramsPerQuery: cost.gramsPerItem, emissionFactor: carbon.factor.gramsPerKWh,
                emissionFactorSource: carbon.factor.source, emissionFactorYear: carbon.factor.year,
                region: carbon.factor.region, pue: carbon.powerUsageEffectiveness, factorOrigin: cost.factorOrigin)
        }
    }
}
