/// What a stored score is.
public enum ScoreKind: String, Codable, Sendable, CaseIterable {
    /// One annotator's judgement.
    case annotation
    /// The settled score after annotators disagreed; exports prefer it when present.
    case adjudication
}
