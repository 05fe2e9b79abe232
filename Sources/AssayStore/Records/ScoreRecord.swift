import AssayCore
import Foundation
import GRDB

/// One annotator's scores for one prediction under one rubric version. Every insert, update and
/// delete is copied into `score_history` by triggers.
public struct ScoreRecord: AssayRecord, Equatable {
    public static let databaseTableName = "score"

    public enum Kind: String, Codable, Sendable {
        case annotation
        /// The settled score after annotators disagreed; exports prefer it when present.
        case adjudication
    }

    public var id: Int64?
    public var predictionId: Int64
    public var annotatorId: Int64
    public var rubricId: Int64
    public var kind: Kind
    /// Criterion name -> value (a number on an ordinal scale, or a category name), stored as JSON.
    public var criteria: [String: ScoreValue]
    public var comment: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: Int64? = nil, predictionId: Int64, annotatorId: Int64, rubricId: Int64, kind: Kind = .annotation,
                criteria: [String: ScoreValue], comment: String? = nil, createdAt: Date = Date(), updatedAt: Date = Date()) {
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
