import AssayCore
import AssaySupport
import Foundation

/// Renders the results table in each export format; every model name and note is escaped for
/// its format.
public enum ResultsTableWriter {
    public static func render(_ table: ResultsTable, format: TableFormat, fragment: Bool) throws -> String {
        switch format {
        case .latex: return latex(table, fragment: fragment)
        case .markdown: return markdown(table)
        case .csv: return csv(table)
        case .json: return try ExportJSON.string(table) + "\n"
        }
    }

    /// The column headings of the paper table, plain text.
    static let headings = [
        "Model", "Quant.", "Precision", "Recall", "F1", "Accuracy",
        "CO2 (g/run)", "CO2 (mg/query)", "CO2 change",
    ]

    /// One printed line of the table.
    struct Line {
        /// The first run of its model family: the model is named here only.
        let startsGroup: Bool
        /// Plain text, before escaping; a missing figure is an en dash.
        let cells: [String]
    }

    /// The table's lines as plain text. The CO2 columns get as many decimals as their smallest
    /// figure needs for three significant digits.
    static func lines(_ table: ResultsTable) -> [Line] {
        let missing = "–"
        let perRun = NumberText.decimalsForThreeSignificantDigits(table.rows.compactMap(\.co2GramsPerRun))
        let perQuery = NumberText.decimalsForThreeSignificantDigits(table.rows.compactMap { $0.co2GramsPerQuery.map { $0 * 1000 } })
        return table.groups.flatMap { group in
            group.rows.enumerated().map { index, row in
                // A run that could not be measured (a remote server) says so; the caption gives the reason.
                let noCO2 = row.energyKwh == nil && row.energy != nil ? "n/m" : missing
                return Line(
                    startsGroup: index == 0,
                    cells: [
                        index == 0 ? row.family : "",
                        row.quantization ?? missing,
                        formatFixed(row.precision, decimals: 3),
                        formatFixed(row.recall, decimals: 3),
                        formatFixed(row.f1, decimals: 3),
                        formatFixed(row.accuracy, decimals: 3),
                        row.co2GramsPerRun.map { formatFixed($0, decimals: perRun) } ?? noCO2,
                        row.co2GramsPerQuery.map { formatFixed($0 * 1000, decimals: perQuery) } ?? noCO2,
                        row.co2ChangeFromBaseline.map(NumberText.signedPercent) ?? (noCO2 == missing || index == 0 ? missing : noCO2),
                    ])
            }
        }
    }

    private static func latex(_ table: ResultsTable, fragment: Bool) -> String {
        let co2 = "CO\\textsubscript{2}"
        var lines = [
            "\\begin{table}[htbp]",
            "\\centering",
            "\\caption{\(LaTeXText.escape(table.caption).replacingOccurrences(of: "CO2", with: co2))}",
            "\\label{tab:assay-results}",
            "\\small",
            "\\setlength{\\tabcolsep}{4pt}",
            "\\begin{tabular}{llrrrrrrr}",
            "\\toprule",
            " & & & & & & \\multicolumn{3}{c}{\(co2)} \\\\",
            "\\cmidrule(l){7-9}",
            "Model & Quant. & Precision & Recall & F1 & Accuracy & g/run & mg/query & change \\\\",
        ]
        for line in Self.lines(table) {
            if line.startsGroup { lines.append("\\midrule") }
            lines.append(line.cells.map { LaTeXText.escape($0) }.joined(separator: " & ") + " \\\\")
        }
        lines += ["\\bottomrule", "\\end{tabular}", "\\end{table}"]
        return LaTeXDocument(packages: ["{booktabs}"], body: lines.joined(separator: "\n") + "\n").render(fragment: fragment)
    }

    private static func markdown(_ table: ResultsTable) -> String {
        var lines = [
            "| " + headings.joined(separator: " | ") + " |",
            "|" + headings.indices.map { $0 < 2 ? " --- |" : " ---: |" }.joined(),
        ]
        for line in Self.lines(table) {
            lines.append("| " + line.cells.map(MarkdownText.escapeCell).joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n\n" + MarkdownText.escapeCell(table.caption) + "\n"
    }

    private static func csv(_ table: ResultsTable) -> String {
        var text = CSVText.record([
            "run_id", "model", "family", "quantization", "dataset", "task", "items", "unparsed",
            "precision_macro", "recall_macro", "f1_macro", "f1_macro_ci_lower", "f1_macro_ci_upper", "accuracy",
            "accuracy_ci_lower", "accuracy_ci_upper", "energy_kwh", "energy", "co2_grams_per_run",
            "co2_grams_per_query", "co2_change_from_baseline", "emission_factor",
        ])
        for row in table.rows {
            text += CSVText.record([
                String(row.runID), row.model, row.family, row.quantization ?? "", row.dataset, row.task,
                String(row.items), String(row.unparsed), String(row.precision), String(row.recall), String(row.f1),
                optional(row.macroF1Interval?.lower), optional(row.macroF1Interval?.upper), String(row.accuracy),
                optional(row.accuracyInterval?.lower), optional(row.accuracyInterval?.upper), optional(row.energyKwh), row.energy ?? "",
                optional(row.co2GramsPerRun),
                optional(row.co2GramsPerQuery), optional(row.co2ChangeFromBaseline), row.emissionFactor ?? "",
            ])
        }
        return text
    }

    private static func optional(_ value: Double?) -> String {
        value.map { String($0) } ?? ""
    }
}
