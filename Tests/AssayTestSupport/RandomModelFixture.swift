import Foundation
import GGUF

/// Small random-weight models of each architecture the engine runs, with that architecture's real
/// tensor names, layout and metadata and a real vocabulary (Tests/Fixtures/vocab), written by
/// Assay's GGUF writer. The same seed gives the same bytes, so llama.cpp's outputs for them can be
/// committed (Tests/Fixtures/golden-random, made by scripts/golden/random-models.sh).
public struct RandomModelFixture: Sendable {
    public let name: String
    public let architecture: String
    public let vocabulary: String
    public let chatTemplateFile: String?
    let layers: Int
    let embedding: Int
    let feedForward: Int
    let heads: Int
    let keyValueHeads: Int
    let headDimension: Int
    let seed: UInt64

    public static let all: [RandomModelFixture] = [
        // Llama 3.x: the BPE vocabulary, untied output, rope_freqs (Llama 3.1's scaling factors).
        RandomModelFixture(
            name: "llama3", architecture: "llama", vocabulary: "llama-bpe",
            chatTemplateFile: "meta-llama-Llama-3.2-3B-Instruct.jinja", layers: 2, embedding: 64,
            feedForward: 128, heads: 4, keyValueHeads: 2, headDimension: 16, seed: 1),
        // Mistral: llama layout, SentencePiece with byte fallback, tied output, one KV head.
        RandomModelFixture(
            name: "mistral", architecture: "llama", vocabulary: "llama-spm",
            chatTemplateFile: "mistralai-Mistral-Nemo-Instruct-2407.jinja", layers: 2, embedding: 64,
            feedForward: 128, heads: 4, keyValueHeads: 1, headDimension: 16, seed: 2),
        // Qwen2: Q/K/V biases, half-split RoPE, tied output.
        RandomModelFixture(
            name: "qwen2", architecture: "qwen2", vocabulary: "qwen2",
            chatTemplateFile: "Qwen-Qwen2.5-7B-Instruct.jinja", layers: 2, embedding: 64,
            feedForward: 128, heads: 4, keyValueHeads: 2, headDimension: 16, seed: 3),
        // Phi-3: fused attn_qkv and ffn_up, partial rotary, LongRoPE short/long factors and attn_factor.
        RandomModelFixture(
            name: "phi3", architecture: "phi3", vocabulary: "phi-3",
            chatTemplateFile: "microsoft-Phi-3.5-mini-instruct.jinja", layers: 2, embedding: 64,
            feedForward: 128, heads: 4, keyValueHeads: 4, headDimension: 16, seed: 4),
        // Gemma 3: six layers (five sliding-window, one global), key_length above embedding / heads.
        RandomModelFixture(
            name: "gemma3", architecture: "gemma3", vocabulary: "llama-spm",
            chatTemplateFile: "google-gemma-2-2b-it.jinja", layers: 6, embedding: 64,
            feedForward: 128, heads: 4, keyValueHeads: 1, headDimension: 32, seed: 5),
    ]

    public static func named(_ name: String) -> RandomModelFixture? { all.first { $0.name == name } }

    /// Gemma 3's sliding window, short enough that the golden prompt and its 32 tokens cross it.
    public static let slidingWindow = 8
    /// Phi-3's original context: llama.cpp and the tests run with 512, so the short factors apply.
    static let originalContext = 4096

    var rotaryDimension: Int { architecture == "phi3" ? headDimension / 2 : headDimension }

    /// The GGUF file's bytes.
    public func bytes() throws -> [UInt8] {
        let vocab = try GGUFFile(contentsOf: SharedFiles.projectFile("Tests/Fixtures/vocab/ggml-vocab-\(vocabulary).gguf"))
        guard let tokens = vocab.metadata["tokenizer.ggml.tokens"]?.strings else {
            throw GGUFError("the \(vocabulary) vocabulary has no tokens")
        }
        var writer = GGUFWriter()
        let prefix = architecture + "."
        writer.set("general.architecture", .string(architecture))
        writer.set("general.name", .string("assay-random-\(name)"))
        writer.set(prefix + "block_count", .uint32(UInt32(layers)))
        writer.set(prefix + "context_length", .uint32(architecture == "phi3" ? 131_072 : 8192))
        writer.set(prefix + "embedding_length", .uint32(UInt32(embedding)))
        writer.set(prefix + "feed_forward_length", .uint32(UInt32(feedForward)))
        writer.set(prefix + "attention.head_count", .uint32(UInt32(heads)))
        writer.set(prefix + "attention.head_count_kv", .uint32(UInt32(keyValueHeads)))
        writer.set(prefix + "attention.layer_norm_rms_epsilon", .float32(1e-6))
        writer.set(prefix + "rope.dimension_count", .uint32(UInt32(rotaryDimension)))
        if headDimension != embedding / heads {
            writer.set(prefix + "attention.key_length", .uint32(UInt32(headDimension)))
            writer.set(prefix + "attention.value_length", .uint32(UInt32(headDimension)))
        }
        switch name {
        case "llama3": writer.set(prefix + "rope.freq_base", .float32(500_000))
        case "qwen2": writer.set(prefix + "rope.freq_base", .float32(1_000_000))
        case "phi3":
            writer.set(prefix + "rope.freq_base", .float32(10000))
            writer.set(prefix + "rope.scaling.original_context_length", .uint32(UInt32(Self.originalContext)))
            writer.set(prefix + "rope.scaling.attn_factor", .float32(1.1902381))
        case "gemma3":
            writer.set(prefix + "rope.freq_base", .float32(1_000_000))
            writer.set(prefix + "attention.sliding_window", .uint32(UInt32(Self.slidingWindow)))
        default: break
        }
        writer.set("general.file_type", .uint32(7))  // mostly Q8_0
        for key in vocab.metadataKeys where key.hasPrefix("tokenizer.") {
            if let value = vocab.metadata[key] { writer.set(key, value) }
        }
        if let chatTemplateFile {
            let template = try String(
                contentsOf: SharedFiles.projectFile("Tests/Fixtures/chat/\(chatTemplateFile)"),
                encoding: .utf8)
            writer.set("tokenizer.chat_template", .string(template))
        }
        var random = SeededRandom(seed: seed)
        for tensor in layout(vocabularySize: tokens.count) {
            let count = tensor.dimensions.reduce(1, *)
            let values = random.floats(count, in: tensor.range)
            try writer.addTensor(
                name: tensor.name, dimensions: tensor.dimensions, type: tensor.type,
                data: try TensorCodec.quantize(values, to: tensor.type))
        }
        return try writer.bytes()
    }

