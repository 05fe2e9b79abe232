import AssayCore
import Foundation

/// A prediction with its item, its run's model and every score given to it: what one box of the
/// qualitative figure shows.
public struct ReviewedPrediction: Sendable, Equatable {
    /// One annotator's (or the adjudicator's) scores for the prediction under one rubric version.
    public struct Score: Sendable, Equatable {
        public let annotator: String
        public let kind: ScoreRecord.Kind
        public let rubricName: String
        public let rubricVersion: String
        public let criteria: [String: ScoreValue]
        public let comment: String?
        public let updatedAt: Date

        public init(annotator: String, kind: ScoreRecord.Kind, rubricName: String, rubricVersion: String,
                    criteria: [String: ScoreValue], comment: String?, updatedAt: Date) {
            self.annotator = annotator
            self.kind = kind
            self.rubricName = rubricName
            self.rubricVersion = rubricVersion
            self.criteria = criteria
            self.comment = comment
            self.updatedAt = updatedAt
        }
    }

    public let predictionID: Int64
    public let runID: Int64
    public let modelName: String
    public let quantization: String?
    public let datasetName: String
    public let itemID: Int64
    /// 1-based row of the item in its source file.
    public let itemPosition: Int
    public let text: String
    public let goldLabel: String
    public let predictedLabel: String?
    public let parseStatus: PredictionRecord.ParseStatus
    public let reasoning: String?
    /// Oldest first.
    public let scores: [Score]

    public init(predictionID: Int64, runID: Int64, modelName: String, quantization: String?, datasetName: String,
                itemID: Int64, itemPosition: Int, text: String, goldLabel: String, predictedLabel: String?,
                parseStatus: PredictionRecord.ParseStatus, reasoning: String?, scores: [Score]) {
        self.predictionID = predictionID
        self.runID = runID
        self.modelName = modelName
        self.quantization = quantization
        self.datasetName = datasetName
        self.itemID = itemID
        self.itemPosition = itemPosition
        self.text = text
        self.goldLabel = goldLabel
        self.predictedLabel = predictedLabel
        self.parseStatus = parseStatus
        self.reasoning = reasoning
        self.scores = scores
    }
}
