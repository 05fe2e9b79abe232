/// Everything the review screen can show about one prediction; the renderer decides what blind mode hides.
public struct ReviewPrediction: Sendable, Equatable {
    public let predictionID: Int64
    public let runID: Int64
    public let itemID: Int64
    public let position: Int
    public let text: String
    public let goldLabel: String
    public let predictedLabel: String?
    public let parseStatus: PredictionRecord.ParseStatus
    public let reasoning: String?
    public let rawOutput: String
    public let modelName: String
    public let quantization: String?

    public init(predictionID: Int64, runID: Int64, itemID: Int64, position: Int, text: String, goldLabel: String,
                predictedLabel: String?, parseStatus: PredictionRecord.ParseStatus, reasoning: String?,
                rawOutput: String, modelName: String, quantization: String?) {
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
