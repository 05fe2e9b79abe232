/// The scale searches behind the block encoders, after ggml's `make_qx_quants`, `make_q3_quants`,
/// `make_qkx2_quants`/`make_qkx3_quants` and `make_qp_quants`: each fits the block's scale (and
/// minimum) by weighted least squares over a sweep of trial scales and keeps the one with the
/// smallest weighted error. The weights are the encoder's choice: a function of the values alone,
/// or an importance matrix's column weights.
extension TensorCodec {
    /// A sweep of trial inverse scales around `levels / range`: (levels + start + step·i) / range for i in 0...steps.
    struct ScaleSweep {
        let start: Float
        let step: Float
        let steps: Int

        /// ggml's sweep for the reference Q4_K and Q5_K encoders.
        static let reference = ScaleSweep(start: -1, step: 0.1, steps: 20)
        /// ggml's sweep for encoders given an importance matrix (make_qkx3_quants' arguments).
        static let weighted = ScaleSweep(start: -0.9, step: 0.05, steps: 36)
    }

    /// What an importance matrix says about one block: its columns' weights, and the mean square
    /// of the row the block belongs to, which the 32-element types' weighting uses.
    struct BlockImportance {
        let columns: UnsafePointer<Float>
        let rowMeanSquare: Float

        /// llama.cpp's error weights for `count` values from `first` of the block: column weight · √(variance + x²).
        func weights(_ block: UnsafePointer<Float>, from first: Int = 0, count: Int, variance: Float) -> [Float] {
            (first..<(first + count)).map { columns[$0] * (variance + block[$0] * block[$0]).squareRoot() }
        }
    }

    /// The scale s ≥ 0, minimum m ≥ 0 and values q in 0...levels with x ≈ s·q − m that minimise the
    /// weighted error (squared, or absolute with `absoluteError`), over `sweep`.
    static func fitScaleAndMinimum(
        _ x: UnsafePointer<Float>, weights: [Float], count: Int, levels: Int, sweep: ScaleSweep, absoluteError: Bool = false
    ) -> (scale: Float, minimum: Float, quants: [Int]) {
        var low = x[0]
        var high = x[0]
        var (sw, sx) = (Float(0), Float(0))
        for i in 0..<count {
            low = min(low, x[i])
            high = max(high, x[i])
            sw += weights[i]
            sx += weights[i] * x[i]
        }
        low = min(low, 0)
        guard high > low, low.isFinite, high.isFinite else { return (0, -low, [Int](repeating: 0, count: count)) }
        func quants(_ inverse: Float, _ offset: Float) -> [Int] {
            (0..<count).map { clampedRounded(inverse * (x[$0] - offset), 0...levels) }
        }
        func error(_ q: [Int], _ scale: Float, _ offset: Float) -> Float {
            var total: Float = 0
            for i in 0..<count {
                let difference = scale * Float(q[i]) + offset - x[i]
                total += weights[i] * (absoluteError ? abs(difference) : difference * difference)
            }
            return total
        }
        var best = (scale: (high - low) / Float(levels), offset: low, quants: quants(Float(levels) / (high - low), low))
        var bestError = error(best.quants, best.scale, best.offset)
        for step in 0...sweep.steps {
            let trial = quants((Float(levels) + sweep.start + sweep.step * Float(step)) / (high - low), low)
            var (sq, sqq, sqx) = (Float(0), Float(0), Float(0))
            for i in 0..<count {
                let (q, w) = (Float(trial[i]), weights[i])
                sq += w * q
                sqq += w * q * q
                sqx += w * q * x[i]
            }
            let determinant = sw * sqq - sq * sq
            guard determinant > 0 else { continue }
            var scale = (sw * sqx - sx * sq) / determinant
            var offset = (sqq * sx - sq * sqx) / determinant
            if offset > 0 {
                offset = 0
                scale = sqx / sqq
            }
            let trialError = error(trial, scale, offset)
            if trialError < bestError {
                bestError = trialError
                best = (scale, offset, trial)
            }
        }
        return (best.scale, -best.offset, best.quants)
    }

    /// The signed scale s and values q in −levels...levels−1 with x ≈ s·q that maximise the weighted
    /// fit (Σ w·x·q)² / Σ w·q² over trial scales near the value of largest magnitude.
    static func fitSymmetricScale(
        _ x: UnsafePointer<Float>, weights: [Float], count: Int, levels: Int
    ) -> (scale: Float, quants: [Int]) {
        var largest: Float = 0
        for i in 0..<count where abs(x[i]) > abs(largest) { largest = x[i] }
        guard abs(largest) > 1e-15, largest.isFinite else { return (0, [Int](repeating: 0, count: count)) }
        var best = (scale: Float(0), quants: [Int](repeating: 0, count: count))
        var bestFit: Float = -1
        for step in -9...9 {
            let inverse = -(Float(levels) + 0.1 * Float(step)) / largest
            let quants = (0..<count).map { clampedRounded(inverse * x[$0], -levels...(levels - 1)) }
            var (sumXQ, sumQQ) = (Float(0), Float(0))
            for i in 0..<count {
                sumXQ += weights[i] * x[i] * Float(quants[i])
                sumQQ += weights[i] * Float(quants[i] * quants[i])
            }
            guard sumQQ > 0 else { continue }
            let fit = sumXQ * sumXQ / sumQQ
            if fit > bestFit {
                bestFit = fit
                best = (sumXQ / sumQQ, quants)
            }
        }
        return best
    }

