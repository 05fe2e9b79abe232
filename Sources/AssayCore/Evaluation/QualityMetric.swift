/// A per-item quality figure: its value for one item is stored with the prediction, and a run's
/// figure is the mean over its items.
public struct QualityMetric: Hashable, Sendable {
    /// The stored key: "acc", "acc_norm", "exact_match", "pass@1", "rouge_l", "token_f1".
    public let key: String

    public init(key: String) {
        self.key = key
    }

    public static let accuracy = QualityMetric(key: "acc")
    /// lm-evaluation-harness's acc_norm: options compared by log-likelihood per character.
    public static let normalizedAccuracy = QualityMetric(key: "acc_norm")
    public static let exactMatch = QualityMetric(key: "exact_match")
    public static let rougeL = QualityMetric(key: "rouge_l")
    public static let tokenF1 = QualityMetric(key: "token_f1")

    /// pass@k from n samples per problem (the unbiased estimator of Chen et al. 2021).
    public static func passAt(_ k: Int) -> QualityMetric { QualityMetric(key: "pass@\(k)") }

    /// The k of a pass@k metric.
    public var passK: Int? {
        key.hasPrefix("pass@") ? Int(key.dropFirst(5)) : nil
    }

    /// The name printed in tables.
    public var displayName: String {
        switch key {
        case "acc": "accuracy"
        case "acc_norm": "accuracy (length-normalised)"
        case "exact_match": "exact match"
        case "rouge_l": "ROUGE-L F"
        case "token_f1": "token F1"
        default: key
        }
    }
}
