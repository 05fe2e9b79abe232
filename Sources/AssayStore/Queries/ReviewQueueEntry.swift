import AssayCore

/// One prediction waiting in a review queue, with just what ordering and filtering need.
public struct ReviewQueueEntry: Sendable, Equatable {
    public let predictionID: PredictionID
    public let itemID: ItemID
    public let runID: RunID
    /// The item's 1-based row in its dataset file.
    public let position: Int
    public let goldLabel: String
    /// Nil when no single label could be read from the model's answer.
    public let predictedLabel: String?

    public init(predictionID: PredictionID, itemID: ItemID, runID: RunID, position: Int, goldLabel: String, predictedLabel: String?) {
        self.predictionID = predictionID
        self.itemID = itemID
        self.runID = runID
        self.position = position
        self.goldLabel = goldLabel
        self.predictedLabel = predictedLabel
    }

    /// Whether the prediction differs from the gold label (an unreadable answer counts as different).
    public var isMismatch: Bool { predictedLabel != goldLabel }
}