    /// Q3_K's reference fit (make_q3_quants): values rounded at the largest magnitude's scale,
    /// then each moved, a value at a time, wherever that improves the x²-weighted fit.
    static func fitSymmetricByRefinement(_ x: UnsafePointer<Float>, count: Int, levels: Int) -> Float {
        var largest: Float = 0
        for i in 0..<count where abs(x[i]) > abs(largest) { largest = x[i] }
        guard abs(largest) > 1e-15, largest.isFinite else { return 0 }
        let inverse = -Float(levels) / largest
        var quants = (0..<count).map { clampedRounded(inverse * x[$0], -levels...(levels - 1)) }
        let weights = (0..<count).map { x[$0] * x[$0] }
        var (sumXQ, sumQQ) = (Float(0), Float(0))
        for i in 0..<count {
            sumXQ += weights[i] * x[i] * Float(quants[i])
            sumQQ += weights[i] * Float(quants[i] * quants[i])
        }
        refine(&quants, x, weights: weights, count: count, range: -levels...(levels - 1), sumXQ: &sumXQ, sumQQ: &sumQQ)
        return sumQQ > 0 ? sumXQ / sumQQ : 0
    }

    /// One scale for non-negative sub-block scales (or minimums), weighted by each sub-block's
    /// total weight (make_qp_quants), and each as an integer in 0...levels.
    static func quantizeSubScales(_ values: [Float], levels: Int, weights: [Float]) -> (Float, [Int]) {
        let largest = values.max() ?? 0
        guard largest > 1e-15, largest.isFinite else { return (0, values.map { _ in 0 }) }
        func error(_ inverse: Float) -> Float {
            var total: Float = 0
            for (value, weight) in zip(values, weights) {
                let difference = value - Float(clampedRounded(inverse * value, 0...levels)) / inverse
                total += weight * difference * difference
            }
            return total
        }
        var bestInverse = Float(levels) / largest
        var bestError = error(bestInverse)
        for step in -4...4 where step != 0 {
            let inverse = (0.1 * Float(step) + Float(levels)) / largest
            let trialError = error(inverse)
            if trialError < bestError {
                bestError = trialError
                bestInverse = inverse
            }
        }
        var quants = values.map { clampedRounded(bestInverse * $0, 0...levels) }
        var (sumXQ, sumQQ) = (Float(0), Float(0))
        for i in values.indices {
            sumXQ += weights[i] * values[i] * Float(quants[i])
            sumQQ += weights[i] * Float(quants[i] * quants[i])
        }
        values.withUnsafeBufferPointer { pointer in
            refine(&quants, pointer.baseAddress!, weights: weights, count: values.count, range: 0...levels, sumXQ: &sumXQ, sumQQ: &sumQQ)
        }
        return (sumQQ > 0 ? sumXQ / sumQQ : 0, quants)
    }

    /// Up to five passes that move single values to the integer that most improves (Σ w·x·q)² / Σ w·q².
    private static func refine(
        _ quants: inout [Int], _ x: UnsafePointer<Float>, weights: [Float], count: Int, range: ClosedRange<Int>,
        sumXQ: inout Float, sumQQ: inout Float
    ) {
        for _ in 0..<5 {
            var changed = false
            for i in 0..<count {
                let w = weights[i]
                let q = Float(quants[i])
                var xq = sumXQ - w * x[i] * q
                var qq = sumQQ - w * q * q
                guard xq > 0, qq > 0 else { continue }
                let moved = clampedRounded(x[i] * qq / xq, range)
                guard moved != quants[i] else { continue }
                xq += w * x[i] * Float(moved)
                qq += w * Float(moved * moved)
                if xq * xq * sumQQ > sumXQ * sumXQ * qq {
                    quants[i] = moved
                    (sumXQ, sumQQ) = (xq, qq)
                    changed = true
                }
            }
            if !changed { break }
        }
    }

    /// `value` rounded half away from zero and clamped; NaN gives the lower bound.
    @inline(__always)
    static func clampedRounded(_ value: Float, _ range: ClosedRange<Int>) -> Int {
        guard value > Float(range.lowerBound) else { return range.lowerBound }
        guard value < Float(range.upperBound) else { return range.upperBound }
        return Int(value.rounded())
    }
}
