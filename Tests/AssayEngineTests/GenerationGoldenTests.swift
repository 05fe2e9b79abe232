import AssayEngine
import AssayTestSupport
import Foundation
import Testing

/// Greedy generation on SmolLM2 against llama.cpp's tokens and probabilities (../shared/golden/generation.json).
///
/// About 450 forward passes: seconds in a release build, ten minutes in a debug build (the C kernels
/// are compiled -O0 there), so debug runs skip it. Run it with
/// `swift test -c release -Xswiftc -enable-testing --filter GenerationGoldenTests`.
@Suite(.serialized, .enabled(if: SmolLM2Fixture.isOptimizedBuild, "slow in debug builds; run with -c release"))
struct GenerationGoldenTests {
    struct Golden: Decodable {
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
    }

    /// Positions where llama.cpp's two best tokens are closer than this are coin flips between
    /// implementations; ids are compared exactly only before the first of them.
    static let nearTieGap = 0.005

    static func load() throws -> (EngineModel, Golden)? {
        guard let url = SharedFiles.smolLM2 else { return nil }
        let golden = try JSONDecoder().decode(
            Golden.self, from: Data(contentsOf: SharedFiles.sharedFile("golden/generation.json")))
        return (try EngineModel(file: SmolLM2Fixture.file(url)), golden)
    }

    @Test(.enabled(if: SharedFiles.smolLM2 != nil, "needs the SmolLM2 model file"))
    func greedyIDsMatchLlamaCppUpToTheFirstNearTie() throws {
        let (model, golden) = try #require(try Self.load())
        let session = try Session(model: model, threads: 2)
        for testCase in golden.cases {
            #expect(model.tokenizer.encode(testCase.prompt_text) == testCase.prompt_token_ids)
            let tie = testCase.per_position_top10.first {
                $0.top10.count > 1 && $0.top10[0].prob - $0.top10[1].prob < Self.nearTieGap
            }?.pos ?? testCase.first48_token_ids.count
            #expect(tie >= 10, "row \(testCase.dataset_row): the comparison would be too short")
            let result = try session.generate(promptIDs: testCase.prompt_token_ids,
                                              options: .greedy(maxTokens: tie))
            #expect(result.ids == Array(testCase.first48_token_ids.prefix(tie)), "row \(testCase.dataset_row)")
        }
    }

    @Test(.enabled(if: SharedFiles.smolLM2 != nil, "needs the SmolLM2 model file"))
    func topTenProbabilitiesAgreeWithin002() throws {
        let (model, golden) = try #require(try Self.load())
        let session = try Session(model: model, threads: 2)
        for testCase in golden.cases {
            // Teacher forcing: llama.cpp's own tokens, so every position is compared even after a tie.
            let ids = testCase.prompt_token_ids + testCase.first48_token_ids
            let logits = try session.logits(for: ids, from: testCase.prompt_token_ids.count - 1)
            var worst = 0.0
            for position in testCase.per_position_top10 {
                let row = logits[position.pos]
                let maximum = Double(row.max() ?? 0)
                let total = row.reduce(0.0) { $0 + exp(Double($1) - maximum) }
                for candidate in position.top10 {
                    let probability = exp(Double(row[candidate.id]) - maximum) / total
                    worst = max(worst, abs(probability - candidate.prob))
                }
            }
            #expect(worst < 0.02, "row \(testCase.dataset_row): largest probability difference \(worst)")
        }
    }
}
