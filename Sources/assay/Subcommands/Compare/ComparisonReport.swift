import AssayCore

/// Renders a comparison as terminal text or as a LaTeX table (the case study's Table III for one pair).
enum ComparisonReport {
    static func cell(_ value: Double?, signed: Bool = false) -> String {
        guard let value else { return "-" }
        let text = abs(value) >= 0.001 || value == 0 ? formatFixed(value, decimals: 4) : String(format: "%.3e", value)
        return signed && value > 0 ? "+" + text : text
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
        let costs = TextTable(header: ["cost (whole run)", "before", "after", "reduction"])
        for row in view.costs { costs.add([row.metric, cell(row.before), cell(row.after), percent(row.relativeReduction)]) }
        lines.append(costs.render())
        lines.append("energy: before \(view.energyMethods["before"] ?? "-"), after \(view.energyMethods["after"] ?? "-")")
        lines.append("emission factor: before \(view.emissionFactors["before"] ?? "-"); after \(view.emissionFactors["after"] ?? "-")")
        lines.append("")
        let test = view.mcnemar
        lines.append("McNemar exact: both right \(test.bothCorrect), only before right \(test.onlyBeforeCorrect), only after right \(test.onlyAfterCorrect), both wrong \(test.bothWrong); p = \(formatFixed(test.pValue, decimals: 6))")
        if let change = view.macroF1Change {
            lines.append("delta macro-F1 (after - before): \(cell(change.estimate, signed: true)), \(Int((change.level * 100).rounded()))% CI [\(cell(change.lower, signed: true)), \(cell(change.upper, signed: true))] (paired percentile bootstrap, \(change.resamples) resamples, seed \(change.seed))")
        }
        return lines.joined(separator: "\n")
    }

    static func latex(_ view: ComparisonView) -> String {
        var lines = [
            "% assay compare \(view.before.run) \(view.after.run): \(view.sharedItems) shared items of \(escape(view.dataset)); \(escape(view.unparsedPolicy))",
            "\\begin{tabular}{lrrr}",
            "\\hline",
            "Metric & Before (\(escape(view.before.model))) & After (\(escape(view.after.model))) & $\\Delta$ \\\\",
            "\\hline",
        ]
        for row in view.metrics {
            lines.append("\(escape(row.metric)) & \(cell(row.before)) & \(cell(row.after)) & \(cell(row.difference, signed: true)) \\\\")
        }
        lines.append("\\hline")
        for row in view.costs {
            lines.append("\(escape(row.metric)) & \(cell(row.before)) & \(cell(row.after)) & \(escape(percent(row.relativeReduction.map { -$0 }))) \\\\")
        }
        lines.append("\\hline")
        lines.append("\\end{tabular}")
        var notes = ["McNemar exact $p = \(formatFixed(view.mcnemar.pValue, decimals: 4))$"]
        if let change = view.macroF1Change {
            notes.append("$\\Delta$ macro-F1 95\\% CI [\(cell(change.lower, signed: true)), \(cell(change.upper, signed: true))]")
        }
        lines.append("% " + notes.joined(separator: "; "))
        return lines.joined(separator: "\n")
    }

    /// Escapes LaTeX's special characters in free text such as model names.
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\\": result += "\\textbackslash{}"
            case "&", "%", "$", "#", "_", "{", "}": result += "\\\(character)"
            case "~": result += "\\textasciitilde{}"
            case "^": result += "\\textasciicircum{}"
            default: result.append(character)
            }
        }
        return result
    }
}
