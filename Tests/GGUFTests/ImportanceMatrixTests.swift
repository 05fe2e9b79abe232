import AssayTestSupport
import Foundation
import Testing

@testable import GGUF

/// Importance matrices: llama-imatrix's own files in both forms (Tests/Fixtures/imatrix), Assay's
/// round trip through both, bad files, and what weighting by one does to the encoders.
@Suite struct ImportanceMatrixTests {
    static let fixtures = SharedFiles.fixture("imatrix")

    @Test func bothOfLlamaImatrixsFormsGiveTheSameWeights() throws {
        let gguf = try ImportanceMatrix(contentsOf: Self.fixtures.appendingPathComponent("mistral-random.imatrix.gguf"))
        let legacy = try ImportanceMatrix(contentsOf: Self.fixtures.appendingPathComponent("mistral-random.imatrix.dat"))
        #expect(gguf.entries.count == 14 && Set(gguf.entries.keys) == Set(legacy.entries.keys))
        #expect(gguf.chunkCount == 3 && gguf.chunkSize == 32 && legacy.chunkCount == 3)
        #expect(gguf.datasets == ["/tmp/imat-text.txt"] && legacy.datasets == ["/tmp/imat-text.txt"])
        #expect(gguf.entries["blk.0.attn_q.weight"]?.counts == [96])
        for name in gguf.entries.keys {
            let columns = name.contains("ffn_down") ? 128 : 64
            let fromGGUF = try #require(try gguf.weights(for: name, columns: columns))
            let fromLegacy = try #require(try legacy.weights(for: name, columns: columns))
            for (a, b) in zip(fromGGUF, fromLegacy) {
                #expect(abs(a - b) <= 1e-6 * max(abs(a), 1e-20), "\(name): \(a) against \(b)")
            }
            #expect(fromGGUF.allSatisfy { $0 > 0 })
        }
    }

    @Test(arguments: ["out.imatrix.gguf", "out.dat"])
    func assayWritesAFileItReadsBackWithTheSameWeights(fileName: String) throws {
        let folder = try TemporaryFolder()
        let matrix = ImportanceMatrix(
            entries: [
                "blk.0.attn_q.weight": .init(sums: [2, 4, 6, 8], counts: [2]),
                "blk.1.ffn_down.weight": .init(sums: [1, 0, 3, 5, 7, 9, 11, 13], counts: [4]),
            ], datasets: ["calibration.txt"], chunkCount: 2, chunkSize: 3)
        let url = folder.url.appendingPathComponent(fileName)
        try matrix.write(to: url)
        let read = try ImportanceMatrix(contentsOf: url)
        #expect(read.datasets == ["calibration.txt"] && read.chunkCount == 2)
        #expect(try read.weights(for: "blk.0.attn_q.weight", columns: 4) == [1, 2, 3, 4])
        let down = try #require(try read.weights(for: "blk.1.ffn_down.weight", columns: 8))
        for (value, expected) in zip(down, [Float(0.25), 0, 0.75, 1.25, 1.75, 2.25, 2.75, 3.25]) {
            #expect(abs(value - expected) < 1e-6)
        }
        #expect(try read.weights(for: "blk.2.attn_q.weight", columns: 4) == nil)
        if fileName.hasSuffix(".gguf") { #expect(read == matrix) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == [fileName], "no temporary file is left")
    }

    @Test func aShapeThatDoesNotMatchTheTensorSaysSo() throws {
        let matrix = ImportanceMatrix(
            entries: ["blk.0.attn_q.weight": .init(sums: [1, 2], counts: [1])], datasets: [], chunkCount: 1, chunkSize: 1)
        #expect {
            _ = try matrix.weights(for: "blk.0.attn_q.weight", columns: 64)
        } throws: { error in
            String(describing: error).contains("computed for another model")
        }
    }

