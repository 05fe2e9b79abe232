/// What the numbers of a scale mean, which decides how far apart two different scores are.
public enum MeasurementLevel: String, Sendable, CaseIterable {
    /// Categories: scores are only equal or not.
    case nominal
    /// Ranks: the distance between two scores grows with how many scores fall between them.
    case ordinal
    /// Numbers with meaningful differences: squared difference.
    case interval
}
