import Foundation

/// The K-quant block encoders for `assay quantize`'s mixtures, in the block layouts the decoders
/// read (see TensorCodec+Decoding). As in ggml's quantizers, each sub-block's scale (and minimum)
/// is fitted by weighted least squares (TensorCodec+ScaleFitting), the sub-block scales are
/// quantized against one super-block scale, and the values are rounded against the scales as
/// stored. Without an importance matrix the weights are ggml's reference choices; with one, each
/// value's error is weighted by its column's importance (`BlockImportance`), as llama-quantize does.
extension TensorCodec {
    /// Q4_K {f16 d; f16 dmin; u8 scales[12]; u8 qs[128]} and Q5_K (the same with u8 qh[32] before qs, a
    /// fifth bit per value): x ≈ d·sc·q − dmin·m, q in 0...2^bits − 1, 6-bit sc and m per 32 values.
    static func encodeKQuantWithMinimum(
        _ source: UnsafePointer<Float>, _ target: UnsafeMutableRawPointer, bits: Int, importance: BlockImportance?
    ) {
        let levels = (1 << bits) - 1
        var scales = [Float](repeating: 0, count: 8)
        var minimums = [Float](repeating: 0, count: 8)
        var subBlockWeights = [Float](repeating: 0, count: 8)
        let variance = 2 * meanSquare(source, count: 256)
        for subBlock in 0..<8 {
            let x = source + 32 * subBlock
            let weights: [Float]
            if let importance {
                weights = importance.weights(source, from: 32 * subBlock, count: 32, variance: variance)
            } else {
                let rms = meanSquare(x, count: 32).squareRoot()
                weights = (0..<32).map { rms + abs(x[$0]) }
            }
            subBlockWeights[subBlock] = weights.reduce(0, +)
            let fit = fitScaleAndMinimum(x, weights: weights, count: 32, levels: levels, sweep: importance == nil ? .reference : .weighted)
            (scales[subBlock], minimums[subBlock]) = (fit.scale, fit.minimum)
        }
        let (superScale, quantizedScales) =
            importance == nil
            ? quantizeSubScalesByLargest(scales, levels: 63) : quantizeSubScales(scales, levels: 63, weights: subBlockWeights)
        let (superMinimum, quantizedMinimums) =
            importance == nil
            ? quantizeSubScalesByLargest(minimums, levels: 63) : quantizeSubScales(minimums, levels: 63, weights: subBlockWeights)
        store16(HalfFloat.encode(superScale), target, 0)
        store16(HalfFloat.encode(superMinimum), target, 2)
        // Sub-blocks 0-3 in six bits of bytes 0-7; 4-7 in the nibbles of bytes 8-11 and the top two bits of 0-7.
        for j in 0..<4 {
            let (scaleLow, scaleHigh) = (quantizedScales[j], quantizedScales[j + 4])
            let (minLow, minHigh) = (quantizedMinimums[j], quantizedMinimums[j + 4])
            target.storeBytes(of: UInt8(scaleLow | (scaleHigh >> 4) << 6), toByteOffset: 4 + j, as: UInt8.self)
            target.storeBytes(of: UInt8(minLow | (minHigh >> 4) << 6), toByteOffset: 8 + j, as: UInt8.self)
            target.storeBytes(of: UInt8((scaleHigh & 0x0F) | (minHigh & 0x0F) << 4), toByteOffset: 12 + j, as: UInt8.self)
        }
        let quants = requantize(
            source, subBlockLength: 32, scale: superScale, scales: quantizedScales, minimum: superMinimum,
            minimums: quantizedMinimums, range: 0...levels)
        let nibbles = bits == 5 ? 48 : 16
        for group in 0..<4 {
            for l in 0..<32 {
                let (low, high) = (quants[64 * group + l], quants[64 * group + 32 + l])
                target.storeBytes(of: UInt8(low & 0x0F) | UInt8(high & 0x0F) << 4, toByteOffset: nibbles + 32 * group + l, as: UInt8.self)
            }
        }
        guard bits == 5 else { return }
        // Q5_K's fifth bits: bit 2g of qh[l] for value 64g + l, bit 2g + 1 for value 64g + 32 + l.
        for l in 0..<32 {
            var packed: UInt8 = 0
            for group in 0..<4 {
                packed |= UInt8((quants[64 * group + l] >> 4) & 1) << (2 * group)
                packed |= UInt8((quants[64 * group + 32 + l] >> 4) & 1) << (2 * group + 1)
            }
            target.storeBytes(of: packed, toByteOffset: 16 + l, as: UInt8.self)
        }
    }