    public func write(to url: URL) throws {
        try Data(bytes()).write(to: url)
    }

    struct Tensor {
        let name: String
        let dimensions: [Int]
        let type: GGMLType
        let range: ClosedRange<Float>
    }

    /// Every tensor, named and shaped as llama.cpp expects for the architecture.
    func layout(vocabularySize: Int) -> [Tensor] {
        let (q, kv) = (heads * headDimension, keyValueHeads * headDimension)
        func matrix(_ name: String, _ columns: Int, _ rows: Int, scale: Float = 1) -> Tensor {
            // Uniform weights with variance 1/columns keep activations near unit size in every layer.
            let bound = scale * (3 / Float(columns)).squareRoot()
            return Tensor(name: name, dimensions: [columns, rows], type: .q8_0, range: -bound...bound)
        }
        func vector(_ name: String, _ count: Int, _ range: ClosedRange<Float> = 0.8...1.2) -> Tensor {
            Tensor(name: name, dimensions: [count], type: .f32, range: range)
        }
        // Output rows sized so that the next token is mostly clear but not certain: few near ties,
        // and top-10 probabilities that are worth comparing. A tied output is the embedding, whose
        // logits grow with the residual's alignment to it, so it is kept smaller.
        let tied = !["llama3", "phi3"].contains(name)
        var tensors = [matrix("token_embd.weight", embedding, vocabularySize, scale: tied ? 3 : 6)]
        for layer in 0..<layers {
            let p = "blk.\(layer)."
            tensors.append(vector(p + "attn_norm.weight", embedding))
            if architecture == "phi3" {
                tensors.append(matrix(p + "attn_qkv.weight", embedding, q + 2 * kv))
            } else {
                tensors += [
                    matrix(p + "attn_q.weight", embedding, q), matrix(p + "attn_k.weight", embedding, kv),
                    matrix(p + "attn_v.weight", embedding, kv),
                ]
            }
            if architecture == "qwen2" {
                tensors += [
                    vector(p + "attn_q.bias", q, -0.5...0.5), vector(p + "attn_k.bias", kv, -0.5...0.5),
                    vector(p + "attn_v.bias", kv, -0.5...0.5),
                ]
            }
            if architecture == "gemma3" {
                tensors += [vector(p + "attn_q_norm.weight", headDimension), vector(p + "attn_k_norm.weight", headDimension)]
            }
            tensors.append(matrix(p + "attn_output.weight", q, embedding))
            if architecture == "gemma3" { tensors.append(vector(p + "post_attention_norm.weight", embedding)) }
            tensors.append(vector(p + "ffn_norm.weight", embedding))
            if architecture == "phi3" {
                tensors.append(matrix(p + "ffn_up.weight", embedding, 2 * feedForward))
            } else {
                tensors += [
                    matrix(p + "ffn_gate.weight", embedding, feedForward),
                    matrix(p + "ffn_up.weight", embedding, feedForward),
                ]
            }
            tensors.append(matrix(p + "ffn_down.weight", feedForward, embedding))
            if architecture == "gemma3" { tensors.append(vector(p + "post_ffw_norm.weight", embedding)) }
        }
        tensors.append(vector("output_norm.weight", embedding))
        switch name {
        case "llama3":
            tensors.append(matrix("output.weight", embedding, vocabularySize, scale: 14))
            tensors.append(vector("rope_freqs.weight", rotaryDimension / 2, 1...8))
        case "phi3":
            tensors.append(matrix("output.weight", embedding, vocabularySize, scale: 14))
            tensors.append(vector("rope_factors_short.weight", rotaryDimension / 2, 1...1.5))
            tensors.append(vector("rope_factors_long.weight", rotaryDimension / 2, 1...40))
        default: break
        }
        return tensors
    }
}
