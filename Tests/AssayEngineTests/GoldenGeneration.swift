import AssayEngine
import Foundation
import Testing

/// A golden generation file: llama.cpp's greedy tokens after each prompt, and its top-10
/// probabilities at each generated position (Tests/Fixtures/golden/generation.json and the K-quant
/// fixtures in Tests/Fixtures share this layout), with the checks the golden tests make.
struct GoldenGeneration: Decodable {
    struct Case: Decodable {
        struct Position: Decodable {
            struct Candidate: Decodable {
                let id: Int
                let prob: Double
            }
            let pos: Int
            let top10: [Candidate]
        }
        let dataset_row: Int
        let prompt_text: String
        let prompt_token_ids: [Int]
        let first48_token_ids: [Int]
        let per_position_top10: [Position]
    }
    let cases: [Case]

    /// Positions where llama.cpp's two best tokens are closer than this are near ties: ids must be
    /// equal before the first of them.
    static let nearTieGap = 0.05
    /// Top-10 probabilities agree within this at every position.
    static let tolerance = 0.02
    /// The bound where the engine sums in the fixture's order, to the bit: what is left is the
    /// fixture's rounding of float64 probabilities.
    static let exactTolerance = 1e-5

    init(contentsOf url: URL) throws {
        self = try JSONDecoder().decode(GoldenGeneration.self, from: Data(contentsOf: url))
    }

    /// Greedy generation gives llama.cpp's ids up to the first near tie: where the ids first differ,
    /// llama.cpp's two best tokens are near-tied and the engine took the other one. When
    /// `pastNearTies` (a model whose arithmetic follows llama.cpp's to the bit) all ids are equal.
    /// `order` names the llama.cpp build the file came from. Each case starts from an empty cache,
    /// as llama.cpp's did: a batch's float order depends on its size (ck_matmul_batched_tokens), so
    /// a prompt evaluated after a reused prefix is not summed as the whole prompt is.
    /// Returns, per case, the first position whose ids differ (nil when all are equal).
    @discardableResult
    func expectGreedyIDs(model: EngineModel, order: FloatOrder, pastNearTies: Bool) throws -> [Int?] {
        var firstDifferences: [Int?] = []
        for testCase in cases {
            let session = try Session(model: model, threads: 2, order: order)
            #expect(model.tokenizer.encode(testCase.prompt_text) == testCase.prompt_token_ids)
            let expected = testCase.first48_token_ids
            let result = try session.generate(promptIDs: testCase.prompt_token_ids, options: .greedy(maxTokens: expected.count))
            let difference =
                (0..<min(result.ids.count, expected.count)).first { result.ids[$0] != expected[$0] }
                ?? (result.ids.count == expected.count ? nil : min(result.ids.count, expected.count))
            firstDifferences.append(difference)
            if pastNearTies {
                // The engine stops at the end-of-generation token where llama.cpp's fixture ran on.
                let stoppedWhereExpected =
                    result.stopReason == .endOfGeneration && result.ids.count < expected.count
                    && expected.starts(with: result.ids)
                    && model.tokenizer.vocabulary.endOfGenerationIDs.contains(expected[result.ids.count])
                #expect(
                    result.ids == expected || stoppedWhereExpected,
                    "row \(testCase.dataset_row): ids differ from position \(difference ?? -1)")
            } else if let difference {
                let top = try #require(testCase.per_position_top10.first { $0.pos == difference }?.top10)
                let gap = top.count > 1 ? top[0].prob - top[1].prob : 1
                let tookRunnerUp = difference < result.ids.count && top.count > 1 && result.ids[difference] == top[1].id
                #expect(
                    gap < Self.nearTieGap && tookRunnerUp,
                    "row \(testCase.dataset_row): ids differ at position \(difference), where llama.cpp's two best tokens are \(gap) apart")
            }
        }
        return firstDifferences
    }

    /// With llama.cpp's own tokens forced (so every position is compared, even after a tie), each
    /// top-10 probability is within `tolerance`. Returns the largest difference per case.
    @discardableResult
    func expectTopTenProbabilities(model: EngineModel, order: FloatOrder, tolerance: Double = Self.tolerance) throws -> [Double] {
        var worstPerCase: [Double] = []
        for testCase in cases {
            let session = try Session(model: model, threads: 2, order: order)
            let ids = testCase.prompt_token_ids + testCase.first48_token_ids
            let logits = try session.logits(for: ids, from: testCase.prompt_token_ids.count - 1)
            var worst = 0.0
            for position in testCase.per_position_top10 {
                let row = logits[position.pos]
                let maximum = Double(row.max() ?? 0)
                let total = row.reduce(0.0) { $0 + exp(Double($1) - maximum) }
                for candidate in position.top10 {
                    worst = max(worst, abs(exp(Double(row[candidate.id]) - maximum) / total - candidate.prob))
                }
            }
            #expect(worst < tolerance, "row \(testCase.dataset_row): largest difference \(worst)")
            worstPerCase.append(worst)
        }
        return worstPerCase
    }
}
