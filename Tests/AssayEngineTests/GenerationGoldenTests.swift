import AssayEngine
import AssayTestSupport
import Foundation
import Testing

/// Greedy generation on SmolLM2 against llama.cpp's tokens and probabilities (../shared/golden/generation.json).
///
/// The tolerances are the spread between llama.cpp builds, measured, not chosen. The golden file
/// came from an AVX-512 build (rebuilt here at its commit it reproduces the file within 0.0002);
/// the same commit built for AVX2 only differs from it by a median 0.013-0.018 and up to 0.12 per
/// position, and a native build that uses AMX by a median 0.14. Nothing is wrong in those builds:
/// SmolLM2 carries one huge activation (|h| about 22,500 at dimension 507), activations are rounded
/// to 8 bits per block of 32, so a last-bit difference in a float sum can move a value across a
/// rounding step, and top-10 probabilities move with it. The engine sits in the AVX2 build's band
/// (median 0.014-0.019, max 0.05-0.12). A real defect is far outside it: the wrong RoPE pairing
/// gives a median difference of 0.34.
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

    /// Positions where llama.cpp's two best tokens are closer than this are inside the noise between
    /// implementations; ids are compared exactly only before the first of them.
    static let nearTieGap = 0.05
    /// Top-10 probabilities: the median difference and the largest single one, each with a margin
    /// over what llama.cpp's own AVX2 build shows (median 0.018, largest 0.120).
    static let medianTolerance = 0.025
    static let maximumTolerance = 0.15

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
            #expect(tie >= 8, "row \(testCase.dataset_row): the comparison would be too short")
            let result = try session.generate(promptIDs: testCase.prompt_token_ids,
                                              options: .greedy(maxTokens: tie))
            #expect(result.ids == Array(testCase.first48_token_ids.prefix(tie)), "row \(testCase.dataset_row)")
        }
    }

    @Test(.enabled(if: SharedFiles.smolLM2 != nil, "needs the SmolLM2 model file"))
    func topTenProbabilitiesAgreeWithinTheNoiseBetweenImplementations() throws {
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
            let sorted = worstPerPosition.sorted()
            let median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
            let worst = sorted.last ?? 0
            #expect(median < Self.medianTolerance, "row \(testCase.dataset_row): median difference \(median)")
            #expect(worst < Self.maximumTolerance, "row \(testCase.dataset_row): largest difference \(worst)")
        }
    }
}
