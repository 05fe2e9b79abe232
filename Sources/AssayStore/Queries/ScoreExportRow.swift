import AssayCore
import Foundation

/// One stored score with everything needed to read it on its own: the prediction it judges, the
/// item, the run and model, the annotator and the rubric version.
public struct ScoreExportRow: Sendable, Equatable, Codable {
    public let scoreID: ScoreID
    public let kind: ScoreKind
    public let annotator: String
    public let rubricName: String
    public let rubricVersion: String
    public let rubricContentHash: String
    public let criteria: [String: ScoreValue]
    /// The rubric's criteria in the order its file lists them (empty when the stored definition
    /// cannot be read).
    public let rubricCriteria: [String]
    public let comment: String?
    public let createdAt: Date
    public let updatedAt: Date
    public let predictionID: PredictionID
    public let predictedLabel: String?
    public let parseStatus: ParseStatus
    public let reasoning: String?
    public let itemID: ItemID
    public let itemPosition: Int
    public let itemText: String
    public let goldLabel: String
    public let datasetName: String
    public let runID: RunID
    public let taskName: String
    public let modelName: String
    public let quantization: String?
}
