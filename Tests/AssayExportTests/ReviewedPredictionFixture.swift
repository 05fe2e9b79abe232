import AssayCore
import AssayStore
import Foundation

/// Reviewed predictions built in memory, with one annotator's (or the adjudicator's) score.
enum ReviewedPredictionFixture {
    static func make(
        id: PredictionID, model: String = "m F16", quantization: String = "F16", item: Int = 1,
        gold: String = "neutral", predicted: String? = "neutral", adjudicated: Bool = false,
        text: String? = nil
    ) -> ReviewedPrediction {
        let score = ReviewedPrediction.Score(
            annotator: adjudicated ? "carol" : "alice", kind: adjudicated ? .adjudication : .annotation,
            rubricName: "r", rubricVersion: "1", criteria: ["clarity": .number(4)], comment: nil, updatedAt: Date())
        return ReviewedPrediction(
            predictionID: id, runID: quantization == "F16" ? 1 : 2, modelName: model, quantization: quantization,
            datasetName: "d", itemID: ItemID(Int64(item)), itemPosition: item, text: text ?? "text \(item)", goldLabel: gold,
            predictedLabel: predicted, parseStatus: predicted == nil ? .unparsed : .parsed, reasoning: "r", scores: [score])
    }
}
