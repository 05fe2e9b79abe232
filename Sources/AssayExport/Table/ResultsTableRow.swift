import AssayCore

/// One run's line in the results table: macro-averaged metrics over the run's items and what
/// the run emitted.
public struct ResultsTableRow: Sendable, Codable, Equatable {
    public let runID: RunID
    public let model: String
    public let family: String
    public let quantization: String?
    public let dataset: String
    public let task: String
    /// Items counted by the metrics.
    public let items: Int
    /// Answers that named no label (counted as the unparsed policy says).
    public let unparsed: Int
    public let precision: Double
    public let recall: Double
    public let f1: Double
    public let accuracy: Double
    /// 95 % bootstrap intervals, with the resamples and seed that reproduce them.
    public let accuracyInterval: ConfidenceInterval?
    public let macroF1Interval: ConfidenceInterval?
    public let energyKwh: Double?
    /// How the energy was obtained: "estimated" or "measured (rapl)".
    public let energy: String?
    public let co2GramsPerRun: Double?
    /// The run's CO2 divided by its number of predictions.
    public let co2GramsPerQuery: Double?
    /// The grid factor behind the CO2 figures, with its region, year, source and origin.
    public let emissionFactor: String?
    /// The change in CO2 per query against the first (most precise) run of the same family:
    /// -0.45 is 45 % less. Nil for that first run and when either run lacks a CO2 figure.
    public internal(set) var co2ChangeFromBaseline: Double?
    /// With `--changes`: what quantization changed against the same baseline run.
    public internal(set) var changes: Changes?

    /// Items that flipped against the baseline, and its next-token divergence where `assay divergence` measured the pair.
    public struct Changes: Sendable, Codable, Equatable {
        public let rightToWrong: Int
        public let wrongToRight: Int
        public let meanKld: Double?
        public let sameTopToken: Double?

        public init(rightToWrong: Int, wrongToRight: Int, meanKld: Double?, sameTopToken: Double?) {
            self.rightToWrong = rightToWrong
            self.wrongToRight = wrongToRight
            self.meanKld = meanKld
            self.sameTopToken = sameTopToken
        }
    }

    public init(
        runID: RunID, model: String, quantization: String?, dataset: String, task: String, items: Int,
        unparsed: Int, precision: Double, recall: Double, f1: Double, accuracy: Double,
        accuracyInterval: ConfidenceInterval? = nil, macroF1Interval: ConfidenceInterval? = nil, energyKwh: Double?,
        energy: String?, co2GramsPerRun: Double?, co2GramsPerQuery: Double?, emissionFactor: String?
    ) {
        self.runID = runID
        self.model = model
        self.family = ModelVariant(modelName: model, quantization: quantization).family
        self.quantization = quantization
        self.dataset = dataset
        self.task = task
        self.items = items
        self.unparsed = unparsed
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        self.accuracy = accuracy
        self.accuracyInterval = accuracyInterval
        self.macroF1Interval = macroF1Interval
        self.energyKwh = energyKwh
        self.energy = energy
        self.co2GramsPerRun = co2GramsPerRun
        self.co2GramsPerQuery = co2GramsPerQuery
        self.emissionFactor = emissionFactor
    }

    var variant: ModelVariant { ModelVariant(modelName: model, quantization: quantization) }
}
