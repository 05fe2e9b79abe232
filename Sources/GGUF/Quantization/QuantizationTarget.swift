/// The tensor types `assay quantize` can write, with llama.cpp's file-type numbers.
public enum QuantizationTarget: String, CaseIterable, Sendable {
    case f16, q8_0, q4_0, q4_1, q5_0, q5_1
    /// llama.cpp's K-quant mixtures: a type per tensor (KQuantMixture), not one for all.
    case q2_k, q3_k_s, q3_k_m, q3_k_l, q4_k_s, q4_k_m, q5_k_s, q5_k_m, q6_k

    /// The type the model's weight matrices get.
    public var tensorType: GGMLType {
        switch self {
        case .f16: .f16
        case .q8_0: .q8_0
        case .q4_0: .q4_0
        case .q4_1: .q4_1
        case .q5_0: .q5_0
        case .q5_1: .q5_1
        case .q2_k: .q2_K
        case .q3_k_s, .q3_k_m, .q3_k_l: .q3_K
        case .q4_k_s, .q4_k_m: .q4_K
        case .q5_k_s, .q5_k_m: .q5_K
        case .q6_k: .q6_K
        }
    }

    /// The `general.file_type` value: llama.cpp's `enum llama_ftype` (LLAMA_FTYPE_MOSTLY_*).
    public var fileType: UInt32 {
        switch self {
        case .f16: 1
        case .q4_0: 2
        case .q4_1: 3
        case .q8_0: 7
        case .q5_0: 8
        case .q5_1: 9
        case .q2_k: 10
        case .q3_k_s: 11
        case .q3_k_m: 12
        case .q3_k_l: 13
        case .q4_k_s: 14
        case .q4_k_m: 15
        case .q5_k_s: 16
        case .q5_k_m: 17
        case .q6_k: 18
        }
    }

    /// Targets of 4 or 5 bits per weight, for which the embedding and output matrices stay at Q8_0.
    public var isLowBit: Bool {
        switch self {
        case .q4_0, .q4_1, .q5_0, .q5_1: true
        case .f16, .q8_0: false
        case .q2_k, .q3_k_s, .q3_k_m, .q3_k_l, .q4_k_s, .q4_k_m, .q5_k_s, .q5_k_m, .q6_k: false
        }
    }

    /// Whether each tensor's type follows llama.cpp's K-quant rules (`KQuantMixture`).
    public var isKQuantMixture: Bool { tensorType.blockSize == 256 }

    /// The targets of one type for every weight matrix.
    public static let uniform: [QuantizationTarget] = allCases.filter { !$0.isKQuantMixture }
}
