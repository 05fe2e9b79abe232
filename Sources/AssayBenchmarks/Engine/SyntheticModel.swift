import AssaySupport
import Foundation
import GGUF

/// A llama-architecture GGUF with random weights at a real model's shapes, in llama.cpp's Q4_K_M
/// mix, with the tokenizer of another GGUF: a benchmark at the size people run, where memory
/// bandwidth rather than overhead decides, without downloading the model. Its outputs mean nothing;
/// llama.cpp and Assay read it alike, so their speeds compare.
public struct SyntheticModel: Sendable {
    public struct Shape: Sendable, Equatable {
        public var layers: Int
        public var embedding: Int
        public var feedForward: Int
        public var heads: Int
        public var keyValueHeads: Int
        public var ropeBase: Float
        public var contextLength: Int

        public init(
            layers: Int, embedding: Int, feedForward: Int, heads: Int, keyValueHeads: Int,
            ropeBase: Float, contextLength: Int
        ) {
            self.layers = layers
            self.embedding = embedding
            self.feedForward = feedForward
            self.heads = heads
            self.keyValueHeads = keyValueHeads
            self.ropeBase = ropeBase
            self.contextLength = contextLength
        }

        /// Llama-3.2-1B (config.json of meta-llama/Llama-3.2-1B): tied embeddings, grouped-query attention.
        public static let llama32_1B = Shape(
            layers: 16, embedding: 2048, feedForward: 8192, heads: 32, keyValueHeads: 8,
            ropeBase: 500_000, contextLength: 131_072)
    }

    public let shape: Shape

    public init(shape: Shape) throws {
        guard shape.layers >= 1, shape.heads >= 1, shape.keyValueHeads >= 1, shape.heads % shape.keyValueHeads == 0,
            shape.embedding % shape.heads == 0, shape.embedding % 256 == 0, shape.feedForward % 256 == 0
        else {
            throw AssayError(
                "synthetic model shape \(shape) is not valid: the embedding and feed-forward lengths "
                    + "must be multiples of 256, and the heads a multiple of the key/value heads dividing the embedding")
        }
        self.shape = shape
    }

    /// llama.cpp's Q4_K_M choice for a layer's value and down projections: Q6_K in the first and
    /// last eighth of the layers and every third one between, else Q4_K (`use_more_bits`).
    static func usesMoreBits(layer: Int, of layers: Int) -> Bool {
        layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2
    }

    /// Writes the model to `url` with the tokenizer metadata (every `tokenizer.` key) of `vocabulary`.
    /// Returns the file's size in bytes.
    @discardableResult
    public func write(to url: URL, vocabulary: GGUFFile, seed: UInt64 = 1) throws -> Int {
        guard let tokens = vocabulary.metadata["tokenizer.ggml.tokens"]?.strings, !tokens.isEmpty else {
            throw AssayError(
                "the vocabulary file has no tokenizer.ggml.tokens; give a GGUF with a tokenizer "
                    + "(a model, or one of llama.cpp's ggml-vocab-*.gguf files)")
        }
        let s = shape
        let headDimension = s.embedding / s.heads
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("llama"))
        writer.set("general.name", .string("synthetic (random weights)"))
        writer.set("general.file_type", .uint32(15))  // LLAMA_FTYPE_MOSTLY_Q4_K_M
        writer.set("llama.block_count", .uint32(UInt32(s.layers)))
        writer.set("llama.context_length", .uint32(UInt32(s.contextLength)))
        writer.set("llama.embedding_length", .uint32(UInt32(s.embedding)))
        writer.set("llama.feed_forward_length", .uint32(UInt32(s.feedForward)))
        writer.set("llama.attention.head_count", .uint32(UInt32(s.heads)))
        writer.set("llama.attention.head_count_kv", .uint32(UInt32(s.keyValueHeads)))
        writer.set("llama.rope.freq_base", .float32(s.ropeBase))
        writer.set("llama.rope.dimension_count", .uint32(UInt32(headDimension)))
        writer.set("llama.attention.layer_norm_rms_epsilon", .float32(1e-5))
        writer.set("llama.vocab_size", .uint32(UInt32(tokens.count)))
        for key in vocabulary.metadataKeys where key.hasPrefix("tokenizer.") {
            if let value = vocabulary.metadata[key] { writer.set(key, value) }
        }
        var random = SplitMix64(seed: seed)
        let kvLength = s.keyValueHeads * headDimension
        // Tied embeddings: token_embd is also the output matrix, which Q4_K_M keeps at Q6_K.
        try writer.addTensor(
            name: "token_embd.weight", dimensions: [s.embedding, tokens.count], type: .q6_K,
            data: try Self.randomBlocks(.q6_K, elements: s.embedding * tokens.count, random: &random))
        for layer in 0..<s.layers {
            let more: GGMLType = Self.usesMoreBits(layer: layer, of: s.layers) ? .q6_K : .q4_K
            let matrices: [(String, Int, Int, GGMLType)] = [
                ("attn_q", s.embedding, s.embedding, .q4_K), ("attn_k", s.embedding, kvLength, .q4_K),
                ("attn_v", s.embedding, kvLength, more), ("attn_output", s.embedding, s.embedding, .q4_K),
                ("ffn_gate", s.embedding, s.feedForward, .q4_K), ("ffn_up", s.embedding, s.feedForward, .q4_K),
                ("ffn_down", s.feedForward, s.embedding, more),
            ]
            for norm in ["attn_norm", "ffn_norm"] {
                try writer.addTensor(
                    name: "blk.\(layer).\(norm).weight", dimensions: [s.embedding], type: .f32,
                    data: Self.ones(s.embedding))
            }
            for (name, columns, rows, type) in matrices {
                try writer.addTensor(
                    name: "blk.\(layer).\(name).weight", dimensions: [columns, rows], type: type,
                    data: try Self.randomBlocks(type, elements: columns * rows, random: &random))
            }
        }
        try writer.addTensor(name: "output_norm.weight", dimensions: [s.embedding], type: .f32, data: Self.ones(s.embedding))
        try writer.write(to: url)
        return writer.byteCount
    }

    private static func ones(_ count: Int) -> [UInt8] {
        (0..<count).flatMap { _ in withUnsafeBytes(of: Float(1).bitPattern.littleEndian) { Array($0) } }
    }

    /// Random Q4_K or Q6_K blocks whose super-block scales give weights of about 0.02 in size
    /// (Q4_K's minimums about cancel its mean), as trained matrices have.
    static func randomBlocks(_ type: GGMLType, elements: Int, random: inout SplitMix64) throws -> [UInt8] {
        let blocks = elements / type.blockSize
        let scales: [(offset: Int, half: [UInt8])] = try (type == .q6_K ? [(208, 2e-5)] : [(0, 1e-4), (2, 7.5e-4)])
            .map { ($0.0, try TensorCodec.quantize([Float($0.1)], to: .f16)) }
        var bytes = [UInt8](repeating: 0, count: blocks * type.bytesPerBlock)
        bytes.withUnsafeMutableBytes { raw in
            var offset = 0
            while offset + 8 <= raw.count {
                raw.storeBytes(of: random.next(), toByteOffset: offset, as: UInt64.self)
                offset += 8
            }
            while offset < raw.count {
                raw[offset] = UInt8(truncatingIfNeeded: random.next())
                offset += 1
            }
            for block in 0..<blocks {
                for (position, half) in scales {
                    raw[block * type.bytesPerBlock + position] = half[0]
                    raw[block * type.bytesPerBlock + position + 1] = half[1]
                }
            }
        }
        return bytes
    }
}
