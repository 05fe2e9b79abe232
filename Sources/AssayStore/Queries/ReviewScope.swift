/// Whose scores, under which rubric version and of which kind, a review session reads and writes.
public struct ReviewScope: Sendable, Equatable {
    public let annotatorID: Int64
    public let rubricID: Int64
    public let kind: ScoreRecord.Kind
    /// The runs under review; empty means every run in the database.
    public let runIDs: [Int64]

    public init(annotatorID: Int64, rubricID: Int64, kind: ScoreRecord.Kind, runIDs: [Int64]) {
        self.annotatorID = annotatorID
        self.rubricID = rubricID
        self.kind = kind
        self.runIDs = runIDs
    }
}
