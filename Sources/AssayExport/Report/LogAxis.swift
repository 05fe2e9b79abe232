import AssaySupport
import Foundation

/// A logarithmic chart axis from the decade below the smallest positive value to the decade
/// above the largest: a tick at each decade (every second or third one over a wide span), and at
/// 2 and 5 times each decade over a narrow one.
struct LogAxis {
    /// Powers of ten at the two ends.
    let lowExponent: Int
    let highExponent: Int

    /// Over `values`; those of zero or below are left out (they lie off a log scale).
    init(values: [Double]) {
        let positive = values.filter { $0 > 0 && $0.isFinite }
        let low = Int(floor(log10(positive.min() ?? 1) + 1e-9))
        let high = Int(ceil(log10(positive.max() ?? 1) - 1e-9))
        lowExponent = low
        highExponent = max(high, low + 1)
    }

    /// The smallest value the axis shows: what a value of zero is drawn at.
    var low: Double { pow(10, Double(lowExponent)) }

    /// Each tick as (value, label).
    var ticks: [(value: Double, label: String)] {
        let span = highExponent - lowExponent
        let decades = Array(stride(from: lowExponent, through: highExponent, by: span > 12 ? 3 : span > 6 ? 2 : 1))
        let multiples: [Double] = span <= 2 ? [1, 2, 5] : [1]
        return decades.flatMap { exponent in
            multiples.filter { exponent < highExponent || $0 == 1 }.map { multiple in
                (multiple * pow(10, Double(exponent)), Self.label(multiple: multiple, exponent: exponent))
            }
        }
    }

    /// Where `value` falls between `start` (the axis's low end) and `end`, in pixels; a value
    /// below the axis is drawn at its low end.
    func position(_ value: Double, from start: Double, to end: Double) -> Double {
        let exponent = log10(max(value, low))
        return start + (exponent - Double(lowExponent)) / Double(highExponent - lowExponent) * (end - start)
    }

    /// "0.02", "1", "500" near 1; "10⁻⁶" and "2·10⁵" further out.
    static func label(multiple: Double, exponent: Int) -> String {
        if (-3...3).contains(exponent) {
            return formatFixed(multiple * pow(10, Double(exponent)), decimals: max(0, -exponent))
        }
        let superscripts: [Character: Character] = [
            "-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹",
        ]
        let power = "10" + String(String(exponent).map { superscripts[$0] ?? $0 })
        return multiple == 1 ? power : "\(formatFixed(multiple, decimals: 0))·\(power)"
    }
}
