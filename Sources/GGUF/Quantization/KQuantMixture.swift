/// The type of each tensor in llama.cpp's K-quant mixtures, after its `llama_tensor_get_type`
/// (llama-quant.cpp) for llama-family models:
/// - the output matrix (or, with tied embeddings, the token embedding) gets Q6_K;
/// - `attn_v` (and Phi-3's fused `attn_qkv`, which llama.cpp counts with it), by its index among them:
///   Q2_K: Q4_K where four or more query heads share a key head, else Q3_K; Q3_K_M: Q5_K in the
///   first two, then Q4_K; Q3_K_L: Q5_K; Q4_K_M and Q5_K_M: Q6_K in the layers `moreBits` picks (the
///   first and last eighth, and every third one between); Q4_K_S: Q5_K in the first four;
/// - `ffn_down`, by layer: Q2_K: Q3_K; Q3_K_M: Q5_K in the first sixteenth, then Q4_K; Q3_K_L: Q5_K;
///   Q4_K_M and Q5_K_M: Q6_K where `moreBits`; Q4_K_S: Q5_K in the first eighth;
/// - `attn_output`: Q2_K: Q3_K; Q3_K_M: Q4_K; Q3_K_L: Q5_K;
/// - every other matrix gets the mixture's base type;
/// - a matrix whose rows are not whole 256-element super-blocks falls back as llama.cpp's does:
///   Q2_K and Q3_K to Q4_0, Q4_K to Q5_0, Q5_K to Q5_1, Q6_K to Q8_0, and to F16 where even those do not fit;
/// - 1-D tensors stay F32.
struct KQuantMixture {
    let target: QuantizationTarget
    /// Query heads per key/value head (llama.cpp's n_gqa), which Q2_K's `attn_v` rule reads.
    let queryHeadsPerKeyHead: Int

    /// The type of each of `tensors`, in order.
    func types(for tensors: [GGUFTensorInfo]) -> [GGMLType] {
        let hasOutput = tensors.contains { $0.name == "output.weight" }
        let valueCount = tensors.filter { Self.isValueMatrix($0.name) }.count
        let downCount = tensors.filter { $0.name.contains("ffn_down") }.count
        // llama.cpp counts these matrices in layer order (llama-quantize sorts the tensors by
        // layer first), so the layer number in the name is the index; a name without one counts in file order.
        var valueIndex = 0
        var downIndex = 0
        return tensors.map { info in
            if info.dimensions.dropFirst().allSatisfy({ $0 == 1 }) { return .f32 }
            let layer = Self.layer(of: info.name)
            var type = target.tensorType
            if info.name == "output.weight" || (!hasOutput && info.name == "token_embd.weight") {
                type = .q6_K
            } else if Self.isValueMatrix(info.name) {
                type = valueType(index: layer ?? valueIndex, count: valueCount) ?? type
                valueIndex += 1
            } else if info.name.contains("ffn_down") {
                type = downType(index: layer ?? downIndex, count: downCount) ?? type
                downIndex += 1
            } else if info.name.hasSuffix("attn_output.weight") {
                type = outputProjectionType ?? type
            }
            return Self.fitting(type, rowLength: info.dimensions[0])
        }
    }

    private func valueType(index: Int, count: Int) -> GGMLType? {
        switch target {
        case .q2_k: queryHeadsPerKeyHead >= 4 ? .q4_K : .q3_K
        case .q3_k_m: index < 2 ? .q5_K : .q4_K
        case .q3_k_l: .q5_K
        case .q4_k_m, .q5_k_m: Self.moreBits(index, count) ? .q6_K : nil
        case .q4_k_s: index < 4 ? .q5_K : nil
        default: nil
        }
    }

    private func downType(index: Int, count: Int) -> GGMLType? {
        switch target {
        case .q2_k: .q3_K
        case .q3_k_m: index < count / 16 ? .q5_K : .q4_K
        case .q3_k_l: .q5_K
        case .q4_k_m, .q5_k_m: Self.moreBits(index, count) ? .q6_K : nil
        case .q4_k_s: index < count / 8 ? .q5_K : nil
        default: nil
        }
    }

    private var outputProjectionType: GGMLType? {
        switch target {
        case .q2_k: .q3_K
        case .q3_k_m: .q4_K
        case .q3_k_l: .q5_K
        default: nil
        }
    }

    static func isValueMatrix(_ name: String) -> Bool {
        name.hasSuffix("attn_v.weight") || name.hasSuffix("attn_qkv.weight")
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

    /// `type`, or the type llama.cpp falls back to where rows of `rowLength` are not whole blocks of it.
    static func fitting(_ type: GGMLType, rowLength: Int) -> GGMLType {
        guard rowLength % type.blockSize != 0 else { return type }
        let fallback: GGMLType =
            switch type {
            case .q2_K, .q3_K: .q4_0
            case .q4_K: .q5_0
            case .q5_K: .q5_1
            default: .q8_0
            }
        return rowLength % fallback.blockSize == 0 ? fallback : .f16
    }
}
