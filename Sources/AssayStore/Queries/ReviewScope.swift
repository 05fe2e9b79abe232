import AssayCore

/// Whose scores, under which rubric version and of which kind, a review session reads and writes.
public struct ReviewScope: Sendable, Equatable {
    public let annotatorID: AnnotatorID
    public let rubricID: RubricID
    public let kind: ScoreKind
    /// The runs under review; empty means every run in the database.
    public let runIDs: [RunID]

    public init(annotatorID: AnnotatorID, rubricID: RubricID, kind: ScoreKind, runIDs: [RunID]) {
        self.annotatorID = annotatorID
        self.rubricID = rubricID
        self.kind = kind
        self.runIDs = runIDs
    }
}
