/// Block encoders with the semantics of ggml's quantizers. Without an importance matrix they are
/// the reference ones (`quantize_row_*_ref`): Q8_0, Q4_0 and Q5_0 symmetric (scale from the value
/// of largest magnitude), Q4_1 and Q5_1 min-max. With one, Q4_0 to Q5_1 fit their scale (and
/// minimum) to the importance-weighted error, as llama-quantize's `quantize_row_*_impl` do; Q8_0
/// and the float types ignore it. Each guards the float-to-integer step so NaN or infinite input
/// cannot trap.
extension TensorCodec {
    typealias BlockEncoder = (UnsafePointer<Float>, UnsafeMutableRawPointer, BlockImportance?) -> Void

    static func blockEncoder(for type: GGMLType) -> BlockEncoder? {
        switch type {
        case .f32: { source, target, _ in store32(source[0].bitPattern, target, 0) }
        case .f16: { source, target, _ in store16(HalfFloat.encode(source[0]), target, 0) }
        case .bf16: { source, target, _ in store16(HalfFloat.encodeBrain(source[0]), target, 0) }
        case .q8_0: { source, target, _ in encodeQ8_0(source, target) }
        case .q4_0: { source, target, importance in encodeSymmetric(source, target, bits: 4, importance: importance) }
        case .q5_0: { source, target, importance in encodeSymmetric(source, target, bits: 5, importance: importance) }
        case .q4_1: { source, target, importance in encodeMinMax(source, target, bits: 4, importance: importance) }
        case .q5_1: { source, target, importance in encodeMinMax(source, target, bits: 5, importance: importance) }
        case .q2_K: encodeQ2_K
        case .q3_K: encodeQ3_K
        case .q4_K: { source, target, importance in encodeKQuantWithMinimum(source, target, bits: 4, importance: importance) }
        case .q5_K: { source, target, importance in encodeKQuantWithMinimum(source, target, bits: 5, importance: importance) }
        case .q6_K: encodeQ6_K
        case .q8_1: nil
        }
    }

    @inline(__always)
    static func store16(_ value: UInt16, _ target: UnsafeMutableRawPointer, _ offset: Int) {
        target.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt16.self)
    }

    @inline(__always)
    private static func store32(_ value: UInt32, _ target: UnsafeMutableRawPointer, _ offset: Int) {
        target.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self)
    }

    /// `value` truncated toward zero and clamped to `range`; NaN gives the range's lower bound.
    @inline(__always)
    private static func clampedInteger(_ value: Float, _ range: ClosedRange<Int>) -> Int {
        guard value > Float(range.lowerBound) else { return range.lowerBound }
        guard value < Float(range.upperBound) else { return range.upperBound }
        return Int(value)
    }

    /// d = amax / 127, q = round(x / d) (half away from zero, like C `roundf`).
    private static func encodeQ8_0(_ source: UnsafePointer<Float>, _ target: UnsafeMutableRawPointer) {
        var absoluteMax: Float = 0
        for j in 0..<32 { absoluteMax = max(absoluteMax, abs(source[j])) }
        let scale = absoluteMax / 127
        let inverse: Float = scale != 0 ? 1 / scale : 0
        store16(HalfFloat.encode(scale), target, 0)
        for j in 0..<32 {
            let quant = clampedInteger((source[j] * inverse).rounded(), -127...127)
            target.storeBytes(of: Int8(quant), toByteOffset: 2 + j, as: Int8.self)
        }
    }

    /// Q4_0 / Q5_0: d = max / -2^(bits-1) where max is the signed value of largest magnitude,
    /// q = min(2^bits - 1, trunc(x / d + 2^(bits-1) + 0.5)); with an importance matrix, the scale
    /// and values of the best weighted fit.
    private static func encodeSymmetric(
        _ source: UnsafePointer<Float>, _ target: UnsafeMutableRawPointer, bits: Int, importance: BlockImportance?
    ) {
        let offset = 1 << (bits - 1)
        if let importance {
            let weights = importance.weights(source, count: 32, variance: importance.rowMeanSquare)
            let fit = fitSymmetricScale(source, weights: weights, count: 32, levels: offset)
            store16(HalfFloat.encode(fit.scale), target, 0)
            storeNibbles(target, highBitsAt: bits == 5 ? 2 : nil, nibblesAt: bits == 5 ? 6 : 2) { fit.quants[$0] + offset }
            return
        }
        var absoluteMax: Float = 0
        var signedMax: Float = 0
        for j in 0..<32 where absoluteMax < abs(source[j]) {
            absoluteMax = abs(source[j])
            signedMax = source[j]
        }
        let scale = signedMax / -Float(offset)
        let inverse: Float = scale != 0 ? 1 / scale : 0
        store16(HalfFloat.encode(scale), target, 0)
        storeNibbles(target, highBitsAt: bits == 5 ? 2 : nil, nibblesAt: bits == 5 ? 6 : 2) {
            clampedInteger(source[$0] * inverse + Float(offset) + 0.5, 0...(1 << bits) - 1)
        }
    }

    /// Q4_1 / Q5_1: d = (max - min) / (2^bits - 1), m = min, q = trunc((x - min) / d + 0.5); with an
    /// importance matrix, the scale, minimum and values of the best weighted fit.
    private static func encodeMinMax(
        _ source: UnsafePointer<Float>, _ target: UnsafeMutableRawPointer, bits: Int, importance: BlockImportance?
    ) {
        let levels = (1 << bits) - 1
        if let importance {
            let weights = importance.weights(source, count: 32, variance: importance.rowMeanSquare)
            let fit = fitScaleAndMinimum(source, weights: weights, count: 32, levels: levels, sweep: .weighted)
            store16(HalfFloat.encode(fit.scale), target, 0)
            store16(HalfFloat.encode(-fit.minimum), target, 2)
            storeNibbles(target, highBitsAt: bits == 5 ? 4 : nil, nibblesAt: bits == 5 ? 8 : 4) { fit.quants[$0] }
            return
        }
        var minimum = Float.greatestFiniteMagnitude
        var maximum = -Float.greatestFiniteMagnitude
        for j in 0..<32 {
            minimum = min(minimum, source[j])
            maximum = max(maximum, source[j])
        }
        let scale = (maximum - minimum) / Float(levels)
        let inverse: Float = scale != 0 ? 1 / scale : 0
        store16(HalfFloat.encode(scale), target, 0)
        store16(HalfFloat.encode(minimum), target, 2)
        storeNibbles(target, highBitsAt: bits == 5 ? 4 : nil, nibblesAt: bits == 5 ? 8 : 4) {
            clampedInteger((source[$0] - minimum) * inverse + 0.5, 0...levels)
        }
    }

    /// Stores `quant(j)` for the 32 elements: element j in the low nibble and j+16 in the high
    /// nibble of byte j; for 5-bit types bit 4 of element j goes to bit j of the u32 at `highBitsAt`.
    private static func storeNibbles(
        _ target: UnsafeMutableRawPointer, highBitsAt: Int?, nibblesAt: Int, quant: (Int) -> Int
    ) {
        var highBits: UInt32 = 0
        for j in 0..<16 {
            let low = quant(j)
            let high = quant(j + 16)
            target.storeBytes(of: UInt8(low & 0x0F) | UInt8(high & 0x0F) << 4, toByteOffset: nibblesAt + j, as: UInt8.self)
            highBits |= UInt32((low >> 4) & 1) << j
            highBits |= UInt32((high >> 4) & 1) << (j + 16)
        }
        if let highBitsAt { store32(highBits, target, highBitsAt) }
    }
}