    @Test func truncatedAndForeignFilesAreRefusedWithTheOffset() throws {
        let folder = try TemporaryFolder()
        let legacy = try Data(contentsOf: Self.fixtures.appendingPathComponent("mistral-random.imatrix.dat"))
        let truncated = folder.url.appendingPathComponent("truncated.dat")
        try legacy.prefix(200).write(to: truncated)
        #expect {
            _ = try ImportanceMatrix(contentsOf: truncated)
        } throws: { error in
            let text = String(describing: error)
            return text.hasPrefix(truncated.path) && text.contains("byte") && text.contains("truncated")
        }
        let model = folder.url.appendingPathComponent("model.gguf")
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("llama"))
        try writer.write(to: model)
        #expect {
            _ = try ImportanceMatrix(contentsOf: model)
        } throws: { error in
            String(describing: error).contains("not an importance matrix")
        }
        let negative = folder.url.appendingPathComponent("negative.dat")
        try Data([0xFF, 0xFF, 0xFF, 0xFF]).write(to: negative)
        #expect(throws: GGUFError.self) { _ = try ImportanceMatrix(contentsOf: negative) }
    }

    /// Σ importance · (x − x̂)² over rows of `importance.count` values.
    static func weightedError(_ values: [Float], _ decoded: [Float], _ importance: [Float]) -> Double {
        var total = 0.0
        for (index, (value, approximation)) in zip(values, decoded).enumerated() {
            let difference = Double(value - approximation)
            total += Double(importance[index % importance.count]) * difference * difference
        }
        return total
    }

    /// With a few columns weighted 100 times the rest, the importance-weighted encoders give those
    /// columns' errors up for the others' and lower the weighted error, for every type that reads it.
    @Test(arguments: [GGMLType.q4_0, .q5_0, .q4_1, .q5_1, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K])
    func weightingLowersTheWeightedError(type: GGMLType) throws {
        let columns = 512
        let values = KQuantMixtureTests.values(count: columns * 32, seed: 5)
        let importance = (0..<columns).map { $0 % 7 == 0 ? Float(100) : 1 }
        let plain = try TensorCodec.quantize(values, to: type)
        var weighted = [UInt8](repeating: 0, count: plain.count)
        try values.withUnsafeBufferPointer { input in
            try importance.withUnsafeBufferPointer { columns in
                try weighted.withUnsafeMutableBytes { try TensorCodec.quantize(input, to: type, into: $0, importance: columns) }
            }
        }
        let plainError = Self.weightedError(
            values, try plain.withUnsafeBytes { try TensorCodec.dequantize(type, $0, count: values.count) }, importance)
        let weightedError = Self.weightedError(
            values, try weighted.withUnsafeBytes { try TensorCodec.dequantize(type, $0, count: values.count) }, importance)
        #expect(weightedError < plainError, "\(type.name): weighted \(weightedError), plain \(plainError)")
    }

    @Test func quantizerRecordsTheMatrixAndRefusesOneForAnotherModel() throws {
        let folder = try TemporaryFolder()
        let input = try QuantizerTests.writeTinyLlama(in: folder)
        let source = try GGUFFile(contentsOf: input)
        var entries: [String: ImportanceMatrix.Entry] = [:]
        for info in source.tensors where info.name.hasPrefix("blk.") && info.dimensions.count == 2 {
            entries[info.name] = .init(sums: (0..<info.dimensions[0]).map { Float($0 % 5 + 1) }, counts: [10])
        }
        let matrix = ImportanceMatrix(entries: entries, datasets: ["calibration.txt"], chunkCount: 4, chunkSize: 64)
        let output = folder.url.appendingPathComponent("weighted.gguf")
        let summary = try Quantizer(target: .q4_0, importance: matrix, importancePath: "tiny.imatrix.gguf").quantize(
            input: input, output: output)
        #expect(summary.weightedByImportance == entries.count)
        let result = try GGUFFile(contentsOf: output)
        #expect(result.metadata["quantize.imatrix.file"] == .string("tiny.imatrix.gguf"))
        #expect(result.metadata["quantize.imatrix.dataset"] == .string("calibration.txt"))
        #expect(result.metadata["quantize.imatrix.entries_count"]?.int == entries.count)
        #expect(result.metadata["quantize.imatrix.chunks_count"]?.int == 4)

        let foreign = ImportanceMatrix(
            entries: ["blk.0.attn_q.weight": .init(sums: [1, 2, 3], counts: [1])], datasets: [], chunkCount: 1, chunkSize: 1)
        let refused = folder.url.appendingPathComponent("refused.gguf")
        #expect {
            _ = try Quantizer(target: .q4_0, importance: foreign).quantize(input: input, output: refused)
        } throws: { error in
            String(describing: error).contains("computed for another model")
        }
        let unrelated = ImportanceMatrix(
            entries: ["enc.0.weight": .init(sums: [1], counts: [1])], datasets: [], chunkCount: 1, chunkSize: 1)
        #expect {
            _ = try Quantizer(target: .q4_0, importance: unrelated).quantize(input: input, output: refused)
        } throws: { error in
            String(describing: error).contains("no entry for any tensor")
        }
        #expect(!FileManager.default.fileExists(atPath: refused.path), "nothing is written")
    }

    /// llama.cpp's guard: with an importance matrix, the first eighth of ffn_down gets Q4_1 for q4_0 and Q5_1 for q5_0.
    @Test func theFirstEighthOfFeedForwardDownKeepsAMinimumWithAMatrix() throws {
        let tensors = try (0..<16).map { layer in
            try #require(GGUFTensorInfo(name: "blk.\(layer).ffn_down.weight", dimensions: [64, 64], type: .f32, offset: layer * 16_384))
        }
        let matrix = ImportanceMatrix(entries: [:], datasets: [], chunkCount: 0, chunkSize: 0)
        #expect(Quantizer(target: .q4_0).outputTypes(for: tensors) == Array(repeating: .q4_0, count: 16))
        #expect(
            Quantizer(target: .q4_0, importance: matrix).outputTypes(for: tensors) == [.q4_1, .q4_1] + Array(repeating: .q4_0, count: 14))
        #expect(
            Quantizer(target: .q5_0, importance: matrix).outputTypes(for: tensors) == [.q5_1, .q5_1] + Array(repeating: .q5_0, count: 14))
    }
}
