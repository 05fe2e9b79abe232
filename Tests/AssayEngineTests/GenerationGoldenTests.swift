import AssayEngine
import AssayTestSupport
import Foundation
import Testing

/// Greedy generation on SmolLM2 against llama.cpp's tokens and probabilities (Tests/Fixtures/golden/generation.json).
///
/// The golden file came from llama.cpp's CPU backend built for AVX-512, and the engine computes
/// every operation in that build's order, so its probabilities agree with the file as closely as
/// that build rebuilt here does (about 0.0001). Order matters more than usual on this model:
/// SmolLM2 carries one huge activation (|h| about 22,500), activations are rounded to 8 bits per
/// block of 32, and a last-bit difference in one float sum can move a value across a rounding
/// step. Summed in another order (llama.cpp's own AVX2 build, or the engine before it followed
/// this order), positions differ by up to 0.12, which the 0.02 bound would catch.
/// About 450 forward passes; the engine targets are compiled optimized in every configuration.
@Suite(.serialized)
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

    /// Positions where llama.cpp's two best tokens are closer than this are near ties: the issue asks
    /// for exact ids before the first of them; the engine matches after it as well.
    static let nearTieGap = 0.05
    /// Top-10 probabilities agree within this at every position (the bound).
    static let tolerance = 0.02

    static func load() throws -> (EngineModel, Golden)? {
        guard let url = SharedFiles.smolLM2 else { return nil }
        let golden = try JSONDecoder().decode(
            Golden.self, from: Data(contentsOf: SharedFiles.fixture("golden/generation.json")))
        return (try EngineModel(file: SmolLM2Fixture.file(url)), golden)
    }

    @Test(.enabled(if: SharedFiles.modelTestsEnabled, "needs the SmolLM2 model file"))
    func greedyIDsMatchLlamaCpp() throws {
        let (model, golden) = try #require(try Self.load())
        let session = try Session(model: model, threads: 2)
        for testCase in golden.cases {
            #expect(model.tokenizer.encode(testCase.prompt_text) == testCase.prompt_token_ids)
            let tie = testCase.per_position_top10.first {
                $0.top10.count > 1 && $0.top10[0].prob - $0.top10[1].prob < Self.nearTieGap
            }?.pos ?? testCase.first48_token_ids.count
            #expect(tie >= 8, "row \(testCase.dataset_row): the comparison would be too short")
            let result = try session.generate(promptIDs: testCase.prompt_token_ids,
                                              options: .greedy(maxTokens: testCase.first48_token_ids.count))
            #expect(result.ids.prefix(tie) == testCase.first48_token_ids.prefix(tie), "row \(testCase.dataset_row)")
            // Summed in llama.cpp's order, the engine also takes the same side of every near tie.
            #expect(result.ids == testCase.first48_token_ids, "row \(testCase.dataset_row) after the first near tie")
        }
    }

    @Test(.enabled(if: SharedFiles.modelTestsEnabled, "needs the SmolLM2 model file"))
    func topTenProbabilitiesAgreeWithLlamaCppWithinTwoHundredths() throws {
        let (model, golden) = try #require(try Self.load())
        let session = try Session(model: model, threads: 2)
        for testCase in golden.cases {
            // Teacher forcing: llama.cpp's own tokens, so every position is compared even after a tie.
            let ids = testCase.prompt_token_ids + testCase.first48_token_ids
            let logits = try session.logits(for: ids, from: testCase.prompt_token_ids.count - 1)
            var worstPerPosition: [Double] = []
            for position in testCase.per_position_top10 {
                let row = logits[position.pos]
                let maximum = Double(row.max() ?? 0)
                let total = row.reduce(0.0) { $0 + exp(Double($1) - maximum) }
                let differences = position.top10.map { candidate in
                    abs(exp(Double(row[candidate.id]) - maximum) / total - candidate.prob)
                }
                worstPerPosition.append(differences.max() ?? 0)
            }
            let worst = worstPerPosition.max() ?? 0
            #expect(worst < Self.tolerance, "row \(testCase.dataset_row): largest difference \(worst)")
        }
    }
}
