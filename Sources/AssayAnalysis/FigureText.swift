import AssayCore
import AssaySupport
import Foundation

/// How metrics and comparisons print their figures, in the terminal and in LaTeX alike.
public enum FigureText {
    /// A metric: four decimals.
    public static func number(_ value: Double) -> String { formatFixed(value, decimals: 4) }

    /// "95% CI [0.6000, 0.8000]".
    public static func interval(_ interval: ConfidenceInterval?) -> String {
        guard let interval else { return "(no interval: no items)" }
        return "\(Int((interval.level * 100).rounded()))% CI [\(number(interval.lower)), \(number(interval.upper))]"
    }

    /// A quantity that may be tiny (kWh, grams per query) in readable significant digits.
    public static func quantity(_ value: Double) -> String {
        value == 0 || abs(value) >= 0.01 ? formatFixed(value, decimals: 4) : String(format: "%.3e", value)
    }

    /// A comparison cell: "-" when missing, "+" before a positive difference when `signed`.
    public static func cell(_ value: Double?, signed: Bool = false) -> String {
        guard let value else { return "-" }
        let text = abs(value) >= 0.001 || value == 0 ? formatFixed(value, decimals: 4) : String(format: "%.3e", value)
        return signed && value > 0 ? "+" + text : text
    }

    /// "45.0%", or "-" when missing.
    public static func percent(_ value: Double?) -> String {
        value.map { formatFixed($0 * 100, decimals: 1) + "%" } ?? "-"
    }

    /// A comparison's cost cell on one side: the figure, or `notMeasured` for an energy or CO2 figure the run could not have.
    public static func cost(_ row: ComparisonView.Row, side: ComparisonView.Side, in view: ComparisonView, notMeasured: String) -> String {
        let value = side == .before ? row.before : row.after
        if value == nil, !row.metric.hasPrefix("seconds"), view.energyNotMeasured[side.rawValue] != nil { return notMeasured }
        return value.map(quantity) ?? "-"
    }

    /// "mean KLD 0.01234 over 3 flipped items", or "no flipped item": one group of a per-item divergence.
    public static func meanKld(_ group: FlipDivergence.Group, of kind: String) -> String {
        guard let mean = group.meanKld else { return "no \(kind) item" }
        return "mean KLD \(formatSignificant(mean, digits: 4)) over \(group.items) \(kind) item\(group.items == 1 ? "" : "s")"
    }
}
