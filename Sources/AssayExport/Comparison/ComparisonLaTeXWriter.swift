import AssayAnalysis
import AssayCore
import AssaySupport

/// `assay compare --format latex`: the case study's Table III for one pair of runs.
public enum ComparisonLaTeXWriter {
    public static func render(_ view: ComparisonView) -> String {
        var lines = [
            "% assay compare \(view.before.run) \(view.after.run): \(view.sharedItems) shared items of \(LaTeXText.escape(view.dataset)); \(LaTeXText.escape(view.unparsedPolicy))",
            "\\begin{tabular}{lrrr}",
            "\\hline",
            "Metric & Before (\(LaTeXText.escape(view.before.model))) & After (\(LaTeXText.escape(view.after.model))) & $\\Delta$ \\\\",
            "\\hline",
        ]
        for row in view.metrics {
            lines.append(
                "\(LaTeXText.escape(row.metric)) & \(FigureText.cell(row.before)) & \(FigureText.cell(row.after)) & \(FigureText.cell(row.difference, signed: true)) \\\\"
            )
        }
        lines.append("\\hline")
        for row in view.costs {
            lines.append(
                "\(LaTeXText.escape(row.metric)) & \(FigureText.cost(row, side: .before, in: view, notMeasured: "n/m")) & \(FigureText.cost(row, side: .after, in: view, notMeasured: "n/m")) & \(LaTeXText.escape(FigureText.percent(row.relativeReduction.map { -$0 }))) \\\\"
            )
        }
        lines.append("\\hline")
        lines.append("\\end{tabular}")
        var notes: [String] = []
        if let test = view.mcnemar { notes.append("McNemar exact $p = \(formatFixed(test.pValue, decimals: 4))$") }
        if let change = view.macroF1Change { notes.append(changeNote("macro-F1", change)) }
        for test in view.qualityTests ?? [] {
            if let mcnemar = test.mcnemar {
                notes.append("McNemar exact on \(LaTeXText.escape(test.metric)) $p = \(formatFixed(mcnemar.pValue, decimals: 4))$")
            }
            notes.append(changeNote(LaTeXText.escape(test.metric), test.change))
        }
        lines.append("% " + notes.joined(separator: "; "))
        // Escaped although they are comments: a line break in a stored source would end the comment.
        if !view.energyNotMeasured.isEmpty {
            lines.append(
                "% n/m: "
                    + LaTeXText.escape(
                        view.energyNotMeasured.sorted { $0.key > $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
        }
        lines.append(
            "% energy: " + LaTeXText.escape("before \(view.energyMethods["before"] ?? "-"), after \(view.energyMethods["after"] ?? "-")"))
        lines.append(
            "% emission factor: "
                + LaTeXText.escape("before \(view.emissionFactors["before"] ?? "-"); after \(view.emissionFactors["after"] ?? "-")"))
        return lines.joined(separator: "\n")
    }

    private static func changeNote(_ metric: String, _ change: ConfidenceInterval) -> String {
        "$\\Delta$ \(metric) \(Int((change.level * 100).rounded()))\\% CI [\(FigureText.cell(change.lower, signed: true)), \(FigureText.cell(change.upper, signed: true))]"
    }
}
