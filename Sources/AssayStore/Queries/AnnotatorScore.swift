import AssayCore
import Foundation

/// One stored score with the name of the annotator who gave it.
public struct AnnotatorScore: Sendable, Equatable {
    public let annotatorID: Int64
    public let annotator: String
    public let kind: ScoreRecord.Kind
    public let entry: ScoreEntry
    public let updatedAt: Date

    public init(annotatorID: Int64, annotator: String, kind: ScoreRecord.Kind, entry: ScoreEntry, updatedAt: Date) {
        self.annotatorID = annotatorID
        self.annotator = annotator
        self.kind = kind
        self.entry = entry
        self.updatedAt = updatedAt
    }
}
