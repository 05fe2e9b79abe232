import AssayCore
import AssaySupport
import Foundation

/// Numbers as exports print them beyond `formatFixed`: compact factors and signed percentages.
enum NumberText {
    /// Whole numbers without decimals, others with one: "400", "56.5".
    static func compact(_ value: Double) -> String {
        formatFixed(value, decimals: value.rounded() == value ? 0 : 1)
    }

    /// A relative change as a signed percentage with one decimal: "−45.0%", "+3.2%" (a true minus
    /// sign, which LaTeX prints as \textminus rather than a hyphen).
    static func signedPercent(_ fraction: Double) -> String {
        (fraction >= 0 ? "+" : "\u{2212}") + formatFixed(abs(fraction) * 100, decimals: 1) + "%"
    }

    /// Decimals that show the smallest non-zero magnitude among `values` with three significant
    /// digits (60 -> 1, 0.48 -> 3), between 0 and 6.
    static func decimalsForThreeSignificantDigits(_ values: [Double]) -> Int {
        guard let smallest = values.map(abs).filter({ $0 > 0 && $0.isFinite }).min() else { return 0 }
        return min(6, max(0, 2 - Int(floor(log10(smallest)))))
    }
}
