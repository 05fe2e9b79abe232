import AssayTestSupport
import Foundation
import Testing

@testable import GGUF

@Suite struct QuantizerTests {
    static func writeTinyLlama(in folder: TemporaryFolder) throws -> URL {
        let url = folder.url.appendingPathComponent("tiny.gguf")
        try TinyLlama.writer().write(to: url)
        return url
    }

    /// Issue 7: the output passes validation and keeps every metadata key in order; only
    /// general.file_type, general.name (when asked) and general.quantization_version change.
    @Test(arguments: QuantizationTarget.uniform)
    func quantizedFileIsValidAndKeepsMetadata(target: QuantizationTarget) throws {
        let folder = try TemporaryFolder()
        let input = try Self.writeTinyLlama(in: folder)
        let output = folder.url.appendingPathComponent("out-\(target.rawValue).gguf")
        let summary = try Quantizer(target: target, name: "tiny \(target.rawValue)").quantize(input: input, output: output)
        let source = try GGUFFile(contentsOf: input)
        let result = try GGUFFile(contentsOf: output)

        let added = target == .f16 ? [] : ["general.quantization_version"]
        #expect(result.metadataKeys == source.metadataKeys + added)
        for key in source.metadataKeys where !["general.file_type", "general.name"].contains(key) {
            #expect(result.metadata[key] == source.metadata[key], "\(key)")
        }
        #expect(result.metadata["general.file_type"] == .uint32(target.fileType))
        #expect(result.metadata["general.name"] == .string("tiny \(target.rawValue)"))
        if target != .f16 { #expect(result.metadata["general.quantization_version"] == .uint32(2)) }

        #expect(result.tensors.map(\.name) == source.tensors.map(\.name))
        #expect(result.tensors.map(\.dimensions) == source.tensors.map(\.dimensions))
        #expect(summary.outputBytes == result.fileSize)
        #expect(summary.inputBytes == source.fileSize)
        for info in result.tensors {
            let expected: GGMLType
            if info.dimensions.count == 1 {
                expected = .f32
            } else if target.isLowBit && ["token_embd.weight", "output.weight"].contains(info.name) {
                expected = .q8_0
            } else {
                expected = target.tensorType
            }
            #expect(info.type == expected, "\(info.name)")
        }
        #expect(summary.keptAtQ8_0 == (target.isLowBit ? ["token_embd.weight", "output.weight"] : []))
        #expect(summary.fellBackToF16.isEmpty)
        // Every quantized source tensor of another type was dequantized first; the summary says so.
        let dequantized = source.tensors.filter { $0.type.isQuantized && $0.type != result.tensor(named: $0.name)?.type }
        #expect(summary.dequantizedSources.values.reduce(0, +) == dequantized.count)
        #expect(summary.convertedCount + summary.copiedCount == source.tensors.count)
    }

    /// Tensors are re-encoded within the target format's bound of their decoded source values;
    /// those already in the chosen type are copied byte for byte.
    @Test(arguments: [QuantizationTarget.q4_1, .q8_0, .f16])
    func tensorValuesSurviveWithinTheTargetBound(target: QuantizationTarget) throws {
        let source = try GGUFFile(bytes: try TinyLlama.writer().bytes())
        let (writer, _) = try Quantizer(target: target).quantize(source)
        let result = try GGUFFile(bytes: try writer.bytes())
        for info in source.tensors {
            let converted = try #require(result.tensor(named: info.name))
            if converted.type == info.type {
                #expect(Array(result.tensorBytes(converted)) == Array(source.tensorBytes(info)), "\(info.name)")
                continue
            }
            let original = try source.floats(info)
            let (maxError, withinBound) = QuantizationErrorBound.check(
                converted.type, original: original,
                decoded: try result.floats(converted))
            #expect(withinBound, "\(info.name) \(info.type) -> \(converted.type): max error \(maxError)")
        }
    }

    /// Issue 14: converting a tensor a few rows at a time (a short last chunk included) gives the
    /// bytes of converting it whole; a copied tensor comes through unchanged.
    @Test(arguments: [GGMLType.q4_0, .q8_0, .f16])
    func chunkedConversionMatchesWholeTensorConversion(type: GGMLType) throws {
        var random = SeededRandom(seed: 3)
        let values = random.floats(64 * 10)
        var writer = GGUFWriter()
        try writer.addTensor(name: "w", dimensions: [64, 10], type: .f16, data: try TensorCodec.quantize(values, to: .f16))
        let source = try GGUFFile(bytes: try writer.bytes())
        let info = try #require(source.tensor(named: "w"))
        var chunks: [[UInt8]] = []
        try Quantizer.encode(info, of: source, as: type, chunkElements: 3 * 64) { chunks.append(Array($0)) }
        #expect(chunks.count == 4)
        let expected = type == .f16 ? Array(source.tensorBytes(info)) : try TensorCodec.quantize(try source.floats(info), to: type)
        #expect(Array(chunks.joined()) == expected)
    }

    @Test func rowsThatAreNotWholeBlocksFallBackToF16AndNameIsOptional() throws {
        var writer = GGUFWriter()
        var random = SeededRandom(seed: 1)
        writer.set("general.name", .string("odd"))
        try writer.addTensor(
            name: "odd.weight", dimensions: [48, 2], type: .f32,
            data: try TensorCodec.quantize(random.floats(96), to: .f32))
        let (output, summary) = try Quantizer(target: .q4_0).quantize(try GGUFFile(bytes: try writer.bytes()))
        let result = try GGUFFile(bytes: try output.bytes())
        #expect(result.tensor(named: "odd.weight")?.type == .f16)
        #expect(summary.fellBackToF16 == ["odd.weight"])
        #expect(result.metadata["general.name"] == .string("odd"))
        #expect(result.metadataKeys == ["general.name", "general.file_type", "general.quantization_version"])
    }

    @Test func aBadInputLeavesNoOutputFile() throws {
        let folder = try TemporaryFolder()
        let input = try folder.write("bad.gguf", Data("GGUF\u{3}\0\0\0".utf8))
        let output = folder.url.appendingPathComponent("out.gguf")
        #expect { try Quantizer(target: .q8_0).quantize(input: URL(fileURLWithPath: input), output: output) } throws: {
            "\($0)".hasPrefix("\(input): invalid GGUF at byte 8:")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["bad.gguf"])
    }

