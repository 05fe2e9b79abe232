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
        // Measured: 0.009 / 0.089 / 0.043 on the three prompts. The architecture itself matches llama.cpp
        // to 1e-6 on the random gemma3 file (Q8_0); the gap is this file's Q4_K / Q6_K / Q5_0 products:
        // llama.cpp rounds their activations to Q8_K (one int8 scale per 256), this engine's K-quant
        // kernels do not yet (issue 15 rewrites them). Greedy ids and every clear argmax already match.
        try golden.check(
            Session(model: model, threads: 2, contextLength: 512), name: "gemma3-270m",
            knownTopTenIssue: "K-quant products not yet in llama.cpp's Q8_K order (issue 15)",
            ceiling: 0.15)
    }
}
