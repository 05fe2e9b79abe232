import AssayCore

/// Every annotator's value on one rubric criterion, per prediction: the input of the agreement
/// statistics.
public struct CriterionScores: Sendable, Equatable {
    public let rubric: String
    public let rubricVersion: String
    public let criterion: String
    /// Annotator names, sorted.
    public let annotators: [String]
    /// One row per scored prediction (by prediction id), one value or nil per annotator.
    public let values: [[ScoreValue?]]
    public let predictionIDs: [PredictionID]
}
