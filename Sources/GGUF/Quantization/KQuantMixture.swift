/// The type of each tensor in llama.cpp's K-quant mixtures, after its `llama_tensor_get_type`
/// (llama-quant.cpp) for llama-family models:
/// - the output matrix (or, with tied embeddings, the token embedding) gets Q6_K;
/// - in Q4_K_M, `attn_v` and `ffn_down` get Q6_K in the layers `moreBits` picks (the first and
///   last eighth, and every third one between), Q4_K elsewhere; every other matrix gets Q4_K;
/// - in Q6_K every matrix gets Q6_K;
/// - a matrix whose rows are not whole 256-element super-blocks falls back as llama.cpp's does:
///   Q4_K to Q5_0, Q6_K to Q8_0;
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
                if target == .q4_k_m && Self.moreBits(layer ?? valueIndex, valueCount) { type = .q6_K }
                valueIndex += 1
            } else if info.name.contains("ffn_down") {
                if target == .q4_k_m && Self.moreBits(layer ?? downIndex, downCount) { type = .q6_K }
                downIndex += 1
            } else if info.name.hasSuffix("attn_qkv.weight") && target == .q4_k_m {
                throw GGUFError(
                    "tensor \(info.name.quotedForMessage) is a fused attention matrix, which llama.cpp's Q4_K_M stores as Q5_K; "
                        + "Assay cannot encode Q5_K yet, so quantize this model to q6_k or a uniform type")
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
