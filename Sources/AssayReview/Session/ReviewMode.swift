/// What a session scores.
public enum ReviewMode: Sendable, Equatable {
    /// Ordinary scoring, one score per annotator and prediction.
    case annotation
    /// Settling disagreements: serves only predictions whose annotations differ by more than
    /// `threshold` on some criterion, shows every annotator's score, and stores adjudications.
    case adjudication(threshold: Double)
}
