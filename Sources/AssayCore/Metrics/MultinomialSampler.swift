import AssaySupport
import Foundation

/// Draws the cell counts of a bootstrap resample directly.
///
/// Resampling n items with replacement and counting them per confusion-matrix cell gives
/// multinomial(n, cell count / n) cell counts. Drawing those counts as a chain of conditional
/// binomials costs O(cells x sqrt(n)) per resample instead of O(n), so a thousand resamples of a
/// million predictions take milliseconds, with the same distribution as item resampling.
enum MultinomialSampler {
    /// Counts for `total` draws over cells weighted by `weights` (non-negative, summing to `total`).
    static func draw(total: Int, weights: [Int], using generator: inout SplitMix64) -> [Int] {
        var result = Array(repeating: 0, count: weights.count)
        var remainingDraws = total
        var remainingWeight = weights.reduce(0, +)
        for (cell, weight) in weights.enumerated() where weight > 0 && remainingDraws > 0 {
            if weight == remainingWeight {
                result[cell] = remainingDraws
                break
            }
            let drawn = binomial(trials: remainingDraws, probability: Double(weight) / Double(remainingWeight), using: &generator)
            result[cell] = drawn
            remainingDraws -= drawn
            remainingWeight -= weight
        }
        return result
    }

    /// An exact binomial draw by inversion searched outwards from the mode: one uniform number,
    /// then probability masses subtracted alternately below and above the mode until it is used
    /// up. Expected steps grow with the standard deviation, sqrt(n p (1 - p)).
    static func binomial(trials n: Int, probability p: Double, using generator: inout SplitMix64) -> Int {
        if p <= 0 || n == 0 { return 0 }
        if p >= 1 { return n }
        let q = 1 - p
        let mode = min(n, Int((Double(n + 1) * p).rounded(.down)))
        let logMass =
            logFactorial(n) - logFactorial(mode) - logFactorial(n - mode)
            + Double(mode) * log(p) + Double(n - mode) * log(q)
        let modeMass = exp(logMass)
        var u = generator.nextUnit() - modeMass
        if u < 0 { return mode }
        let odds = p / q
        var below = mode
        var belowMass = modeMass
        var above = mode
        var aboveMass = modeMass
        while below > 0 || above < n {
            if below > 0 {
                // P(k - 1) = P(k) * k / ((n - k + 1) * odds)
                belowMass *= Double(below) / (Double(n - below + 1) * odds)
                below -= 1
                u -= belowMass
                if u < 0 { return below }
            }
            if above < n {
                // P(k + 1) = P(k) * (n - k) / (k + 1) * odds
                aboveMass *= Double(n - above) / Double(above + 1) * odds
                above += 1
                u -= aboveMass
                if u < 0 { return above }
            }
        }
        // Rounding left a sliver of mass unassigned; the mode is the most likely value.
        return mode
    }
}
