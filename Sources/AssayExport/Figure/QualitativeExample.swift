import AssayCore
import AssayStore

/// One box of the qualitative figure: a text, its gold label, what a model predicted and why,
/// and how the experts judged it.
public struct QualitativeExample: Sendable, Codable, Equatable {
    /// Whether the prediction matches the gold label.
    public enum Verdict: String, Sendable, Codable {
        case consistent, inconsistent
        /// The answer named no single label.
        case unparsed

        public var title: String {
            switch self {
            case .consistent: "Consistent"
            case .inconsistent: "Inconsistent"
            case .unparsed: "No label in the answer"
            }
        }
    }

    /// One criterion's value, ready to print.
    public struct CriterionValue: Sendable, Codable, Equatable {
        public let criterion: String
        public let value: String
    }

    /// One person's judgement of the prediction.
    public struct Evaluation: Sendable, Codable, Equatable {
        public let annotator: String
        /// The settled score after annotators disagreed.
        public let adjudicated: Bool
        public let rubric: String
        public let rubricVersion: String
        /// By criterion name.
        public let scores: [CriterionValue]
        public let comment: String?
    }

    public let predictionID: PredictionID
    public let runID: RunID
    public let model: String
    public let quantization: String?
    public let dataset: String
    public let itemPosition: Int
    public let text: String
    public let goldLabel: String
    public let predictedLabel: String?
    public let reasoning: String?
    public let verdict: Verdict
    /// The adjudicated scores when there are any, else every annotator's scores.
    public let evaluations: [Evaluation]

    public init(_ prediction: ReviewedPrediction) {
        predictionID = prediction.predictionID
        runID = prediction.runID
        model = prediction.modelName
        quantization = prediction.quantization
        dataset = prediction.datasetName
        itemPosition = prediction.itemPosition
        text = prediction.text
        goldLabel = prediction.goldLabel
        predictedLabel = prediction.predictedLabel
        reasoning = prediction.reasoning
        verdict = prediction.predictedLabel.map { $0 == prediction.goldLabel ? .consistent : .inconsistent } ?? .unparsed
        let adjudications = prediction.scores.filter { $0.kind == .adjudication }
        evaluations = (adjudications.isEmpty ? prediction.scores : adjudications).map { score in
            Evaluation(
                annotator: score.annotator, adjudicated: score.kind == .adjudication, rubric: score.rubricName,
                rubricVersion: score.rubricVersion,
                scores: CriterionOrder.arrange(score.criteria.keys, rubricOrders: [score.criterionOrder]).map {
                    CriterionValue(criterion: $0, value: score.criteria[$0]?.description ?? "")
                },
                comment: score.comment)
        }
    }

    var variant: ModelVariant { ModelVariant(modelName: model, quantization: quantization) }

    /// "smollm2 (Q4_0)": the model as a box title names it.
    var modelTitle: String { ModelVariant.title(model: model, quantization: quantization) }

    /// One line per evaluation: who, the scores, and the comment.
    var evaluationLines: [String] {
        evaluations.map { evaluation in
            let who = evaluation.annotator + (evaluation.adjudicated ? " (adjudicated)" : "")
            let scores = evaluation.scores.map { "\($0.criterion) \($0.value)" }.joined(separator: ", ")
            var line = scores.isEmpty ? who : "\(who): \(scores)"
            if let comment = evaluation.comment, !comment.isEmpty { line += ". \(comment)" }
            return line
        }
    }
}