    /// The real model: Q4_1 with a Q8_0 embedding, re-quantized to Q8_0. Skipped when not cached.
    @Test(.enabled(if: SharedFiles.modelTestsEnabled, "needs the SmolLM2 model file"))
    func smolLM2QuantizesToQ8_0AndPassesValidation() throws {
        let folder = try TemporaryFolder()
        let input = try #require(SharedFiles.smolLM2)
        let output = folder.url.appendingPathComponent("smollm2-q8_0.gguf")
        let summary = try Quantizer(target: .q8_0, name: "SmolLM2 Q8_0").quantize(input: input, output: output)
        let source = try GGUFFile(contentsOf: input)
        let result = try GGUFFile(contentsOf: output)
        #expect(result.metadataKeys == source.metadataKeys)
        for key in source.metadataKeys where !["general.file_type", "general.name"].contains(key) {
            #expect(result.metadata[key] == source.metadata[key], "\(key)")
        }
        #expect(result.metadata["general.file_type"] == .uint32(7))
        #expect(result.metadata["general.name"] == .string("SmolLM2 Q8_0"))
        #expect(summary.typeCounts == [.q8_0: 211, .f32: 61])
        #expect(summary.dequantizedSources == [.q4_1: 210])
        #expect(summary.copiedCount == 62)
        let embedding = try #require(result.tensor(named: "token_embd.weight"))
        #expect(Array(result.tensorBytes(embedding)) == Array(source.tensorBytes(try #require(source.tensor(named: "token_embd.weight")))))
        let query = try #require(result.tensor(named: "blk.0.attn_q.weight"))
        let (maxError, withinBound) = QuantizationErrorBound.check(
            .q8_0, original: try source.floats(try #require(source.tensor(named: query.name))),
            decoded: try result.floats(query))
        #expect(withinBound, "max error \(maxError)")
    }
}
