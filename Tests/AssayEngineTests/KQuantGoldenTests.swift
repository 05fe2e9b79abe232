import AssayEngine
import AssayTestSupport
import Foundation
import Testing

/// Greedy generation on SmolLM2 quantized by llama.cpp's own quantizer to Q4_K_M, Q5_K_M and Q6_K,
/// against llama.cpp's tokens and probabilities on the same files (Tests/Fixtures/golden-generation-*.json;
/// Tests/Fixtures/README.md says how they were made).
///
/// SmolLM2's rows of 576 are no whole number of 256-element super-blocks, so llama.cpp's quantizer
/// gives those matrices Q5_0 / Q5_1 / Q8_0 instead, and only the 1536-wide down projections are
/// K-quants: the files exercise the K-quant kernels together with the 32-element ones. The fixtures
/// came from llama.cpp's AVX2 build, whose order the engine follows in every product (repacked
/// Q4_K, tiled Q5_K and Q6_K batches, tinyBLAS Q5_0 and Q8_0) and in attention, so ids agree
/// exactly and probabilities to the fixture's rounding.
///
/// .ci/run makes the model files (scripts/make-kquant-models.py); under CI=true a missing file fails.
@Suite(.serialized)
struct KQuantGoldenTests {
    static let types = ["Q4_K_M", "Q5_K_M", "Q6_K"]
    static var available: Bool { types.allSatisfy { SharedFiles.smolLM2(quantizedAs: $0) != nil } || SharedFiles.isCI }

    static func load(_ type: String) throws -> (EngineModel, GoldenGeneration) {
        let url = try #require(
            SharedFiles.smolLM2(quantizedAs: type),
            "SmolLM2-135M-Instruct.\(type).gguf is not in the model cache; make it with scripts/make-smollm2-kquants (see .ci/run)")
        let golden = try GoldenGeneration(contentsOf: SharedFiles.projectFile("Tests/Fixtures/golden-generation-\(type).json"))
        return (try EngineModel(contentsOf: url), golden)
    }

    @Test(
        .enabled(if: KQuantGoldenTests.available, "needs SmolLM2 in Q4_K_M, Q5_K_M and Q6_K (scripts/make-smollm2-kquants)"),
        arguments: types)
    func greedyIDsMatchLlamaCpp(type: String) throws {
        let (model, golden) = try Self.load(type)
        try golden.expectGreedyIDs(model: model, order: .avx2, pastNearTies: true)
    }

    @Test(
        .enabled(if: KQuantGoldenTests.available, "needs SmolLM2 in Q4_K_M, Q5_K_M and Q6_K (scripts/make-smollm2-kquants)"),
        arguments: types)
    func topTenProbabilitiesMatchLlamaCpp(type: String) throws {
        let (model, golden) = try Self.load(type)
        try golden.expectTopTenProbabilities(model: model, order: .avx2, tolerance: GoldenGeneration.exactTolerance)
    }
}
