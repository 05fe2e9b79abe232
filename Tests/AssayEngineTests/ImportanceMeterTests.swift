import AssaySupport
import AssayTestSupport
import Foundation
import GGUF
import Testing

@testable import AssayEngine

/// `ImportanceMeter` on the random mistral model against what llama-imatrix collected for the
/// same model, text and chunks (Tests/Fixtures/imatrix): the same matrices and token counts, and
/// the same sums up to the two engines' arithmetic (identical in the first layer's inputs, which
/// are the normed embeddings, and drifting a little in deeper layers of a random model).
@Suite struct ImportanceMeterTests {
    @Test func statisticsAgreeWithLlamaImatrix() throws {
        let fixture = try #require(RandomModelFixture.named("mistral"))
        let model = try EngineModel(file: GGUFFile(bytes: try fixture.bytes()), source: "mistral.gguf")
        let session = try Session(model: model, threads: 2, contextLength: 32)
        let folder = SharedFiles.fixture("imatrix")
        let text = try String(contentsOf: folder.appendingPathComponent("calibration.txt"), encoding: .utf8)
        var seen: [Int] = []
        let result = try ImportanceMeter(session: session, settings: ChunkSettings(context: 32, chunks: 3))
            .measure(text: text, dataset: "calibration.txt") { done, _, _ in seen.append(done) }
        #expect(seen == [0, 1, 2, 3] && result.chunks == 3 && result.tokens == 96)
        let reference = try ImportanceMatrix(contentsOf: folder.appendingPathComponent("mistral-random.imatrix.gguf"))
        #expect(Set(result.matrix.entries.keys) == Set(reference.entries.keys))
        #expect(result.matrix.chunkCount == 3 && result.matrix.chunkSize == 32)
        for (name, expected) in reference.entries {
            let entry = try #require(result.matrix.entries[name])
            #expect(entry.counts == expected.counts, "\(name)")
            let tolerance: Float = name.hasPrefix("blk.0.attn_") && name != "blk.0.attn_output.weight" ? 1e-5 : 0.06
            let differences = zip(entry.sums, expected.sums).map { abs($0 - $1) / max(abs($1), 1e-20) }
            #expect(differences.allSatisfy { $0 <= tolerance }, "\(name): largest relative difference \(differences.max() ?? 0)")
            let totals = (entry.sums.reduce(0, +), expected.sums.reduce(0, +))
            #expect(abs(totals.0 - totals.1) <= 0.002 * totals.1, "\(name): totals \(totals)")
        }
        // llama-imatrix printed a final perplexity of 1892767 for these chunks.
        #expect(abs(result.perplexity - 1_892_767) / 1_892_767 < 0.01, "perplexity \(result.perplexity)")
    }

    @Test func aTextShorterThanOneChunkIsRefused() throws {
        let fixture = try #require(RandomModelFixture.named("mistral"))
        let model = try EngineModel(file: GGUFFile(bytes: try fixture.bytes()), source: "mistral.gguf")
        let meter = try ImportanceMeter(session: try Session(model: model, contextLength: 64), settings: ChunkSettings(context: 64))
        #expect {
            _ = try meter.measure(text: "Too short.", dataset: "short") { _, _, _ in }
        } throws: { error in
            String(describing: error).contains("fewer than one chunk")
        }
    }
}
