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

    /// One quality figure of a multiple-choice, exact-match, code or generation run.
    public struct Quality: Encodable, Sendable {
        public let metric: String
        public let name: String
        public let value: Double
        public let ci: ConfidenceInterval?
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
    /// The task kind; left out for classification, as metrics always printed it.
    public let kind: TaskKind?
    public let items: Int
    public let unparsed: Int
    public let unparsedPolicy: String
    /// The classification figures; nil for every other kind, which has `quality` instead.
    public let accuracy: Double?
    public let accuracyCi: ConfidenceInterval?
    public let macro: ClassificationMetrics.Average?
    public let macroF1Ci: ConfidenceInterval?
    public let weighted: ClassificationMetrics.Average?
    public let classes: [ClassRow]?
    public let confusionMatrix: Confusion?
    public let quality: [Quality]?
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
        kind = source.kind == .classification ? nil : source.kind
        // The unparsed policy is a classification choice; every other kind scores an unread answer 0.
        unparsedPolicy = metrics != nil ? policy.statement : "every item counts; an answer that could not be read scores 0"
        accuracyCi = evaluation.intervals?.accuracy
        macroF1Ci = evaluation.intervals?.macroF1
        if let metrics {
            items = metrics.itemCount
            unparsed = metrics.unparsedCount
            accuracy = metrics.accuracy
            macro = metrics.macro
            weighted = metrics.weighted
            classes = metrics.classes.map {
                ClassRow(label: $0.label, precision: $0.precision, recall: $0.recall, f1: $0.f1, support: $0.support)
            }
            let size = metrics.confusion.classCount
            confusionMatrix = Confusion(
                labels: metrics.classes.map(\.label) + ["unparsed"],
                rows: (0..<size).map { row in (0...size).map { metrics.confusion[row, $0 == size ? nil : $0] } })
            quality = nil
        } else {
            items = source.answers.count
            unparsed = source.answers.filter { $0.label == nil && source.kind != .generation }.count
            (accuracy, macro, weighted, classes, confusionMatrix) = (nil, nil, nil, nil, nil)
            quality = evaluation.quality.map {
                Quality(metric: $0.metric.key, name: $0.metric.displayName, value: $0.value, ci: $0.interval)
            }
        }
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
