import AssayTestSupport
import Foundation
import Testing

@testable import GGUF

/// Reads the cached SmolLM2 model and compares it with the golden metadata dump
/// (Tests/Fixtures/golden/gguf-metadata-smollm2.json, made with gguf-py). Skipped when not cached, except under CI.
@Suite struct SmolLM2ReadingTests {
    struct Golden: Decodable {
        struct Tensor: Decodable {
            let name: String
            let type: String
            let shape: [Int]
            let n_bytes: Int
            let offset: Int
        }
        let file_size_bytes: Int
        let gguf_version: UInt32
        let tensor_count: Int
        let all_metadata: [String: JSONValue]
        let tensors: [Tensor]
    }

    /// The scalar metadata values of the golden dump (arrays are summarized there, and skipped here).
    enum JSONValue: Decodable {
        case number(Double)
        case string(String)
        case bool(Bool)
        case other
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(Bool.self) {
                self = .bool(value)
            } else if let value = try? container.decode(Double.self) {
                self = .number(value)
            } else if let value = try? container.decode(String.self) {
                self = .string(value)
            } else {
                self = .other
            }
        }
    }

    static let goldenURL = SharedFiles.fixture("golden/gguf-metadata-smollm2.json")

    @Test(.enabled(if: SharedFiles.modelTestsEnabled, "needs the SmolLM2 model file"))
    func matchesGoldenMetadataAndTensorTable() throws {
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: Self.goldenURL))
        let file = try GGUFFile(contentsOf: try #require(SharedFiles.smolLM2))

        #expect(file.version == golden.gguf_version)
        #expect(file.fileSize == golden.file_size_bytes)
        #expect(file.alignment == 32)
        #expect(file.metadataKeys.count == 33)
        #expect(file.metadataKeys.first == "general.architecture")
        #expect(file.metadataKeys.last == "general.quantization_version")
        for (key, expected) in golden.all_metadata where !key.hasPrefix("GGUF.") {
            let value = try #require(file.metadata[key], "missing \(key)")
            switch expected {
            case .bool(let flag): #expect(value.bool == flag, "\(key)")
            case .number(let number): #expect(value.double == number, "\(key)")
            case .string(let text): #expect(value.string == text, "\(key)")
            case .other: continue
            }
        }
        #expect(file.metadata["tokenizer.ggml.tokens"]?.strings?.count == 49152)
        #expect(file.metadata["tokenizer.ggml.tokens"]?.strings?.prefix(3) == ["<|endoftext|>", "<|im_start|>", "<|im_end|>"])
        #expect(file.metadata["tokenizer.ggml.merges"]?.strings?.first == "\u{120} t")
        #expect(file.metadata["tokenizer.ggml.token_type"]?.ints?.filter { $0 == 3 }.count == 17)
        #expect(file.metadata["general.languages"] == .array([.string("en")]))

        #expect(file.tensors.count == golden.tensor_count)
        for (info, expected) in zip(file.tensors, golden.tensors) {
            #expect(info.name == expected.name)
            #expect(info.type.name == expected.type)
            #expect(info.dimensions == expected.shape)
            #expect(info.byteCount == expected.n_bytes)
            #expect(file.dataOffset + info.offset == expected.offset)
        }
        let embedding = try #require(file.tensor(named: "token_embd.weight"))
        #expect(embedding.type == .q8_0 && embedding.dimensions == [576, 49152])
        #expect(file.tensor(named: "output.weight") == nil)
    }

    @Test(.enabled(if: SharedFiles.modelTestsEnabled, "needs the SmolLM2 model file"))
    func dequantizesLayerZeroToPlausibleValues() throws {
        let file = try GGUFFile(contentsOf: try #require(SharedFiles.smolLM2))
        for info in file.tensors where info.name.hasPrefix("blk.0.") || info.name.hasPrefix("output_norm") {
            let values = try file.floats(info)
            #expect(values.count == info.elementCount)
            #expect(values.allSatisfy { $0.isFinite }, "\(info.name)")
            let meanSquare = values.reduce(0.0) { $0 + Double($1 * $1) } / Double(values.count)
            #expect(meanSquare > 1e-6 && meanSquare < 100, "\(info.name): mean square \(meanSquare)")
        }
    }
}
