import AssayEngine
import AssayTestSupport
import Foundation
import GGUF
import Testing

/// Gemma 3 270M Q4_K_M (`assay model fetch gemma3-270m`) against llama.cpp's greedy ids and top-10
/// probabilities after three prompts (Tests/Fixtures/golden-gemma3, made by
/// scripts/golden/llama-cpp-reference.py; see the README there).
@Suite(.serialized)
struct Gemma3GoldenTests {
    @Test(.enabled(if: CachedModels.gemma3TestsEnabled, "needs gemma-3-270m (assay model fetch gemma3-270m)"))
    func greedyIDsAndTopTenMatchLlamaCpp() throws {
        let url = try #require(CachedModels.gemma3, "the Gemma 3 model is not cached; run assay model fetch gemma3-270m")
        let golden = try LlamaCppGolden(contentsOf: SharedFiles.projectFile("Tests/Fixtures/golden-gemma3/generation.json"))
        #expect(golden.cases.count == 3)
        let model = try EngineModel(contentsOf: url)
        #expect(model.configuration.architecture == .gemma3)
        // The fixture came from llama-cpp-python built for AVX2; in that build's order the engine sums
        // this file's Q4_K (repacked), Q6_K (tiled in a batch), Q5_0 and Q8_0 products, and takes
        // GELU from the same half-precision table, so every case agrees to the bit.
        try golden.check(model: model, order: .avx2, name: "gemma3-270m", tolerance: GoldenGeneration.exactTolerance)
    }
}
