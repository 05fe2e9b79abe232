/// What a task asks of a model, and so how its answers are scored.
public enum TaskKind: String, Codable, Sendable, CaseIterable {
    /// One label of a fixed set, read from the answer (the case study's sentiment task).
    case classification
    /// One option of each item's own list, by the log-likelihood of each option or by generation.
    case multipleChoice = "multiple_choice"
    /// A final answer extracted from the reasoning (`#### 42`, "The answer is 42", `\boxed{42}`).
    case exactMatch = "exact_match"
    /// A Python function, checked by running the item's tests in a sandbox.
    case code
    /// Free text scored against reference texts (ROUGE-L, token F1).
    case generation

    /// The quality figures every run of this kind reports, in order (code adds one pass@k per k).
    public var qualityMetrics: [QualityMetric] {
        switch self {
        case .classification: [.accuracy]
        case .multipleChoice: [.accuracy, .normalizedAccuracy]
        case .exactMatch: [.exactMatch]
        case .code: [.passAt(1)]
        case .generation: [.rougeL, .tokenF1]
        }
    }

    public static var choiceList: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
