import AssayTestSupport
import Foundation

@testable import GGUF

/// A tiny llama-like GGUF (2 layers, random weights) that uses every tensor type Assay reads,
/// with the values each tensor should decode to.
enum TinyLlama {
    struct Tensor {
        let name: String
        let dimensions: [Int]
        let type: GGMLType
        let data: [UInt8]
        /// The floats that were encoded (encodable types) or the exact decoded values (hand-packed).
        let reference: [Float]
        var isExact: Bool { TinyLlama.handPackedTypes.contains(type) }
    }

    /// Types written as hand-packed blocks with known values, so their decoders are checked
    /// exactly and apart from the encoders.
    static let handPackedTypes: Set<GGMLType> = [.q8_1, .q2_K, .q3_K]

    static let embedding = 256, vocabulary = 16, feedForward = 256

    static let metadata: [(String, GGUFValue)] = [
        ("general.architecture", .string("llama")),
        ("general.name", .string("tiny llama")),
        ("llama.block_count", .uint32(2)),
        ("llama.embedding_length", .uint32(UInt32(embedding))),
        ("llama.feed_forward_length", .uint32(UInt32(feedForward))),
        ("llama.attention.head_count", .uint32(4)),
        ("llama.attention.layer_norm_rms_epsilon", .float32(1e-5)),
        ("general.file_type", .uint32(0)),
        ("tokenizer.ggml.tokens", .array((0..<vocabulary).map { .string("tok\($0)") })),
        ("tokenizer.ggml.scores", .array((0..<vocabulary).map { .float32(Float($0)) })),
        ("tokenizer.ggml.token_type", .array((0..<vocabulary).map { _ in .int32(1) })),
        ("tokenizer.ggml.add_bos_token", .bool(true)),
        ("test.values", .array([.uint8(1), .uint8(2)])),
        ("test.signed", .array([.int8(-1), .int8(-128)])),
        ("test.wide", .array([.uint64(UInt64.max), .uint64(0)])),
        ("test.double", .float64(-2.5)),
        ("test.nested", .array([.array([.int64(-7)]), .array([.int64(8), .int64(9)])])),
        ("test.u16", .uint16(65535)),
        ("test.i16", .int16(-2)),
        ("test.i64", .int64(-9_000_000_000)),
        ("test.u64", .uint64(1 << 40)),
    ]

    /// (name, shape, type) of every tensor: each supported type at least once.
    static let layout: [(String, [Int], GGMLType)] = [
        ("token_embd.weight", [embedding, vocabulary], .q8_0),
        ("blk.0.attn_norm.weight", [embedding], .f32),
        ("blk.0.attn_q.weight", [embedding, 8], .q4_0),
        ("blk.0.attn_k.weight", [embedding, 8], .q4_1),
        ("blk.0.attn_v.weight", [embedding, 8], .q5_0),
        ("blk.0.attn_output.weight", [embedding, 8], .q5_1),
        ("blk.0.ffn_norm.weight", [embedding], .f32),
        ("blk.0.ffn_gate.weight", [embedding, 4], .q4_K),
        ("blk.0.ffn_up.weight", [embedding, 4], .q5_K),
        ("blk.0.ffn_down.weight", [feedForward, 4], .q6_K),
        ("blk.1.attn_norm.weight", [embedding], .f32),
        ("blk.1.attn_q.weight", [embedding, 8], .f16),
        ("blk.1.attn_k.weight", [embedding, 8], .bf16),
        ("blk.1.attn_v.weight", [embedding, 8], .f32),
        ("blk.1.attn_output.weight", [embedding, 8], .q8_1),
        ("blk.1.ffn_norm.weight", [embedding], .f32),
        ("blk.1.ffn_gate.weight", [embedding, 4], .q2_K),
        ("blk.1.ffn_up.weight", [embedding, 2, 2], .q4_1),
        ("blk.1.ffn_down.weight", [feedForward, 4], .q3_K),
        ("output_norm.weight", [embedding], .f32),
        ("output.weight", [embedding, vocabulary], .q6_K),
    ]

    static func tensors(seed: UInt64 = 42) throws -> [Tensor] {
        var random = SeededRandom(seed: seed)
        return try layout.map { name, dimensions, type in
            let count = dimensions.reduce(1, *)
            if !handPackedTypes.contains(type) {
                let values = name.hasSuffix("norm.weight") ? random.floats(count, in: 0.5...1.5) : random.floats(count)
                return Tensor(
                    name: name, dimensions: dimensions, type: type,
                    data: try TensorCodec.quantize(values, to: type), reference: values)
            }
            let packed = HandPackedBlocks.tensor(type, blocks: count / type.blockSize, random: &random)
            return Tensor(name: name, dimensions: dimensions, type: type, data: packed.bytes, reference: packed.values)
        }
    }

    static func writer(seed: UInt64 = 42, alignment: Int = 32) throws -> GGUFWriter {
        var writer = GGUFWriter(alignment: alignment)
        for (key, value) in metadata { writer.set(key, value) }
        for tensor in try tensors(seed: seed) {
            try writer.addTensor(name: tensor.name, dimensions: tensor.dimensions, type: tensor.type, data: tensor.data)
        }
        return writer
    }
}
