import AssaySupport
import Foundation

/// A logarithmic chart axis between round values (1, 2 or 5 times a power of ten) around the
/// positive values: ticks at every digit times a power of ten within half a decade, at 1, 2 and 5
/// times within two, else at each decade (every second or third over a wide span).
struct LogAxis {
    let low: Double
    let high: Double

    /// Over `values`; those of zero or below are left out (they lie off a log scale) and are drawn at `low`.
    init(values: [Double]) {
        let positive = values.filter { $0 > 0 && $0.isFinite }
        low = Self.round(positive.min() ?? 1, down: true)
        let top = Self.round(positive.max() ?? 1, down: false)
        high = top > low ? top : Self.round(low * 1.01, down: false)
    }

    /// Each tick as (value, label).
    var ticks: [(value: Double, label: String)] {
        let (first, last) = (Int(floor(log10(low) + 1e-9)), Int(floor(log10(high) + 1e-9)))
        let span = log10(high / low)
        // Every digit only where its ticks stay apart: 8 to 9 is a twentieth of a decade.
        let multiples: [Double] = span <= 0.5 ? Array(1...9).map(Double.init) : span <= 2 ? [1, 2, 5] : [1]
        let step = span > 12 ? 3 : span > 6 ? 2 : 1
        return stride(from: first, through: last, by: step).flatMap { exponent in
            multiples.map { ($0, exponent) }
        }
        .filter { multiple, exponent in
            let value = multiple * pow(10, Double(exponent))
            return value >= low * (1 - 1e-9) && value <= high * (1 + 1e-9)
        }
        .map { multiple, exponent in (multiple * pow(10, Double(exponent)), Self.label(multiple: multiple, exponent: exponent)) }
    }

    /// Where `value` falls between `start` (the axis's low end) and `end`, in pixels; a value
    /// below the axis is drawn at its low end.
    func position(_ value: Double, from start: Double, to end: Double) -> Double {
        start + log10(max(value, low) / low) / log10(high / low) * (end - start)
    }

    /// The round value at or below (`down`) or at or above `value`.
    private static func round(_ value: Double, down: Bool) -> Double {
        let exponent = floor(log10(value))
        let mantissa = value / pow(10, exponent)
        let steps: [Double] = [1, 2, 5, 10]
        let chosen =
            down
            ? steps.last { $0 <= mantissa * (1 + 1e-9) } ?? 1
            : steps.first { $0 >= mantissa * (1 - 1e-9) } ?? 10
        return chosen * pow(10, exponent)
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
