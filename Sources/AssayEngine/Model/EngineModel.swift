import AssaySupport
import CKernels
import Foundation
import GGUF

/// A transformer loaded from a GGUF file: configuration, tokenizer, chat format and weights.
///
/// Immutable and shareable across threads; each `Session` holds its own KV cache and buffers.
public final class EngineModel: Sendable {
    struct Layer: Sendable {
        /// Q, K and V as three matrices, or as one whose rows are Q's, then K's, then V's (Phi-3).
        enum Projections: Sendable {
            case separate(query: WeightMatrix, key: WeightMatrix, value: WeightMatrix)
            case fused(WeightMatrix)
        }
        /// The gate and up matrices, or one whose rows are the gate's, then up's (Phi-3).
        enum FeedForwardInput: Sendable {
            case separate(gate: WeightMatrix, up: WeightMatrix)
            case fused(WeightMatrix)
        }

        let attentionNorm: WeightVector
        let projections: Projections
        let queryBias: WeightVector?
        let keyBias: WeightVector?
        let valueBias: WeightVector?
        /// Per-head RMS norms of queries and keys (Gemma 3).
        let queryNorm: WeightVector?
        let keyNorm: WeightVector?
        let attentionOutput: WeightMatrix
        /// The norm of the attention's output before the residual add (Gemma 3).
        let postAttentionNorm: WeightVector?
        let feedForwardNorm: WeightVector
        let feedForwardInput: FeedForwardInput
        let down: WeightMatrix
        /// The norm of the feed-forward output before the residual add (Gemma 3).
        let postFeedForwardNorm: WeightVector?
        /// RoPE for this layer: the per-pair angle step and the position scale (sliding-window
        /// layers of Gemma 3 have their own base).
        let ropeThetaScale: Float
        let ropeFrequencyScale: Float
        let slidingWindow: Int?
    }

    public let file: GGUFFile
    public let configuration: ModelConfiguration
    public let tokenizer: Tokenizer
    public let chatTemplate: ChatTemplate
    /// The file's size in bytes (all of it is held in memory).
    public var fileSize: Int { file.fileSize }

    let tokenEmbedding: WeightMatrix
    let layers: [Layer]
    let outputNorm: WeightVector
    /// `output.weight`, or the token embedding when the file ties them.
    let output: WeightMatrix
    /// Per rotary pair: the divisor of its angle (`rope_freqs.weight`, as Llama 3.1 files carry), if any.
    let ropeFrequencyFactors: [Float]?
    /// Phi-3 LongRoPE's divisors for contexts up to the original length and beyond it.
    let ropeShortFactors: [Float]?
    let ropeLongFactors: [Float]?

    /// Reads the model at `url` into memory.
    public convenience init(contentsOf url: URL) throws {
        let file: GGUFFile
        do {
            file = try GGUFFile(contentsOf: url)
        } catch let error as GGUFError {
            throw AssayError(error.description)
        }
        try self.init(file: file, source: url.path)
    }