    /// {u8 ql[128]; u8 qh[64]; i8 scales[16]; f16 d}: x ≈ d·sc·(q − 32), q in 0...63, 16 sub-blocks of 16.
    /// Sub-block fits are weighted by x², or by the importance matrix's column weights alone.
    static func encodeQ6_K(_ source: UnsafePointer<Float>, _ target: UnsafeMutableRawPointer, importance: BlockImportance?) {
        let scales = (0..<16).map { subBlock in
            let x = source + 16 * subBlock
            let weights = importance.map { importance in (0..<16).map { importance.columns[16 * subBlock + $0] } } ?? squares(x, count: 16)
            return fitSymmetricScale(x, weights: weights, count: 16, levels: 32).scale
        }
        let (superScale, quantizedScales) = quantizeSignedSubScales(scales, levels: 128)
        let quants = requantize(source, subBlockLength: 16, scale: superScale, scales: quantizedScales, range: -32...31).map { $0 + 32 }
        for half in 0..<2 {
            let values = 128 * half
            for l in 0..<32 {
                let (q1, q2, q3, q4) = (quants[values + l], quants[values + l + 32], quants[values + l + 64], quants[values + l + 96])
                target.storeBytes(of: UInt8((q1 & 0x0F) | (q3 & 0x0F) << 4), toByteOffset: 64 * half + l, as: UInt8.self)
                target.storeBytes(of: UInt8((q2 & 0x0F) | (q4 & 0x0F) << 4), toByteOffset: 64 * half + l + 32, as: UInt8.self)
                let high = (q1 >> 4) | (q2 >> 4) << 2 | (q3 >> 4) << 4 | (q4 >> 4) << 6
                target.storeBytes(of: UInt8(high), toByteOffset: 128 + 32 * half + l, as: UInt8.self)
            }
        }
        for (index, scale) in quantizedScales.enumerated() {
            target.storeBytes(of: Int8(scale), toByteOffset: 192 + index, as: Int8.self)
        }
        store16(HalfFloat.encode(superScale), target, 208)
    }

    /// {u8 hmask[32]; u8 qs[64]; u8 scales[12]; f16 d}: x ≈ d·(sc − 32)·(q − 4), q in 0...7 (two low
    /// bits in qs, the third in hmask), 6-bit sc per 16 values.
    static func encodeQ3_K(_ source: UnsafePointer<Float>, _ target: UnsafeMutableRawPointer, importance: BlockImportance?) {
        let superScale: Float
        let quantizedScales: [Int]
        if let importance {
            let variance = 2 * meanSquare(source, count: 256)
            var subBlockWeights = [Float](repeating: 0, count: 16)
            let scales = (0..<16).map { subBlock in
                let x = source + 16 * subBlock
                let weights = importance.weights(source, from: 16 * subBlock, count: 16, variance: variance)
                subBlockWeights[subBlock] = weights.reduce(0, +)
                return fitSymmetricScale(x, weights: weights, count: 16, levels: 4).scale
            }
            let fit = scales.withUnsafeBufferPointer {
                fitSymmetricScale($0.baseAddress!, weights: subBlockWeights, count: 16, levels: 32)
            }
            (superScale, quantizedScales) = (fit.scale, fit.quants)
        } else {
            let scales = (0..<16).map { fitSymmetricByRefinement(source + 16 * $0, count: 16, levels: 4) }
            (superScale, quantizedScales) = quantizeSignedSubScales(scales, levels: 32)
        }
        target.initializeMemory(as: UInt8.self, repeating: 0, count: 110)
        for (j, scale) in quantizedScales.enumerated() {
            let stored = scale + 32
            let byte = target.load(fromByteOffset: 96 + j % 8, as: UInt8.self)
            target.storeBytes(of: byte | UInt8(stored & 0x0F) << (j < 8 ? 0 : 4), toByteOffset: 96 + j % 8, as: UInt8.self)
            let high = target.load(fromByteOffset: 104 + j % 4, as: UInt8.self)
            target.storeBytes(of: high | UInt8(stored >> 4) << (2 * (j / 4)), toByteOffset: 104 + j % 4, as: UInt8.self)
        }
        store16(HalfFloat.encode(superScale), target, 108)
        let quants = requantize(source, subBlockLength: 16, scale: superScale, scales: quantizedScales, range: -4...3).map { $0 + 4 }
        // The third bit of value j goes to bit j / 32 of hmask[j % 32]; a set bit means no offset of −4.
        for (j, quant) in quants.enumerated() where quant > 3 {
            let byte = target.load(fromByteOffset: j % 32, as: UInt8.self)
            target.storeBytes(of: byte | UInt8(1 << (j / 32)), toByteOffset: j % 32, as: UInt8.self)
        }
        storeTwoBitPlanes(quants.map { $0 & 3 }, target + 32)
    }

