import AssayCore
import Foundation

/// A prediction with its item, its run's model and every score given to it: what one box of the
/// qualitative figure shows.
public struct ReviewedPrediction: Sendable, Equatable {
    /// One annotator's (or the adjudicator's) scores for the prediction under one rubric version.
    public struct Score: Sendable, Equatable {
        public let annotator: String
        public let kind: ScoreKind
        public let rubricName: String
        public let rubricVersion: String
        public let criteria: [String: ScoreValue]
        /// The rubric's criteria in the order its file lists them (empty when the stored
        /// definition cannot be read).
        public let criterionOrder: [String]
        public let comment: String?
        public let updatedAt: Date

        public init(
            annotator: String, kind: ScoreKind, rubricName: String, rubricVersion: String,
            criteria: [String: ScoreValue], criterionOrder: [String] = [], comment: String?, updatedAt: Date
        ) {
            self.annotator = annotator
            self.kind = kind
            self.rubricName = rubricName
            self.rubricVersion = rubricVersion
            self.criteria = criteria
            self.criterionOrder = criterionOrder
            self.comment = comment
            self.updatedAt = updatedAt
        }
    }

    public let predictionID: PredictionID
    public let runID: RunID
    public let modelName: String
    public let quantization: String?
    public let datasetName: String
    public let itemID: ItemID
    /// 1-based row of the item in its source file.
    public let itemPosition: Int
    public let text: String
    public let goldLabel: String
    public let predictedLabel: String?
    public let parseStatus: ParseStatus
    public let reasoning: String?
    /// Oldest first.
    public let scores: [Score]

    public init(
        predictionID: PredictionID, runID: RunID, modelName: String, quantization: String?, datasetName: String,
        itemID: ItemID, itemPosition: Int, text: String, goldLabel: String, predictedLabel: String?,
        parseStatus: ParseStatus, reasoning: String?, scores: [Score]
    ) {
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
