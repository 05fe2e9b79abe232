import AssayCore
import AssayEngine
import AssayTestSupport
import Foundation
import GGUF
import Testing

/// The random-weight llama3, mistral, qwen2, phi3 and gemma3 files (RandomModelFixture) against
/// llama.cpp's greedy ids and top-10 probabilities for them (Tests/Fixtures/golden-random, made by
/// scripts/golden/random-models.sh with llama-cpp-python 0.3.36).
@Suite(.serialized)
struct RandomModelGoldenTests {
    /// Writes the fixture files for the reference script (scripts/golden/random-models.sh).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["ASSAY_WRITE_RANDOM_MODELS"] != nil))
    func writeTheFilesForLlamaCpp() throws {
        let folder = URL(fileURLWithPath: try #require(ProcessInfo.processInfo.environment["ASSAY_WRITE_RANDOM_MODELS"]))
        for fixture in RandomModelFixture.all {
            try fixture.write(to: folder.appendingPathComponent("\(fixture.name).gguf"))
        }
    }

    @Test(arguments: RandomModelFixture.all.map(\.name))
    func greedyIDsAndTopTenMatchLlamaCpp(name: String) throws {
        let fixture = try #require(RandomModelFixture.named(name))
        let golden = try LlamaCppGolden(contentsOf: SharedFiles.projectFile("Tests/Fixtures/golden-random/\(name).json"))
        let bytes = try fixture.bytes()
        // The golden outputs belong to exactly these bytes.
        #expect(SHA256.hex(of: bytes) == golden.model_sha256, "\(name): the fixture's bytes changed")
        let model = try EngineModel(file: GGUFFile(bytes: bytes), source: "\(name).gguf")
        #expect(model.configuration.architecture.rawValue == fixture.architecture)
        // Made by llama-cpp-python built for AVX2 (the files' README): its order, to the bit.
        try golden.check(model: model, order: .avx2, name: name, tolerance: GoldenGeneration.exactTolerance)
    }
}
