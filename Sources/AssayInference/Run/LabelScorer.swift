import AssayCore
import AssayEngine
import Foundation

/// Score mode: the label whose continuation is most probable after the prompt and the task's
/// assistant prefix, optionally divided by the same probabilities for content-free inputs
/// (contextual calibration, Zhao et al. 2021); then the reasoning is generated after that label.
struct LabelScorer: Sendable {
    let backend: any LabelScoringBackend
    let task: TaskDefinition

    /// Label probabilities for `text`, normalised over the task's labels, and the tokens evaluated for them.
    func probabilities(for text: String, using predictor: Predictor) async throws -> (
        logProbabilities: [Double], probabilities: [Double], evaluatedTokens: Int
    ) {
        let continuations = task.labels.map(task.scoring.continuation(for:))
        let request = predictor.request(for: text, assistantPrefix: task.scoring.assistantPrefix)
        let scores = try await backend.logProbabilities(of: continuations, after: request)
        return (scores.logProbabilities, Self.normalised(scores.logProbabilities), scores.evaluatedTokens)
    }

    /// The mean label probabilities over the content-free inputs.
    func contentFreeProbabilities(using predictor: Predictor) async throws -> [Double] {
        var sum = [Double](repeating: 0, count: task.labels.count)
        for input in task.scoring.contentFreeInputs {
            let probabilities = try await probabilities(for: input, using: predictor).probabilities
            for index in sum.indices { sum[index] += probabilities[index] }
        }
        let count = Double(max(1, task.scoring.contentFreeInputs.count))
        return sum.map { $0 / count }
    }

    func classify(_ text: String, using predictor: Predictor, calibration: [Double]?) async throws -> (
        answer: ParsedAnswer, rawOutput: String, completion: Completion
    ) {
        let scored = try await probabilities(for: text, using: predictor)
        let final = calibration.map { Self.calibrated(scored.probabilities, by: $0) } ?? scored.probabilities
        let best = final.indices.max { final[$0] < final[$1] } ?? 0
        let label = task.labels[best]
        let prefix = task.scoring.assistantPrefix + task.scoring.continuation(for: label)
        var completion = try await backend.complete(predictor.request(for: text, assistantPrefix: prefix))
        let reasoning = AnswerParser.cleanReasoning(completion.text)
        var scores: [String: Any] = [:]
        for (index, name) in task.labels.enumerated() {
            var entry: [String: Any] = ["log_probability": scored.logProbabilities[index], "probability": scored.probabilities[index]]
            if calibration != nil { entry["calibrated_probability"] = final[index] }
            scores[name] = entry
        }
        var timings: [String: Any] = ["label_scores": scores, "evaluated_tokens": scored.evaluatedTokens]
        if let generation = completion.backendTimings.flatMap({ JSONObject.parse(Data($0.utf8)) }) {
            timings["reasoning_generation"] = generation
            // Scoring and the reasoning both ran on the engine: the item's share of a batch counts both.
            if let reasoningTokens = JSONObject.double(generation["evaluated_tokens"]) {
                timings["evaluated_tokens"] = scored.evaluatedTokens + Int(reasoningTokens)
            }
        }
        completion.backendTimings = (try? JSONSerialization.data(withJSONObject: timings, options: [.sortedKeys]))
            .map { String(decoding: $0, as: UTF8.self) }
        return (
            ParsedAnswer(label: label, reasoning: reasoning.isEmpty ? nil : reasoning, status: .parsed),
            prefix + completion.text, completion
        )
    }

    /// Softmax of log-probabilities, stable for very negative values.
    static func normalised(_ logProbabilities: [Double]) -> [Double] {
        guard let top = logProbabilities.max(), top.isFinite else {
            return logProbabilities.map { _ in 1 / Double(max(1, logProbabilities.count)) }
        }
        let weights = logProbabilities.map { exp($0 - top) }
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }

    /// p / q, renormalised; a zero q leaves that label's probability as it was.
    static func calibrated(_ probabilities: [Double], by contentFree: [Double]) -> [Double] {
        let divided = zip(probabilities, contentFree).map { p, q in q > 0 ? p / q : p }
        let total = divided.reduce(0, +)
        return total > 0 ? divided.map { $0 / total } : probabilities
    }
}
