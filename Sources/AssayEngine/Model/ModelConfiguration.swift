import AssaySupport
import Foundation
import GGUF

/// The hyperparameters of a transformer, read from `<architecture>.*` GGUF metadata.
public struct ModelConfiguration: Sendable, Equatable {
    /// The architectures this engine runs.
    public enum Architecture: String, Sendable, CaseIterable {
        /// Llama 1-3, Mistral, SmolLM2: RMS norm, SwiGLU, grouped-query attention, RoPE on adjacent pairs.
        case llama
        /// Qwen2 / Qwen2.5: the llama layout plus biases on Q, K, V, and RoPE on half-split pairs.
        case qwen2
        /// Phi-3: one fused Q/K/V matrix, one fused gate/up matrix, half-split RoPE (LongRoPE factors).
        case phi3
        /// Gemma 3: scaled embeddings, Q/K norms, norms after attention and FFN, GELU-gated FFN,
        /// sliding-window layers with their own RoPE base.
        case gemma3

        /// The `general.architecture` names this engine runs, with the architecture each one means.
        static let names: [String: Architecture] = [
            "llama": .llama, "mistral": .llama, "qwen2": .qwen2,
            "phi3": .phi3, "gemma3": .gemma3,
        ]

        /// RoPE rotates pairs (i, i + n/2) rather than adjacent ones (llama.cpp's NEOX type).
        var rotatesHalves: Bool { self != .llama }
    }

    /// A clear refusal for any other architecture, naming the supported ones.
    public static func unsupportedArchitecture(_ name: String, source: String) -> AssayError {
        AssayError(
            "\(source): architecture '\(name)' is not supported by the embedded engine; supported: "
                + "llama (Llama 2/3, Mistral, SmolLM2), qwen2, phi3, gemma3; use an Ollama or OpenAI-compatible backend for it")
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
    /// The scale of the attention scores (1/sqrt(head size), or Gemma 3's rule).
    public let attentionScale: Float
    /// Gemma multiplies the token embeddings by sqrt(embedding length).
    public let embeddingScale: Float?
    /// Sliding-window attention: the window in positions, and which layers use it.
    public let slidingWindow: Int?
    /// Gemma 3: every `slidingWindowPattern`-th layer attends to everything, the others to the window.
    public let slidingWindowPattern: Int
    /// The RoPE base of the sliding-window layers (Gemma 3: 10,000, as llama.cpp fixes it).
    public let slidingRopeFrequencyBase: Float
    /// Phi-3 LongRoPE: the training context that picks the short or the long factors, and the
    /// factor on cos and sin (`rope.scaling.attn_factor`).
    public let ropeOriginalContextLength: Int
    public let ropeAttentionFactor: Float

    public var queryLength: Int { headCount * headDimension }
    public var keyValueLength: Int { keyValueHeadCount * headDimension }

    /// Whether layer `index` attends only within the sliding window.
    public func isSlidingLayer(_ index: Int) -> Bool {
        guard slidingWindow != nil else { return false }
        return slidingWindowPattern <= 1 || index % slidingWindowPattern < slidingWindowPattern - 1
    }

    public init(metadata: [String: GGUFValue], source: String) throws {
        guard let name = metadata["general.architecture"]?.string else {
            throw AssayError("\(source): no general.architecture in the metadata; not a model file")
        }
        guard let architecture = Architecture.names[name] else {
            throw Self.unsupportedArchitecture(name, source: source)
        }
        self.architecture = architecture
        func integer(_ key: String, default fallback: Int? = nil) throws -> Int {
            if let value = metadata[name + "." + key] {
                guard let int = value.int, int > 0 else {
                    throw AssayError("\(source): \(name).\(key) must be a positive integer")
                }
                return int
            }
            guard let fallback else {
                throw AssayError("\(source): \(name).\(key) is missing from the metadata")
            }
            return fallback
        }
        func real(_ key: String, default fallback: Double) throws -> Float {
            guard let value = metadata[name + "." + key] else { return Float(fallback) }
            guard let double = value.double, double.isFinite, double > 0 else {
                throw AssayError("\(source): \(name).\(key) must be a positive number")
            }
            return Float(double)
        }
        layerCount = try integer("block_count")
        embeddingLength = try integer("embedding_length")
        feedForwardLength = try integer("feed_forward_length")
        headCount = try integer("attention.head_count")
        keyValueHeadCount = try integer("attention.head_count_kv", default: headCount)
        guard embeddingLength % headCount == 0 || metadata[name + ".attention.key_length"] != nil else {
            throw AssayError("\(source): embedding_length \(embeddingLength) is not a multiple of head_count \(headCount)")
        }
        headDimension = try integer("attention.key_length", default: embeddingLength / headCount)
        guard try integer("attention.value_length", default: headDimension) == headDimension else {
            throw AssayError(
                "\(source): \(name).attention.value_length differs from key_length; "
                    + "the embedded engine needs keys and values of one size")
        }
        rotaryDimension = try integer("rope.dimension_count", default: headDimension)
        guard headCount % keyValueHeadCount == 0, rotaryDimension <= headDimension, rotaryDimension % 2 == 0,
            headDimension % 2 == 0, headDimension <= 512
        else {
            throw AssayError(
                "\(source): inconsistent attention shape (heads \(headCount), kv heads "
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
        ropeOriginalContextLength = try integer("rope.scaling.original_context_length", default: contextLength)
        ropeAttentionFactor = try real("rope.scaling.attn_factor", default: 1)
        slidingWindow = metadata[name + ".attention.sliding_window"] == nil ? nil : try integer("attention.sliding_window")
        if architecture == .gemma3 {
            embeddingScale = Float(embeddingLength).squareRoot()
            slidingWindowPattern = 6
            slidingRopeFrequencyBase = 10000
            // llama.cpp (after gemma_pytorch): queries scale by 1/sqrt(head size), but the 27B model
            // (62 layers) by 1/sqrt(embedding / heads), its query_pre_attn_scalar.
            let scalar = layerCount == 62 ? embeddingLength / headCount : headDimension
            attentionScale = 1 / Float(scalar).squareRoot()
        } else {
            embeddingScale = nil
            slidingWindowPattern = 1
            slidingRopeFrequencyBase = ropeFrequencyBase
            attentionScale = 1 / Float(headDimension).squareRoot()
        }
    }
}
