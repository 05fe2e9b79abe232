import AssayCore
import Foundation

/// One stored score with everything needed to read it on its own: the prediction it judges, the
/// item, the run and model, the annotator and the rubric version.
public struct ScoreExportRow: Sendable, Equatable, Codable {
    public let scoreID: Int64
    public let kind: ScoreRecord.Kind
    public let annotator: String
    public let rubricName: String
    public let rubricVersion: String
    public let rubricContentHash: String
    public let criteria: [String: ScoreValue]
    public let comment: String?
    public let createdAt: Date
    public let updatedAt: Date
    public let predictionID: Int64
    public let predictedLabel: String?
    public let parseStatus: PredictionRecord.ParseStatus
    public let reasoning: String?
    public let itemID: Int64
    public let itemPosition: Int
    public let itemText: String
    public let goldLabel: String
    public let datasetName: String
    public let runID: Int64
    public let taskName: String
    public let modelName: String
    public let quantization: String?
}