    public init(file: GGUFFile, source: String = "model file") throws {
        self.file = file
        let config = try ModelConfiguration(metadata: file.metadata, source: source)
        configuration = config
        tokenizer = try Tokenizer(vocabulary: TokenVocabulary(metadata: file.metadata, source: source))
        if let template = file.metadata["tokenizer.chat_template"]?.string, !template.isEmpty {
            chatTemplate = ChatTemplate(template: template)
        } else {
            chatTemplate = ChatTemplate(vocabularyTokens: tokenizer.vocabulary.tokens)
        }
        let vocabularySize = tokenizer.count
        let dim = config.embeddingLength
        func matrix(_ name: String, columns: Int, rows: Int) throws -> WeightMatrix {
            try WeightMatrix(file: file, name: name, columns: columns, rows: rows, source: source)
        }
        func vector(_ name: String, count: Int) throws -> WeightVector {
            try WeightVector(file: file, name: name, count: count, source: source)
        }
        tokenEmbedding = try matrix("token_embd.weight", columns: dim, rows: vocabularySize)
        let architecture = config.architecture
        let (qLength, kvLength, ff) = (config.queryLength, config.keyValueLength, config.feedForwardLength)
        // Every layer has several tensors; checked first so that a huge block_count fails here
        // rather than in an allocation for that many layers.
        guard config.layerCount <= file.tensors.count else {
            throw AssayError(
                "\(source): block_count is \(config.layerCount) but the file "
                    + "has only \(file.tensors.count) tensors; the file is not a complete model")
        }
        layers = try (0..<config.layerCount).map { index in
            let prefix = "blk.\(index)."
            func optionalVector(_ name: String, count: Int) throws -> WeightVector? {
                try WeightVector.optional(file: file, name: prefix + name, count: count, source: source)
            }
            func gemmaVector(_ name: String, count: Int) throws -> WeightVector? {
                architecture == .gemma3 ? try vector(prefix + name, count: count) : nil
            }
            let projections: Layer.Projections =
                file.tensor(named: prefix + "attn_qkv.weight") != nil
                ? .fused(try matrix(prefix + "attn_qkv.weight", columns: dim, rows: qLength + 2 * kvLength))
                : .separate(
                    query: try matrix(prefix + "attn_q.weight", columns: dim, rows: qLength),
                    key: try matrix(prefix + "attn_k.weight", columns: dim, rows: kvLength),
                    value: try matrix(prefix + "attn_v.weight", columns: dim, rows: kvLength))
            let feedForwardInput: Layer.FeedForwardInput =
                architecture == .phi3
                    && file.tensor(named: prefix + "ffn_gate.weight") == nil
                ? .fused(try matrix(prefix + "ffn_up.weight", columns: dim, rows: 2 * ff))
                : .separate(
                    gate: try matrix(prefix + "ffn_gate.weight", columns: dim, rows: ff),
                    up: try matrix(prefix + "ffn_up.weight", columns: dim, rows: ff))
            let sliding = config.isSlidingLayer(index)
            // Gemma 3's sliding-window layers keep RoPE's own base and no position scaling.
            let localRope = sliding && architecture == .gemma3
            let base = localRope ? config.slidingRopeFrequencyBase : config.ropeFrequencyBase
            let hasBiases = architecture == .qwen2
            return Layer(
                attentionNorm: try vector(prefix + "attn_norm.weight", count: dim),
                projections: projections,
                queryBias: hasBiases ? try optionalVector("attn_q.bias", count: qLength) : nil,
                keyBias: hasBiases ? try optionalVector("attn_k.bias", count: kvLength) : nil,
                valueBias: hasBiases ? try optionalVector("attn_v.bias", count: kvLength) : nil,
                queryNorm: try gemmaVector("attn_q_norm.weight", count: config.headDimension),
                keyNorm: try gemmaVector("attn_k_norm.weight", count: config.headDimension),
                attentionOutput: try matrix(prefix + "attn_output.weight", columns: qLength, rows: dim),
                postAttentionNorm: try gemmaVector("post_attention_norm.weight", count: dim),
                feedForwardNorm: try vector(prefix + "ffn_norm.weight", count: dim),
                feedForwardInput: feedForwardInput,
                down: try matrix(prefix + "ffn_down.weight", columns: ff, rows: dim),
                postFeedForwardNorm: try gemmaVector("post_ffw_norm.weight", count: dim),
                ropeThetaScale: ck_rope_theta_scale(base, Int32(config.rotaryDimension)),
                ropeFrequencyScale: localRope ? 1 : config.ropeFrequencyScale,
                slidingWindow: sliding ? config.slidingWindow : nil
            )
        }
        outputNorm = try vector("output_norm.weight", count: dim)
        output =
            file.tensor(named: "output.weight") == nil
            ? tokenEmbedding
            : try matrix("output.weight", columns: dim, rows: vocabularySize)
        let pairs = config.rotaryDimension / 2
        // One divisor per rotary pair (a longer tensor's first ones: some converters size them by the head).
        func factors(_ name: String) throws -> [Float]? {
            guard let info = file.tensor(named: name) else { return nil }
            guard info.elementCount >= pairs else {
                throw AssayError("\(source): tensor \(name) has \(info.elementCount) elements, expected \(pairs)")
            }
            return Array(try WeightVector(file: file, name: name, count: info.elementCount, source: source).values.prefix(pairs))
        }
        ropeFrequencyFactors = try factors("rope_freqs.weight")
        ropeShortFactors = try factors("rope_factors_short.weight")
        ropeLongFactors = try factors("rope_factors_long.weight")
    }
}
