import AssaySupport
import Foundation

/// A linear chart axis over round numbers: 1, 2, 2.5 or 5 times a power of ten between ticks.
struct LinearAxis {
    let low: Double
    let high: Double
    let step: Double

    init(low: Double, high: Double) {
        let span = high > low ? high - low : max(abs(high), 1) * 0.1
        let rough = span / 5
        let magnitude = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? magnitude * 10
        self.step = step
        // The tolerance keeps 0.7 / 0.025 = 27.999... from adding a tick below the data.
        self.low = floor(low / step + 1e-9) * step
        self.high = max(ceil(high / step - 1e-9) * step, self.low + step)
    }

    var ticks: [Double] {
        stride(from: low, through: high + step / 2, by: step).map { $0 }
    }

    /// Where `value` falls between `start` (the axis's low end) and `end`, in pixels.
    func position(_ value: Double, from start: Double, to end: Double) -> Double {
        start + (value - low) / (high - low) * (end - start)
    }

    func label(_ value: Double) -> String {
        let decimals = max(0, Int(-floor(log10(step))) + (step / pow(10, floor(log10(step))) == 2.5 ? 1 : 0))
        return formatFixed(value, decimals: decimals)
    }
}
