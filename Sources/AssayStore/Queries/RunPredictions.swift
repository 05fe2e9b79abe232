import AssayCore
import AssaySupport

/// A run with its model, dataset and every prediction, as the metrics need them.
public struct RunPredictions: Sendable {
    /// One item's gold label and the run's answer.
    public struct Answer: Sendable, Equatable {
        public let itemID: ItemID
        /// The item's 1-based row in the dataset file.
        public let position: Int
        public let goldLabel: String
        /// Nil unless the answer parsed to exactly one label.
        public let label: String?
        public let latencySeconds: Double?
        /// How the answer scored, for every kind but classification.
        public let outcome: ItemOutcome?
    }

    public let runID: RunID
    public let run: RunRecord
    public let modelName: String
    public let datasetName: String
    public let kind: TaskKind
    /// The dataset's labels in the user's order, then any other label the run answered, sorted.
    public let labels: [String]
    /// In dataset order.
    public let answers: [Answer]

    /// Each item's value of `metric`, in dataset order; an answer with no value counts 0.
    public func qualityValues(_ metric: QualityMetric) -> [Double] {
        answers.map { $0.outcome?.score(metric) ?? 0 }
    }

    /// The quality figures the run's task reports (its stored task file names its pass@k).
    public var qualityMetrics: [QualityMetric] {
        (try? TaskDefinition(yaml: run.taskDefinition, origin: "run \(runID)'s task"))?.qualityMetrics ?? kind.qualityMetrics
    }

    /// The answers coded for the metrics; an ambiguous or unparsed answer is unparsed.
    public func labeledPredictions() throws -> LabeledPredictions {
        try LabeledPredictions(truth: answers.map(\.goldLabel), predicted: answers.map(\.label), labels: labels)
    }

}
