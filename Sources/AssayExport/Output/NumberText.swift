import AssayCore

/// Numbers as exports print them beyond `formatFixed`: compact factors and signed percentages.
enum NumberText {
    /// Whole numbers without decimals, others with one: "400", "56.5".
    static func compact(_ value: Double) -> String {
        formatFixed(value, decimals: value.rounded() == value ? 0 : 1)
    }

    /// A relative change as a signed percentage with one decimal: "-45.0%", "+3.2%".
    static func signedPercent(_ fraction: Double) -> String {
        (fraction >= 0 ? "+" : "-") + formatFixed(abs(fraction) * 100, decimals: 1) + "%"
    }
}
