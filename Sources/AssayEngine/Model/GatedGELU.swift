import Foundation

/// Gemma's gated feed-forward activation, `gelu_tanh(gate) * up`, computed as ggml's CPU backend
/// does: the input rounded to a half, looked up in a table of GELU values that are themselves
/// rounded to halves (ggml builds with GGML_GELU_FP16), with the ends at |x| >= 10 taken exactly.
enum GatedGELU {
    /// GELU (tanh form) of every half value, as a half, widened to Float.
    private static let table: [Float] = (0..<(1 << 16)).map { bits in
        let x = Float(Float16(bitPattern: UInt16(bits)))
        let sqrtTwoOverPi: Float = 0.79788456080286535587989211986876
        // 1 + a·x·x as one FMA, as the compiler of llama.cpp's table fuses it (GCC contracts with
        // FMA available): unfused, one of the 65,536 entries rounds the other way.
        let inner = sqrtTwoOverPi * x * Float(1).addingProduct(0.044715 * x, x)
        return Float(Float16(0.5 * x * (1 + tanhf(inner))))
    }

    /// gate[i] = gelu(gate[i]) * up[i] for i in 0..<count.
    static func apply(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int) {
        table.withUnsafeBufferPointer { table in
            for index in 0..<count {
                let x = gate[index]
                if x <= -10 {
                    gate[index] = 0
                } else if x >= 10 {
                    gate[index] = x * up[index]
                } else {
                    gate[index] = table[Int(Float16(x).bitPattern)] * up[index]
                }
            }
        }
    }
}
