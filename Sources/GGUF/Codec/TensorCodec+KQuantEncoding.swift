import Foundation

/// Q4_K, Q5_K and Q6_K block encoders for `assay quantize`'s K-quant mixtures, in the block layouts the
/// decoders read (see TensorCodec+Decoding). As in ggml's reference quantizers, each sub-block's
/// scale (and, for Q4_K, its minimum) is fitted by weighted least squares over a sweep of trial
/// scales, the sub-block scales are then quantized against one super-block scale, and the
/// values are rounded with the scales as stored.
extension TensorCodec {
    /// Q4_K {f16 d; f16 dmin; u8 scales[12]; u8 qs[128]} and Q5_K (the same with u8 qh[32] before qs, a
    /// fifth bit per value): x ≈ d·sc·q − dmin·m, q in 0...2^bits − 1, 6-bit sc and m per 32 values.
    static func encodeKQuantWithMinimum(_ source: UnsafePointer<Float>, _ target: UnsafeMutableRawPointer, bits: Int) {
        let levels = (1 << bits) - 1
        var scales = [Float](repeating: 0, count: 8)
        var minimums = [Float](repeating: 0, count: 8)
        for subBlock in 0..<8 {
            (scales[subBlock], minimums[subBlock]) = fitScaleAndMinimum(source + 32 * subBlock, count: 32, levels: levels)
        }
        let (superScale, quantizedScales) = quantizeSubScales(scales, levels: 63)
        let (superMinimum, quantizedMinimums) = quantizeSubScales(minimums, levels: 63)
        target.storeBytes(of: HalfFloat.encode(superScale).littleEndian, toByteOffset: 0, as: UInt16.self)
        target.storeBytes(of: HalfFloat.encode(superMinimum).littleEndian, toByteOffset: 2, as: UInt16.self)
        // Sub-blocks 0-3 in six bits of bytes 0-7; 4-7 in the nibbles of bytes 8-11 and the top two bits of 0-7.
        for j in 0..<4 {
            let (scaleLow, scaleHigh) = (quantizedScales[j], quantizedScales[j + 4])
            let (minLow, minHigh) = (quantizedMinimums[j], quantizedMinimums[j + 4])
            target.storeBytes(of: UInt8(scaleLow | (scaleHigh >> 4) << 6), toByteOffset: 4 + j, as: UInt8.self)
            target.storeBytes(of: UInt8(minLow | (minHigh >> 4) << 6), toByteOffset: 8 + j, as: UInt8.self)
            target.storeBytes(of: UInt8((scaleHigh & 0x0F) | (minHigh & 0x0F) << 4), toByteOffset: 12 + j, as: UInt8.self)
        }
        // The values against the scales as stored, so rounding sees what the decoder will.
        let storedScale = HalfFloat.decode(HalfFloat.encode(superScale))
        let storedMinimum = HalfFloat.decode(HalfFloat.encode(superMinimum))
        var quants = [Int](repeating: 0, count: 256)
        for subBlock in 0..<8 {
            let scale = storedScale * Float(quantizedScales[subBlock])
            let minimum = storedMinimum * Float(quantizedMinimums[subBlock])
            guard scale != 0 else { continue }
            for i in 0..<32 {
                quants[32 * subBlock + i] = clampedRounded((source[32 * subBlock + i] + minimum) / scale, 0...levels)
            }
        }
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
    static func encodeQ6_K(_ source: UnsafePointer<Float>, _ target: UnsafeMutableRawPointer) {
        var scales = [Float](repeating: 0, count: 16)
        var largest: Float = 0
        var largestMagnitude: Float = 0
        for subBlock in 0..<16 {
            scales[subBlock] = fitSymmetricScale(source + 16 * subBlock, count: 16, levels: 32)
            if abs(scales[subBlock]) > largestMagnitude {
                largestMagnitude = abs(scales[subBlock])
                largest = scales[subBlock]
            }
        }
        // Signed sub-block scales in int8 against d = largest / -128, the largest landing on -128.
        let inverse: Float = largest != 0 ? -128 / largest : 0
        let superScale: Float = largest != 0 ? 1 / inverse : 0
        let quantizedScales = scales.map { min(127, clampedRounded(inverse * $0, -128...127)) }
        let storedScale = HalfFloat.decode(HalfFloat.encode(superScale))
        var quants = [Int](repeating: 32, count: 256)
        for subBlock in 0..<16 {
            let scale = storedScale * Float(quantizedScales[subBlock])
            guard scale != 0 else { continue }
            for i in 0..<16 {
                quants[16 * subBlock + i] = clampedRounded(source[16 * subBlock + i] / scale, -32...31) + 32
            }
        }
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
        target.storeBytes(of: HalfFloat.encode(superScale).littleEndian, toByteOffset: 208, as: UInt16.self)
    }

    /// The scale s ≥ 0 and minimum m ≥ 0 with x ≈ s·q − m (q in 0...levels) that minimise the
    /// squared error weighted by |x| plus the block's RMS, over trial scales swept around the range.
    private static func fitScaleAndMinimum(_ x: UnsafePointer<Float>, count: Int, levels: Int) -> (Float, Float) {
        var low = x[0]
        var high = x[0]
        var squares: Float = 0
        for i in 0..<count {
            low = min(low, x[i])
            high = max(high, x[i])
            squares += x[i] * x[i]
        }
        low = min(low, 0)
        guard high > low, low.isFinite, high.isFinite else { return (0, -low) }
        let rms = (squares / Float(count)).squareRoot()
        let weights = (0..<count).map { rms + abs(x[$0]) }
        var best = (scale: (high - low) / Float(levels), minimum: -low)
        var bestError = error(x, weights, count: count, scale: best.scale, offset: low, levels: levels)
        for step in 0...20 {
            let inverse = (Float(levels) - 1 + 0.1 * Float(step)) / (high - low)
            var (sw, sq, sqq, sx, sqx) = (Float(0), Float(0), Float(0), Float(0), Float(0))
            for i in 0..<count {
                let q = Float(clampedRounded(inverse * (x[i] - low), 0...levels))
                let w = weights[i]
                sw += w
                sq += w * q
                sqq += w * q * q
                sx += w * x[i]
                sqx += w * q * x[i]
            }
            let determinant = sw * sqq - sq * sq
            guard determinant > 0 else { continue }
            var scale = (sw * sqx - sx * sq) / determinant
            var offset = (sqq * sx - sq * sqx) / determinant
            if offset > 0 {
                offset = 0
                scale = sqq > 0 ? sqx / sqq : 0
            }
            guard scale > 0 else { continue }
            let trial = error(x, weights, count: count, scale: scale, offset: offset, levels: levels)
            if trial < bestError {
                bestError = trial
                best = (scale, -offset)
            }
        }
        return best
    }

    /// Σ w (s·round((x − b)/s) + b − x)², the quantized values clamped to 0...levels.
    private static func error(_ x: UnsafePointer<Float>, _ weights: [Float], count: Int, scale: Float, offset: Float, levels: Int) -> Float
    {
        var total: Float = 0
        for i in 0..<count {
            let q = Float(clampedRounded((x[i] - offset) / scale, 0...levels))
            let difference = scale * q + offset - x[i]
            total += weights[i] * difference * difference
        }
        return total
    }

    /// The signed scale s with x ≈ s·q (q in −levels...levels−1) maximising the fit Σ x²·x·q over
    /// trial scales near the value of largest magnitude, weighted by x² (ggml's rmse_type 1).
    private static func fitSymmetricScale(_ x: UnsafePointer<Float>, count: Int, levels: Int) -> Float {
        var largest: Float = 0
        for i in 0..<count where abs(x[i]) > abs(largest) { largest = x[i] }
        guard abs(largest) > 1e-30, largest.isFinite else { return 0 }
        var bestScale: Float = 0
        var bestFit: Float = -1
        for step in -9...9 {
            let inverse = -(Float(levels) + 0.1 * Float(step)) / largest
            var (sumXQ, sumQQ) = (Float(0), Float(0))
            for i in 0..<count {
                let q = Float(clampedRounded(inverse * x[i], -levels...(levels - 1)))
                let w = x[i] * x[i]
                sumXQ += w * x[i] * q
                sumQQ += w * q * q
            }
            guard sumQQ > 0 else { continue }
            let fit = sumXQ * sumXQ / sumQQ
            if fit > bestFit {
                bestFit = fit
                bestScale = sumXQ / sumQQ
            }
        }
        return bestScale
    }

    /// One scale for the sub-block scales (or minimums) and each as an integer in 0...levels.
    private static func quantizeSubScales(_ values: [Float], levels: Int) -> (Float, [Int]) {
        let largest = values.max() ?? 0
        guard largest > 0 else { return (0, values.map { _ in 0 }) }
        let inverse = Float(levels) / largest
        return (largest / Float(levels), values.map { clampedRounded(inverse * $0, 0...levels) })
    }

    /// `value` rounded half away from zero and clamped; NaN gives the lower bound.
    @inline(__always)
    private static func clampedRounded(_ value: Float, _ range: ClosedRange<Int>) -> Int {
        guard value > Float(range.lowerBound) else { return range.lowerBound }
        guard value < Float(range.upperBound) else { return range.upperBound }
        return Int(value.rounded())
    }
}
