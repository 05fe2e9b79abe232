@testable import GGUF

/// The largest error ggml's reference encoding of one block may introduce, derived from the
/// format: half a quantization step (a full step for the clipped end of Q4_0/Q5_0), plus the
/// rounding of the fp16 scale and minimum (relative, or absolute in fp16's subnormal range).
/// K-quant blocks (256 values) fit their sub-block scales by least squares, which may clip the
/// extremes, and store them against one super-block scale: a full step of the super-block's
/// range (Q4_K, Q5_K, Q2_K) or of its largest magnitude (Q6_K, Q3_K), plus what rounding the
/// sub-block scales (and minimums) to their few bits adds: half a sub-scale step times the largest
/// quantized value.
enum QuantizationErrorBound {
    static let halfEpsilon: Float = 0x1p-11

    /// Half an fp16 ulp at `value`.
    static func halfRounding(_ value: Float) -> Float { max(abs(value) * halfEpsilon, 0x1p-25) }

    static func bound(_ type: GGMLType, block: ArraySlice<Float>) -> Float {
        let absoluteMax = block.map(abs).max() ?? 0
        let minimum = block.min() ?? 0
        let maximum = block.max() ?? 0
        switch type {
        case .f32:
            return 0
        case .f16:
            return absoluteMax * halfEpsilon + 0x1p-24
        case .bf16:
            return absoluteMax * 0x1p-8
        case .q8_0:
            let step = absoluteMax / 127
            return step * 0.5 + 127 * halfRounding(step)
        case .q4_0, .q5_0:
            let levels: Float = type == .q4_0 ? 8 : 16
            let step = absoluteMax / levels
            return step + 2 * levels * halfRounding(step)
        case .q4_1, .q5_1:
            let levels: Float = type == .q4_1 ? 15 : 31
            let step = (maximum - minimum) / levels
            return step * 0.5 + levels * halfRounding(step) + halfRounding(minimum)
        case .q4_K, .q5_K:
            let levels: Float = type == .q4_K ? 15 : 31
            // The fp16 super-block scale is about step / 63; its rounding is multiplied by a 6-bit sub-scale and the value.
            let step = (maximum - min(minimum, 0)) / levels
            return step + levels * 63 * halfRounding(step / 63) + 63 * halfRounding(abs(minimum) / 63)
        case .q6_K:
            let step = absoluteMax / 32
            return step + 32 * 128 * halfRounding(step / 128)
        case .q3_K:
            // Sub-scales in 6 bits against the largest (step / 32 each), values in −4...3.
            let step = absoluteMax / 4
            return step + 4 * (step / 64) + 32 * 4 * halfRounding(step / 32)
        case .q2_K:
            // Sub-scales and minimums in 4 bits against the largest (step / 15, |minimum| / 15), values in 0...3.
            let step = (maximum - min(minimum, 0)) / 3
            return step + 3 * (step / 30) + abs(minimum) / 30 + 15 * 3 * halfRounding(step / 15) + 15 * halfRounding(abs(minimum) / 15)
        case .q8_1:
            return 0
        }
    }

    /// The largest |decoded - original| over all blocks, and whether every block is within bound.
    static func check(_ type: GGMLType, original: [Float], decoded: [Float]) -> (maxError: Float, withinBound: Bool) {
        var maxError: Float = 0
        var withinBound = true
        for start in stride(from: 0, to: original.count, by: max(32, type.blockSize)) {
            let block = original[start..<min(start + max(32, type.blockSize), original.count)]
            let limit = bound(type, block: block)
            for index in block.indices {
                let error = abs(decoded[index] - original[index])
                maxError = max(maxError, error)
                if error > limit { withinBound = false }
            }
        }
        return (maxError, withinBound)
    }
}
