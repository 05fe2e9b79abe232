import AssayCore
import AssayStore
import Foundation
import Testing

@testable import AssayExport

@Suite("Choosing the figure's examples")
struct ExampleSelectionTests {
    private static func example(
        _ id: Int64, _ model: String, _ quantization: String, item: Int, gold: String,
        predicted: String?, adjudicated: Bool = false
    ) -> QualitativeExample {
        QualitativeExample(
            ReviewedPredictionFixture.make(
                id: PredictionID(id), model: model, quantization: quantization, item: item,
                gold: gold, predicted: predicted, adjudicated: adjudicated))
    }

    /// Six items: F16 answers everything right; Q4_0 misses items 2 and 5 and cannot answer item 6.
    private static let candidates: [QualitativeExample] = {
        let golds = ["negative", "negative", "neutral", "neutral", "positive", "positive"]
        let quantized: [String?] = ["negative", "neutral", "neutral", "neutral", "neutral", nil]
        var all: [QualitativeExample] = []
        for (index, gold) in golds.enumerated() {
            all.append(example(Int64(index + 1), "m F16", "F16", item: index + 1, gold: gold, predicted: gold))
        }
        for (index, gold) in golds.enumerated() {
            all.append(example(Int64(index + 11), "m Q4_0", "Q4_0", item: index + 1, gold: gold, predicted: quantized[index]))
        }
        return all
    }()

    @Test("key covers every gold label, consistent and inconsistent, as before/after pairs within the limit")
    func balanced() {
        let picked = ExampleSelection.key.pick(from: Self.candidates, limit: 8)
        #expect(picked.count == 8)
        #expect(Set(picked.map(\.goldLabel)) == ["negative", "neutral", "positive"])
        #expect(picked.contains { $0.verdict == .consistent } && picked.contains { $0.verdict != .consistent })
        for pair in stride(from: 0, to: picked.count, by: 2) {
            #expect(picked[pair].itemPosition == picked[pair + 1].itemPosition)
            #expect(picked[pair].quantization == "F16" && picked[pair + 1].quantization == "Q4_0")
        }
        #expect(Set(picked.map(\.itemPosition)).count == 4)
    }

    @Test("key prefers the items where quantization changed the verdict")
    func prefersChangedVerdicts() {
        let picked = ExampleSelection.key.pick(from: Self.candidates, limit: 2)
        // The first stratum is (negative, consistent): item 2 flips from right to wrong, item 1 does not.
        #expect(picked.map(\.predictionID) == [2, 12])
    }

    @Test("key puts an adjudicated example first in its stratum; all keeps the order and the limit")
    func adjudicatedAndAll() {
        var candidates = Self.candidates
        candidates.append(Self.example(30, "other", "Q8_0", item: 9, gold: "negative", predicted: "negative", adjudicated: true))
        #expect(ExampleSelection.key.pick(from: candidates, limit: 1).map(\.predictionID) == [30])
        #expect(ExampleSelection.all.pick(from: candidates, limit: 3).map(\.predictionID) == [1, 2, 3])
        #expect(ExampleSelection.all.pick(from: candidates, limit: nil).count == 13)
    }

    @Test("A prediction's adjudicated scores replace the annotators' and the verdict follows the labels")
    func evaluations() {
        let annotation = ReviewedPrediction.Score(
            annotator: "alice", kind: .annotation, rubricName: "r", rubricVersion: "1",
            criteria: ["b": .number(2), "a": .text("yes")], comment: "hm", updatedAt: Date())
        let adjudication = ReviewedPrediction.Score(
            annotator: "carol", kind: .adjudication, rubricName: "r", rubricVersion: "1",
            criteria: ["a": .text("no")], comment: nil, updatedAt: Date())
        func make(_ scores: [ReviewedPrediction.Score], predicted: String?) -> QualitativeExample {
            QualitativeExample(
                ReviewedPrediction(
                    predictionID: 1, runID: 1, modelName: "m", quantization: nil, datasetName: "d", itemID: 1, itemPosition: 1,
                    text: "t", goldLabel: "x", predictedLabel: predicted, parseStatus: predicted == nil ? .unparsed : .parsed,
                    reasoning: nil, scores: scores))
        }
        #expect(make([annotation], predicted: "x").evaluationLines == ["alice: a yes, b 2. hm"])
        let ordered = ReviewedPrediction.Score(
            annotator: "bob", kind: .annotation, rubricName: "r", rubricVersion: "1",
            criteria: ["b": .number(2), "a": .text("yes"), "c": .number(1)],
            criterionOrder: ["b", "a"], comment: nil, updatedAt: Date())
        #expect(make([ordered], predicted: "x").evaluationLines == ["bob: b 2, a yes, c 1"])
        #expect(make([annotation, adjudication], predicted: "y").evaluationLines == ["carol (adjudicated): a no"])
        #expect(make([], predicted: "y").verdict == .inconsistent)
        #expect(make([], predicted: nil).verdict == .unparsed)
    }
}
