import Foundation
import GGUF

/// The hyperparameters of a transformer, read from `<architecture>.*` GGUF metadata.
public struct ModelConfiguration: Sendable, Equatable {
    /// The architectures this engine runs.
    public enum Architecture: String, Sendable {
        /// Llama 1-3, Mistral, SmolLM2: RMS norm, SwiGLU, grouped-query attention, RoPE on adjacent pairs.
        case llama
        /// Qwen2 / Qwen2.5: the llama layout plus biases on Q, K, V, and RoPE on half-split pairs.
        case qwen2
    }

    public let architecture: Architecture
    public let layerCount: Int
    public let embeddingLength: Int
    public let feedForwardLength: Int
    public let headCount: Int
    public let keyValueHeadCount: Int
    public let headDimension: Int
    public let rotaryDimension: Int
    public let ropeFrequencyBase: Float
    /// Position scale of linear RoPE scaling (1 when the file names none).
    public let ropeFrequencyScale: Float
    public let normEpsilon: Float
    public let contextLength: Int

    public var queryLength: Int { headCount * headDimension }
    public var keyValueLength: Int { keyValueHeadCount * headDimension }

    public init(metadata: [String: GGUFValue], source: String) throws {
        guard let name = metadata["general.architecture"]?.string else {
            throw AssayEngineError("\(source): no general.architecture in the metadata; not a model file")
        }
        switch name {
        case "llama", "mistral": architecture = .llama
        case "qwen2": architecture = .qwen2
        default:
            throw AssayEngineError("\(source): architecture '\(name)' is not supported by the embedded engine; "
                + "supported: llama (Llama 2/3, Mistral, SmolLM2), qwen2 — use an Ollama or OpenAI-compatible backend for it")
        }
        func integer(_ key: String, default fallback: Int? = nil) throws -> Int {
            if let value = metadata[name + "." + key] {
                guard let int = value.int, int > 0 else {
                    throw AssayEngineError("\(source): \(name).\(key) must be a positive integer")
                }
                return int
            }
            guard let fallback else {
                throw AssayEngineError("\(source): \(name).\(key) is missing from the metadata")
            }
            return fallback
        }
        func real(_ key: String, default fallback: Double) throws -> Float {
            guard let value = metadata[name + "." + key] else { return Float(fallback) }
            guard let double = value.double, double.isFinite, double > 0 else {
                throw AssayEngineError("\(source): \(name).\(key) must be a positive number")
            }
            return Float(double)
        }
        layerCount = try integer("block_count")
        embeddingLength = try integer("embedding_length")
        feedForwardLength = try integer("feed_forward_length")
        headCount = try integer("attention.head_count")
        keyValueHeadCount = try integer("attention.head_count_kv", default: headCount)
        guard embeddingLength % headCount == 0 || metadata[name + ".attention.key_length"] != nil else {
            throw AssayEngineError("\(source): embedding_length \(embeddingLength) is not a multiple of head_count \(headCount)")
        }
        headDimension = try integer("attention.key_length", default: embeddingLength / headCount)
        rotaryDimension = try integer("rope.dimension_count", default: headDimension)
        guard headCount % keyValueHeadCount == 0, rotaryDimension <= headDimension, rotaryDimension % 2 == 0,
              headDimension % 2 == 0, headDimension <= 512 else {
            throw AssayEngineError("\(source): inconsistent attention shape (heads \(headCount), kv heads "
                + "\(keyValueHeadCount), head size \(headDimension), rope dims \(rotaryDimension))")
        }
        ropeFrequencyBase = try real("rope.freq_base", default: 10000)
        if metadata[name + ".rope.scaling.type"]?.string == "linear" {
            ropeFrequencyScale = 1 / (try real("rope.scaling.factor", default: 1))
        } else {
            ropeFrequencyScale = 1
        }
        normEpsilon = try real("attention.layer_norm_rms_epsilon", default: 1e-5)
        contextLength = try integer("context_length", default: 2048)
    }
}