    /// {u8 scales[16]; u8 qs[64]; f16 d; f16 dmin}: x ≈ d·sc·q − dmin·m, q in 0...3, 4-bit sc and m
    /// per 16 values.
    static func encodeQ2_K(_ source: UnsafePointer<Float>, _ target: UnsafeMutableRawPointer, importance: BlockImportance?) {
        var scales = [Float](repeating: 0, count: 16)
        var minimums = [Float](repeating: 0, count: 16)
        var subBlockWeights = [Float](repeating: 0, count: 16)
        let variance = meanSquare(source, count: 256)
        for subBlock in 0..<16 {
            let x = source + 16 * subBlock
            let fit: (scale: Float, minimum: Float, quants: [Int])
            if let importance {
                let weights = importance.weights(source, from: 16 * subBlock, count: 16, variance: variance)
                subBlockWeights[subBlock] = weights.reduce(0, +)
                fit = fitScaleAndMinimum(x, weights: weights, count: 16, levels: 3, sweep: .weighted)
            } else {
                let weights = (0..<16).map { abs(x[$0]) }
                fit = fitScaleAndMinimum(
                    x, weights: weights, count: 16, levels: 3, sweep: ScaleSweep(start: -0.5, step: 0.1, steps: 15), absoluteError: true)
            }
            (scales[subBlock], minimums[subBlock]) = (fit.scale, fit.minimum)
        }
        let (superScale, quantizedScales) =
            importance == nil
            ? quantizeSubScalesByLargest(scales, levels: 15) : quantizeSubScales(scales, levels: 15, weights: subBlockWeights)
        let (superMinimum, quantizedMinimums) =
            importance == nil
            ? quantizeSubScalesByLargest(minimums, levels: 15) : quantizeSubScales(minimums, levels: 15, weights: subBlockWeights)
        for j in 0..<16 {
            target.storeBytes(of: UInt8(quantizedScales[j] | quantizedMinimums[j] << 4), toByteOffset: j, as: UInt8.self)
        }
        store16(HalfFloat.encode(superScale), target, 80)
        store16(HalfFloat.encode(superMinimum), target, 82)
        let quants = requantize(
            source, subBlockLength: 16, scale: superScale, scales: quantizedScales, minimum: superMinimum,
            minimums: quantizedMinimums, range: 0...3)
        storeTwoBitPlanes(quants, target + 16)
    }

    /// The super-block's values rounded against the scales as stored (f16 super-scale times each
    /// integer sub-scale, less the minimums where the type has them), so rounding sees what the
    /// decoder will; a sub-block whose scale is zero keeps zeros.
    private static func requantize(
        _ source: UnsafePointer<Float>, subBlockLength: Int, scale: Float, scales: [Int], minimum: Float = 0,
        minimums: [Int]? = nil, range: ClosedRange<Int>
    ) -> [Int] {
        let storedScale = HalfFloat.decode(HalfFloat.encode(scale))
        let storedMinimum = HalfFloat.decode(HalfFloat.encode(minimum))
        var quants = [Int](repeating: max(0, range.lowerBound), count: 256)
        for (subBlock, subScale) in scales.enumerated() {
            let step = storedScale * Float(subScale)
            guard step != 0 else { continue }
            let offset = storedMinimum * Float(minimums?[subBlock] ?? 0)
            for i in 0..<subBlockLength {
                let index = subBlockLength * subBlock + i
                quants[index] = clampedRounded((source[index] + offset) / step, range)
            }
        }
        return quants
    }

    /// 2-bit values in 64 bytes: byte 32h + l holds values 128h + l, +32, +64 and +96, low bits first.
    private static func storeTwoBitPlanes(_ quants: [Int], _ target: UnsafeMutableRawPointer) {
        for half in 0..<2 {
            for l in 0..<32 {
                let base = 128 * half + l
                let packed = quants[base] | quants[base + 32] << 2 | quants[base + 64] << 4 | quants[base + 96] << 6
                target.storeBytes(of: UInt8(packed), toByteOffset: 32 * half + l, as: UInt8.self)
            }
        }
    }

    /// One scale for non-negative sub-block scales (or minimums), the largest landing on `levels`.
    private static func quantizeSubScalesByLargest(_ values: [Float], levels: Int) -> (Float, [Int]) {
        let largest = values.max() ?? 0
        guard largest > 0 else { return (0, values.map { _ in 0 }) }
        let inverse = Float(levels) / largest
        return (largest / Float(levels), values.map { clampedRounded(inverse * $0, 0...levels) })
    }

    /// One scale for signed sub-block scales, the one of largest magnitude landing on −levels, each
    /// as an integer in −levels...levels − 1.
    private static func quantizeSignedSubScales(_ values: [Float], levels: Int) -> (Float, [Int]) {
        var largest: Float = 0
        for value in values where abs(value) > abs(largest) { largest = value }
        guard largest != 0, largest.isFinite else { return (0, values.map { _ in 0 }) }
        let inverse = -Float(levels) / largest
        return (1 / inverse, values.map { clampedRounded(inverse * $0, -levels...(levels - 1)) })
    }

    static func meanSquare(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var total: Float = 0
        for i in 0..<count { total += x[i] * x[i] }
        return total / Float(count)
    }

    static func squares(_ x: UnsafePointer<Float>, count: Int) -> [Float] { (0..<count).map { x[$0] * x[$0] } }
}
