import AssayCore

/// Everything the review screen can show about one prediction; the renderer decides what blind mode hides.
public struct ReviewPrediction: Sendable, Equatable {
    public let predictionID: PredictionID
    public let runID: RunID
    public let itemID: ItemID
    public let position: Int
    public let text: String
    public let goldLabel: String
    public let predictedLabel: String?
    public let parseStatus: ParseStatus
    public let reasoning: String?
    public let rawOutput: String
    public let modelName: String
    public let quantization: String?
    public let kind: TaskKind
    /// How the answer scored: options, extracted answer, code runs, overlap with references.
    public let outcome: ItemOutcome?

    public init(
        predictionID: PredictionID, runID: RunID, itemID: ItemID, position: Int, text: String, goldLabel: String,
        predictedLabel: String?, parseStatus: ParseStatus, reasoning: String?,
        rawOutput: String, modelName: String, quantization: String?, kind: TaskKind = .classification, outcome: ItemOutcome? = nil
    ) {
        self.kind = kind
        self.outcome = outcome
        self.predictionID = predictionID
        self.runID = runID
        self.itemID = itemID
        self.position = position
        self.text = text
        self.goldLabel = goldLabel
        self.predictedLabel = predictedLabel
        self.parseStatus = parseStatus
        self.reasoning = reasoning
        self.rawOutput = rawOutput
        self.modelName = modelName
        self.quantization = quantization
    }
}
