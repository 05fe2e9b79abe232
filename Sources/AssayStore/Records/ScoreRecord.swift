import AssayCore
import Foundation
import GRDB

/// One annotator's scores for one prediction under one rubric version. Every insert, update and
/// delete is copied into `score_history` by triggers.
public struct ScoreRecord: AssayRecord, Equatable {
    public static let databaseTableName = "score"

    public var id: ScoreID?
    public var predictionId: PredictionID
    public var annotatorId: AnnotatorID
    public var rubricId: RubricID
    public var kind: ScoreKind
    /// Criterion name -> value (a number on an ordinal scale, or a category name), stored as JSON.
    public var criteria: [String: ScoreValue]
    public var comment: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: ScoreID? = nil, predictionId: PredictionID, annotatorId: AnnotatorID, rubricId: RubricID, kind: ScoreKind = .annotation,
        criteria: [String: ScoreValue], comment: String? = nil, createdAt: Date = Date(), updatedAt: Date = Date()
    ) {
        self.id = id
        self.predictionId = predictionId
        self.annotatorId = annotatorId
        self.rubricId = rubricId
        self.kind = kind
        self.criteria = criteria
        self.comment = comment
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
