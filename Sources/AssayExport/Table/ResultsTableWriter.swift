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
    /// The headings of the optional columns (`--changes`).
    static let changeHeadings = ["Flips R→W", "Flips W→R", "KLD", "Same top"]

    /// The table's lines as plain text. The CO2 columns get as many decimals as their smallest
    /// figure needs for three significant digits.
    static func lines(_ table: ResultsTable) -> [TableText.Line] {
        let missing = "–"
        let perRun = NumberText.decimalsForThreeSignificantDigits(table.rows.compactMap(\.co2GramsPerRun))
        let perQuery = NumberText.decimalsForThreeSignificantDigits(table.rows.compactMap { $0.co2GramsPerQuery.map { $0 * 1000 } })
        return table.groups.flatMap { group in
            group.rows.enumerated().map { index, row in
                // A run that could not be measured (a remote server) says so; the caption gives the reason.
                let noCO2 = row.energyKwh == nil && row.energy != nil ? "n/m" : missing
                return TableText.Line(
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
                    ] + (table.showsChanges ? changeCells(row.changes) : []))
            }
        }
    }

    /// The optional columns of one row: none of them for a group's first run, the flips for every
    /// other, the divergence where it was measured.
    private static func changeCells(_ changes: ResultsTableRow.Changes?) -> [String] {
        let missing = "–"
        guard let changes else { return Array(repeating: missing, count: changeHeadings.count) }
        return [
            String(changes.rightToWrong), String(changes.wrongToRight),
            changes.meanKld.map { formatSignificant($0, digits: 3) } ?? missing,
            changes.sameTopToken.map { formatFixed($0 * 100, decimals: 1) + "%" } ?? missing,
        ]
    }

    private static func latex(_ table: ResultsTable, fragment: Bool) -> String {
        let co2 = "CO\\textsubscript{2}"
        var groupRow = " & & & & & & \\multicolumn{3}{c}{\(co2)}"
        var rules = "\\cmidrule(l){7-9}"
        var names = "Model & Quant. & Precision & Recall & F1 & Accuracy & g/run & mg/query & change"
        if table.showsChanges {
            groupRow += " & \\multicolumn{2}{c}{Flips} & \\multicolumn{2}{c}{Divergence}"
            rules += " \\cmidrule(l){10-11} \\cmidrule(l){12-13}"
            names += " & R$\\to$W & W$\\to$R & KLD & same top"
        }
        return TableText(caption: table.caption, textColumns: 2, lines: lines(table)).latex(
            label: "tab:assay-results", header: [groupRow + " \\\\", rules, names + " \\\\"], fragment: fragment)
    }

    private static func markdown(_ table: ResultsTable) -> String {
        TableText(caption: table.caption, textColumns: 2, lines: lines(table)).markdown(
            headings: headings + (table.showsChanges ? changeHeadings : []))
    }

    private static func csv(_ table: ResultsTable) -> String {
        var text = CSVText.record(
            [
                "run_id", "model", "family", "quantization", "dataset", "task", "items", "unparsed",
                "precision_macro", "recall_macro", "f1_macro", "f1_macro_ci_lower", "f1_macro_ci_upper", "accuracy",
                "accuracy_ci_lower", "accuracy_ci_upper", "energy_kwh", "energy", "co2_grams_per_run",
                "co2_grams_per_query", "co2_change_from_baseline", "emission_factor",
            ] + (table.showsChanges ? ["flips_right_to_wrong", "flips_wrong_to_right", "mean_kld", "same_top_token"] : []))
        for row in table.rows {
            text += CSVText.record(
                [
                    String(row.runID), row.model, row.family, row.quantization ?? "", row.dataset, row.task,
                    String(row.items), String(row.unparsed), String(row.precision), String(row.recall), String(row.f1),
                    optional(row.macroF1Interval?.lower), optional(row.macroF1Interval?.upper), String(row.accuracy),
                    optional(row.accuracyInterval?.lower), optional(row.accuracyInterval?.upper), optional(row.energyKwh), row.energy ?? "",
                    optional(row.co2GramsPerRun),
                    optional(row.co2GramsPerQuery), optional(row.co2ChangeFromBaseline), row.emissionFactor ?? "",
                ] + (table.showsChanges ? optionalChanges(row.changes) : []))
        }
        return text
    }

    private static func optionalChanges(_ changes: ResultsTableRow.Changes?) -> [String] {
        [
            changes.map { String($0.rightToWrong) } ?? "", changes.map { String($0.wrongToRight) } ?? "", optional(changes?.meanKld),
            optional(changes?.sameTopToken),
        ]
    }

    private static func optional(_ value: Double?) -> String {
        value.map { String($0) } ?? ""
    }
}
