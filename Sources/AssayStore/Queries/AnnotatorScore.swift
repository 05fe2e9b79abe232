import AssayCore
import Foundation

/// One stored score with the name of the annotator who gave it.
public struct AnnotatorScore: Sendable, Equatable {
    public let annotatorID: AnnotatorID
    public let annotator: String
    public let kind: ScoreKind
    public let entry: ScoreEntry
    public let updatedAt: Date

    public init(annotatorID: AnnotatorID, annotator: String, kind: ScoreKind, entry: ScoreEntry, updatedAt: Date) {
        self.annotatorID = annotatorID
        self.annotator = annotator
        self.kind = kind
        self.entry = entry
        self.updatedAt = updatedAt
    }
}
