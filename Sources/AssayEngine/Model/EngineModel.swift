import CKernels
import Foundation
import GGUF

/// A transformer loaded from a GGUF file: configuration, tokenizer, chat format and weights.
///
/// Immutable and shareable across threads; each `Session` holds its own KV cache and buffers.
public final class EngineModel: Sendable {
    struct Layer: Sendable {
        let attentionNorm: WeightVector
        let query: WeightMatrix
        let key: WeightMatrix
        let value: WeightMatrix
        let queryBias: WeightVector?
        let keyBias: WeightVector?
        let valueBias: WeightVector?
        let attentionOutput: WeightMatrix
        let feedForwardNorm: WeightVector
        let gate: WeightMatrix
        let up: WeightMatrix
        let down: WeightMatrix
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
    /// RoPE: each rotary pair's angle per position is the previous pair's times this.
    let ropeThetaScale: Float
    /// Per rotary pair: the divisor of its angle (`rope_freqs.weight`, as Llama 3.1 files carry), if any.
    let ropeFrequencyFactors: [Float]?

    /// Reads the model at `url` into memory.
    public convenience init(contentsOf url: URL) throws {
        let file: GGUFFile
        do {
            file = try GGUFFile(contentsOf: url)
        } catch let error as GGUFError {
            throw AssayEngineError(error.description)
        }
        try self.init(file: file, source: url.path)
    }

    public init(file: GGUFFile, source: String = "model file") throws {
        self.file = file
        let config = try ModelConfiguration(metadata: file.metadata, source: source)
        configuration = config
        tokenizer = try Tokenizer(vocabulary: TokenVocabulary(metadata: file.metadata, source: source))
        chatTemplate = ChatTemplate(template: file.metadata["tokenizer.chat_template"]?.string ?? "")
        let vocabularySize = tokenizer.count
        let dim = config.embeddingLength
        func matrix(_ name: String, columns: Int, rows: Int) throws -> WeightMatrix {
            try WeightMatrix(file: file, name: name, columns: columns, rows: rows, source: source)
        }
        func vector(_ name: String, count: Int) throws -> WeightVector {
            try WeightVector(file: file, name: name, count: count, source: source)
        }
        tokenEmbedding = try matrix("token_embd.weight", columns: dim, rows: vocabularySize)
        let hasBiases = config.architecture == .qwen2
        layers = try (0..<config.layerCount).map { index in
            let prefix = "blk.\(index)."
            func bias(_ name: String, count: Int) throws -> WeightVector? {
                guard hasBiases else { return nil }
                return try WeightVector.optional(file: file, name: prefix + name, count: count, source: source)
            }
            return Layer(
                attentionNorm: try vector(prefix + "attn_norm.weight", count: dim),
                query: try matrix(prefix + "attn_q.weight", columns: dim, rows: config.queryLength),
                key: try matrix(prefix + "attn_k.weight", columns: dim, rows: config.keyValueLength),
                value: try matrix(prefix + "attn_v.weight", columns: dim, rows: config.keyValueLength),
                queryBias: try bias("attn_q.bias", count: config.queryLength),
                keyBias: try bias("attn_k.bias", count: config.keyValueLength),
                valueBias: try bias("attn_v.bias", count: config.keyValueLength),
                attentionOutput: try matrix(prefix + "attn_output.weight", columns: config.queryLength, rows: dim),
                feedForwardNorm: try vector(prefix + "ffn_norm.weight", count: dim),
                gate: try matrix(prefix + "ffn_gate.weight", columns: dim, rows: config.feedForwardLength),
                up: try matrix(prefix + "ffn_up.weight", columns: dim, rows: config.feedForwardLength),
                down: try matrix(prefix + "ffn_down.weight", columns: config.feedForwardLength, rows: dim)
            )
        }
        outputNorm = try vector("output_norm.weight", count: dim)
        output = file.tensor(named: "output.weight") == nil
            ? tokenEmbedding
            : try matrix("output.weight", columns: dim, rows: vocabularySize)
        let pairs = config.rotaryDimension / 2
        ropeFrequencyFactors = try WeightVector.optional(file: file, name: "rope_freqs.weight", count: pairs,
                                                         source: source)?.values
        ropeThetaScale = ck_rope_theta_scale(config.ropeFrequencyBase, Int32(config.rotaryDimension))
    }
}
