/// The type of each tensor in llama.cpp's K-quant mixtures, after its `llama_tensor_get_type`
/// (llama-quant.cpp) for llama-family models:
/// - the output matrix (or, with tied embeddings, the token embedding) gets Q6_K;
/// - in Q4_K_M and Q5_K_M, `attn_v` and `ffn_down` get Q6_K in the layers `moreBits` picks (the
///   first and last eighth, and every third one between); every other matrix gets Q4_K or Q5_K;
/// - in Q4_K_S, `attn_v` of the first four layers and `ffn_down` of the first eighth get Q5_K,
///   every other matrix Q4_K;
/// - in Q6_K every matrix gets Q6_K;
/// - a matrix whose rows are not whole 256-element super-blocks falls back as llama.cpp's does:
///   Q4_K to Q5_0, Q5_K to Q5_1, Q6_K to Q8_0;
/// - 1-D tensors stay F32.
struct KQuantMixture {
    let target: QuantizationTarget

    /// The type of each of `tensors`, in order.
    func types(for tensors: [GGUFTensorInfo]) throws -> [GGMLType] {
        let hasOutput = tensors.contains { $0.name == "output.weight" }
        let valueCount = tensors.filter { $0.name.hasSuffix("attn_v.weight") }.count
        let downCount = tensors.filter { $0.name.contains("ffn_down") }.count
        // llama.cpp counts these matrices in layer order (llama-quantize sorts the tensors by
        // layer first), so the layer number in the name is the index; a name without one counts in file order.
        var valueIndex = 0
        var downIndex = 0
        return try tensors.map { info in
            let layer = Self.layer(of: info.name)
            if info.dimensions.dropFirst().allSatisfy({ $0 == 1 }) { return .f32 }
            var type = target.tensorType
            if info.name == "output.weight" || (!hasOutput && info.name == "token_embd.weight") {
                type = .q6_K
            } else if info.name.hasSuffix("attn_v.weight") {
                let index = layer ?? valueIndex
                if [.q4_k_m, .q5_k_m].contains(target) && Self.moreBits(index, valueCount) { type = .q6_K }
                if target == .q4_k_s && index < 4 { type = .q5_K }
                valueIndex += 1
            } else if info.name.contains("ffn_down") {
                let index = layer ?? downIndex
                if [.q4_k_m, .q5_k_m].contains(target) && Self.moreBits(index, downCount) { type = .q6_K }
                if target == .q4_k_s && index < downCount / 8 { type = .q5_K }
                downIndex += 1
            } else if info.name.hasSuffix("attn_qkv.weight") {
                throw GGUFError(
                    "tensor \(info.name.quotedForMessage) is a fused attention matrix (Phi-3), whose K-quant rules Assay "
                        + "does not follow yet; quantize this model to a uniform type such as q8_0 or q4_0")
            }
            return info.dimensions[0] % type.blockSize == 0 ? type : Self.fallback(type)
        }
    }

    /// N of a "blk.N." tensor name.
    static func layer(of name: String) -> Int? {
        guard name.hasPrefix("blk.") else { return nil }
        return Int(name.dropFirst(4).prefix { $0.isNumber })
    }

    /// llama.cpp's `use_more_bits`: the first and last eighth of the layers, and every third between.
    static func moreBits(_ index: Int, _ count: Int) -> Bool {
        index < count / 8 || index >= 7 * count / 8 || (index - count / 8) % 3 == 2
    }

    /// The legacy type llama.cpp uses where rows do not fill whole super-blocks.
    static func fallback(_ type: GGMLType) -> GGMLType {
        switch type {
        case .q4_K: .q5_0
        case .q5_K: .q5_1
        default: .q8_0
        }
    }
}
