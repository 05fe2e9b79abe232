/// What an annotator typed for one prediction: a value per criterion and an optional comment.
public struct ScoreEntry: Sendable, Equatable {
    public let values: [String: ScoreValue]
    public let comment: String?

    public init(values: [String: ScoreValue], comment: String?) {
        self.values = values
        self.comment = comment
    }
}
