/// What an answer that names no class does to the metrics.
public enum UnparsedPolicy: String, Sendable, CaseIterable, Codable {
    /// The item stays: a miss for its true class (lower recall and accuracy), but a prediction of
    /// no class, so it adds no false positive anywhere.
    case countAsWrong = "count-as-wrong"
    /// The item is left out of every figure.
    case exclude

    /// One sentence for reports.
    public var statement: String {
        switch self {
        case .countAsWrong:
            "unparsed answers count as wrong: a miss for their true class, a false positive for no class"
        case .exclude:
            "unparsed answers are excluded from every figure"
        }
    }
}
