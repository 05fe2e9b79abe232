// Writes the fuzzer's seed corpus: small valid GGUF files that reach every part of the reader.
// Usage: write-seeds FOLDER
import Foundation

let folder = URL(fileURLWithPath: CommandLine.arguments.dropFirst().first ?? "seeds")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)

/// A deterministic byte source, so the corpus is the same on every run.
var state: UInt64 = 0x1234_5678
func nextByte() -> UInt8 {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return UInt8(truncatingIfNeeded: state >> 56)
}

/// Random blocks with a small finite fp16 scale in their first two bytes (valid for every type).
func blocks(_ type: GGMLType, elements: Int) -> [UInt8] {
    var bytes: [UInt8] = []
    for _ in 0..<elements / type.blockSize {
        var block = (0..<type.bytesPerBlock).map { _ in nextByte() }
        if type.isQuantized {
            let scaleAt = type == .q6_K ? type.bytesPerBlock - 2 : 0
            block[scaleAt] = 0
            block[scaleAt + 1] = 0x20
        }
        bytes += block
    }
    return bytes
}

func write(_ name: String, _ writer: GGUFWriter) throws {
    try writer.write(to: folder.appendingPathComponent(name))
}

var every = GGUFWriter()
every.set("general.architecture", .string("llama"))
every.set("llama.block_count", .uint32(1))
every.set("tokenizer.ggml.tokens", .array([.string("a"), .string("b")]))
every.set("scores", .array([.float32(0.5), .float32(-1)]))
every.set("nested", .array([.array([.int16(-1)]), .array([])]))
every.set("values", .array([.uint8(1)]))
every.set("flag", .bool(true))
every.set("big", .uint64(UInt64.max))
every.set("wide", .float64(1.5))
every.set("small", .int8(-3))
for (index, type) in GGMLType.allCases.enumerated() {
    try every.addTensor(
        name: "blk.\(index).weight", dimensions: [type.blockSize, 2], type: type,
        data: blocks(type, elements: type.blockSize * 2))
}
try write("every-type.gguf", every)

var aligned = GGUFWriter(alignment: 64)
aligned.set("general.name", .string("aligned"))
try aligned.addTensor(name: "norm", dimensions: [8], type: .f32, data: blocks(.f32, elements: 8))
try aligned.addTensor(name: "w", dimensions: [32, 1, 1, 2], type: .q8_0, data: blocks(.q8_0, elements: 64))
try write("aligned-64.gguf", aligned)

var metadataOnly = GGUFWriter()
metadataOnly.set("general.architecture", .string("llama"))
try write("metadata-only.gguf", metadataOnly)

try write("empty.gguf", GGUFWriter())

var version2 = aligned.bytes()
version2[4] = 2
try Data(version2).write(to: folder.appendingPathComponent("version-2.gguf"))

/// A tiny model of `architecture` (F32, 8 wide, one layer) with the tensor layout the engine
/// expects, so the fuzzer starts from files that reach the forward pass.
func tinyModel(_ architecture: String, sentencePiece: Bool) throws -> GGUFWriter {
    let (dim, heads, kvHeads, head, ff) = (8, 2, 1, 4, 16)
    var writer = GGUFWriter()
    let p = architecture + "."
    writer.set("general.architecture", .string(architecture))
    for (key, value) in [
        ("block_count", 1), ("context_length", 32), ("embedding_length", dim),
        ("feed_forward_length", ff), ("attention.head_count", heads),
        ("attention.head_count_kv", kvHeads),
    ] {
        writer.set(p + key, .uint32(UInt32(value)))
    }
    if architecture == "gemma3" { writer.set(p + "attention.sliding_window", .uint32(2)) }
    if architecture == "phi3" {
        writer.set(p + "rope.scaling.original_context_length", .uint32(16))
        writer.set(p + "rope.scaling.attn_factor", .float32(1.2))
    }
    let tokens =
        sentencePiece
        ? ["<unk>", "<s>", "</s>", "\u{2581}", "H", "i", "\u{2581}H", "<0x41>"]
        : ["H", "i", "\u{0120}", "w", "Hi", "1", "<s>", "'"]
    writer.set("tokenizer.ggml.model", .string(sentencePiece ? "llama" : "gpt2"))
    writer.set("tokenizer.ggml.pre", .string(sentencePiece ? "default" : "llama-bpe"))
    writer.set("tokenizer.ggml.tokens", .array(tokens.map { .string($0) }))
    writer.set("tokenizer.ggml.token_type", .array(tokens.indices.map { .int32($0 == 6 || $0 < 3 && sentencePiece ? 3 : 1) }))
    if sentencePiece {
        writer.set("tokenizer.ggml.scores", .array(tokens.indices.map { .float32(-Float($0)) }))
    } else {
        writer.set("tokenizer.ggml.merges", .array([.string("H i")]))
    }
    writer.set("tokenizer.ggml.bos_token_id", .uint32(sentencePiece ? 1 : 6))
    writer.set("tokenizer.chat_template", .string(architecture == "gemma3" ? "<start_of_turn>" : "<|im_start|>"))
    func tensor(_ name: String, _ dimensions: [Int]) throws {
        try writer.addTensor(
            name: name, dimensions: dimensions, type: .f32,
            data: blocks(.f32, elements: dimensions.reduce(1, *)).map { $0 & 0x3f })
    }
    let (q, kv) = (heads * head, kvHeads * head)
    try tensor("token_embd.weight", [dim, tokens.count])
    try tensor("blk.0.attn_norm.weight", [dim])
    if architecture == "phi3" {
        try tensor("blk.0.attn_qkv.weight", [dim, q + 2 * kv])
        try tensor("blk.0.ffn_up.weight", [dim, 2 * ff])
        try tensor("rope_factors_short.weight", [head / 2])
        try tensor("rope_factors_long.weight", [head / 2])
    } else {
        try tensor("blk.0.attn_q.weight", [dim, q])
        try tensor("blk.0.attn_k.weight", [dim, kv])
        try tensor("blk.0.attn_v.weight", [dim, kv])
        try tensor("blk.0.ffn_gate.weight", [dim, ff])
        try tensor("blk.0.ffn_up.weight", [dim, ff])
    }
    if architecture == "qwen2" {
        try tensor("blk.0.attn_q.bias", [q])
        try tensor("blk.0.attn_k.bias", [kv])
        try tensor("blk.0.attn_v.bias", [kv])
    }
    if architecture == "gemma3" {
        for name in ["attn_q_norm", "attn_k_norm"] { try tensor("blk.0.\(name).weight", [head]) }
        for name in ["post_attention_norm", "post_ffw_norm"] { try tensor("blk.0.\(name).weight", [dim]) }
    }
    if architecture == "llama" { try tensor("rope_freqs.weight", [head / 2]) }
    try tensor("blk.0.attn_output.weight", [q, dim])
    try tensor("blk.0.ffn_norm.weight", [dim])
    try tensor("blk.0.ffn_down.weight", [ff, dim])
    try tensor("output_norm.weight", [dim])
    return writer
}

for (architecture, sentencePiece) in [
    ("llama", false), ("llama", true), ("qwen2", false), ("phi3", true),
    ("gemma3", true),
] {
    try write("tiny-\(architecture)-\(sentencePiece ? "spm" : "bpe").gguf", tinyModel(architecture, sentencePiece: sentencePiece))
}
