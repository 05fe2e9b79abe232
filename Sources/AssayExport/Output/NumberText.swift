import Foundation

/// Numbers as exports print them: fixed decimals on every locale, percentages with a sign.
enum NumberText {
    static func fixed(_ value: Double, decimals: Int) -> String {
        String(format: "%.\(decimals)f", locale: nil, value)
    }

    /// Whole numbers without decimals, others with one: "400", "56.5".
    static func compact(_ value: Double) -> String {
        fixed(value, decimals: value.rounded() == value ? 0 : 1)
    }

    /// A relative change as a signed percentage with one decimal: "-45.0%", "+3.2%".
    static func signedPercent(_ fraction: Double) -> String {
        (fraction >= 0 ? "+" : "-") + fixed(abs(fraction) * 100, decimals: 1) + "%"
    }
}
