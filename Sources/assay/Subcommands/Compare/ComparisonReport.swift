import AssayCore
import AssayExport
import AssaySupport

/// Renders a comparison as terminal text or as a LaTeX table (the case study's Table III for one pair).
enum ComparisonReport {
    static func cell(_ value: Double?, signed: Bool = false) -> String {
        guard let value else { return "-" }
        let text = abs(value) >= 0.001 || value == 0 ? formatFixed(value, decimals: 4) : String(format: "%.3e", value)
        return signed && value > 0 ? "+" + text : text
    }

    /// Costs span many magnitudes (kWh per query is tiny): shown as `assay metrics` shows them.
    static func cost(_ value: Double?) -> String {
        value.map(MetricsReport.quantity) ?? "-"
    }

    /// A cost cell: the figure, or "not measured" for an energy or CO2 figure a run could not have.
    static func cost(_ row: ComparisonView.Row, side: String, in view: ComparisonView, notMeasured: String) -> String {
        let value = side == "before" ? row.before : row.after
        if value == nil, !row.metric.hasPrefix("seconds"), view.energyNotMeasured[side] != nil { return notMeasured }
        return cost(value)
    }

    static func percent(_ value: Double?) -> String {
        value.map { formatFixed($0 * 100, decimals: 1) + "%" } ?? "-"
    }

    static func text(_ view: ComparisonView) -> String {
        var lines = [
            "Before: run \(view.before.run) (\(view.before.model)); after: run \(view.after.run) (\(view.after.model)); dataset \(view.dataset)",
            "\(view.sharedItems) shared items; \(view.unparsedPolicy)", "",
        ]
        let table = TextTable(header: ["metric", "before", "after", "difference"])
        for row in view.metrics { table.add([row.metric, cell(row.before), cell(row.after), cell(row.difference, signed: true)]) }
        lines.append(table.render())
        lines.append("")
        if view.costs.allSatisfy({ $0.before == nil && $0.after == nil }) {
            lines.append("cost: neither run recorded its time or energy")
        } else {
            lines.append(contentsOf: costLines(view))
        }
        lines.append("")
        let test = view.mcnemar
        lines.append("McNemar exact: both right \(test.bothCorrect), only before right \(test.onlyBeforeCorrect), only after right \(test.onlyAfterCorrect), both wrong \(test.bothWrong); p = \(formatFixed(test.pValue, decimals: 6))")
        if let change = view.macroF1Change {
            lines.append("delta macro-F1 (after - before): \(cell(change.estimate, signed: true)), \(Int((change.level * 100).rounded()))% CI [\(cell(change.lower, signed: true)), \(cell(change.upper, signed: true))] (paired percentile bootstrap, \(change.resamples) resamples, seed \(change.seed))")
        }
        return lines.joined(separator: "\n")
    }

    /// The cost table with where its energy and CO2 figures come from.
    private static func costLines(_ view: ComparisonView) -> [String] {
        let costs = TextTable(header: ["cost (whole run)", "before", "after", "reduction"])
        for row in view.costs {
            costs.add([row.metric, cost(row, side: "before", in: view, notMeasured: "not measured"),
                       cost(row, side: "after", in: view, notMeasured: "not measured"), percent(row.relativeReduction)])
        }
        var lines = [costs.render()]
        let beforeMethod = view.energyMethods["before"] ?? "-", afterMethod = view.energyMethods["after"] ?? "-"
        lines.append("energy: before \(beforeMethod), after \(afterMethod)")
        let beforeFactor = view.emissionFactors["before"] ?? "-", afterFactor = view.emissionFactors["after"] ?? "-"
        lines.append("emission factor: before \(beforeFactor); after \(afterFactor)")
        // A reduction across different meters or grids is not the model's doing; say so where it is read.
        if beforeMethod != afterMethod {
            lines.append("note: the two energies were obtained differently, so their reduction mixes method and model")
        }
        if beforeFactor != afterFactor {
            lines.append("note: the runs use different emission factors, so the CO2e reduction reflects the grid as well as the model")
        }
        return lines
    }

    static func latex(_ view: ComparisonView) -> String {
        var lines = [
            "% assay compare \(view.before.run) \(view.after.run): \(view.sharedItems) shared items of \(LaTeXText.escape(view.dataset)); \(LaTeXText.escape(view.unparsedPolicy))",
            "\\begin{tabular}{lrrr}",
            "\\hline",
            "Metric & Before (\(LaTeXText.escape(view.before.model))) & After (\(LaTeXText.escape(view.after.model))) & $\\Delta$ \\\\",
            "\\hline",
        ]
        for row in view.metrics {
            lines.append("\(LaTeXText.escape(row.metric)) & \(cell(row.before)) & \(cell(row.after)) & \(cell(row.difference, signed: true)) \\\\")
        }
        lines.append("\\hline")
        for row in view.costs {
            lines.append("\(LaTeXText.escape(row.metric)) & \(cost(row, side: "before", in: view, notMeasured: "n/m")) & \(cost(row, side: "after", in: view, notMeasured: "n/m")) & \(LaTeXText.escape(percent(row.relativeReduction.map { -$0 }))) \\\\")
        }
        lines.append("\\hline")
        lines.append("\\end{tabular}")
        var notes = ["McNemar exact $p = \(formatFixed(view.mcnemar.pValue, decimals: 4))$"]
        if let change = view.macroF1Change {
            notes.append("$\\Delta$ macro-F1 \(Int((change.level * 100).rounded()))\\% CI [\(cell(change.lower, signed: true)), \(cell(change.upper, signed: true))]")
        }
        lines.append("% " + notes.joined(separator: "; "))
        // Escaped although they are comments: a line break in a stored source would end the comment.
        if !view.energyNotMeasured.isEmpty {
            lines.append("% n/m: " + LaTeXText.escape(view.energyNotMeasured.sorted { $0.key > $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
        }
        lines.append("% energy: " + LaTeXText.escape("before \(view.energyMethods["before"] ?? "-"), after \(view.energyMethods["after"] ?? "-")"))
        lines.append("% emission factor: " + LaTeXText.escape("before \(view.emissionFactors["before"] ?? "-"); after \(view.emissionFactors["after"] ?? "-")"))
        return lines.joined(separator: "\n")
    }
}
