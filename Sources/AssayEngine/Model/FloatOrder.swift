import CKernels

/// The llama.cpp CPU build whose float rounding the engine reproduces, bit for bit.
///
/// llama.cpp's AVX-512 and AVX2 builds give different last bits in attention, softmax and SiLU
/// (16-lane against 8-lane sums, and two forms of its exp approximation), and the activations'
/// int8 rounding turns those bits into visible differences in the probabilities. The engine can
/// follow either on any CPU; by default it follows the build llama.cpp would make for this one.
public enum FloatOrder: String, Sendable, CaseIterable {
    case avx2
    case avx512

    /// The order of a llama.cpp built natively here: AVX-512 where the CPU has AVX-512 F and DQ.
    public static var native: FloatOrder { ck_native_order() == Int32(CK_ORDER_AVX512) ? .avx512 : .avx2 }

    /// The register width the kernels take.
    var lanes: Int32 { self == .avx512 ? Int32(CK_ORDER_AVX512) : Int32(CK_ORDER_AVX2) }
}
