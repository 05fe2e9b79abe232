import AssayCore
import AssaySupport
import Foundation

/// Renders the task-by-model table in each export format.
public enum TaskModelTableWriter {
    public static func render(_ table: TaskModelTable, format: TableFormat, fragment: Bool) throws -> String {
        switch format {
        case .latex: return latex(table, fragment: fragment)
        case .markdown: return markdown(table)
        case .csv: return csv(table)
        case .json: return try ExportJSON.string(table) + "\n"
        }
    }

    static let headings = ["Task", "Model", "Metric", "Quality", "95% CI", "CO2 (mg/query)", "Quality ratio", "CO2 ratio"]

    /// Plain-text cells per row, the task named on its first row only; a missing figure is an en dash.
    static func lines(_ table: TaskModelTable) -> [TableText.Line] {
        let missing = "–"
        let perQuery = NumberText.decimalsForThreeSignificantDigits(
            table.tasks.flatMap(\.rows).compactMap { $0.co2GramsPerQuery.map { $0 * 1000 } })
        return table.tasks.flatMap { task in
            task.rows.enumerated().map { index, row in
                let model = ModelVariant.title(model: row.model, quantization: row.quantization)
                let isReference = row.runID == task.referenceRunID
                return TableText.Line(
                    startsGroup: index == 0,
                    cells: [
                        index == 0 ? task.task : "",
                        model + (isReference ? " (reference)" : ""),
                        row.metricName,
                        formatFixed(row.quality, decimals: 3),
                        row.qualityInterval.map { "\(formatFixed($0.lower, decimals: 3))–\(formatFixed($0.upper, decimals: 3))" }
                            ?? missing,
                        row.co2GramsPerQuery.map { formatFixed($0 * 1000, decimals: perQuery) } ?? (row.energy == nil ? missing : "n/m"),
                        isReference ? "1" : row.qualityRatio.map { formatFixed($0, decimals: 3) } ?? missing,
                        isReference ? "1" : row.co2Ratio.map { formatFixed($0, decimals: 3) } ?? missing,
                    ]
                )
            }
        }
    }

    private static func latex(_ table: TaskModelTable, fragment: Bool) -> String {
        let co2 = "CO\\textsubscript{2}"
        return TableText(caption: table.caption, textColumns: 3, lines: lines(table)).latex(
            label: "tab:assay-tasks",
            header: [
                " & & & \\multicolumn{2}{c}{Quality} & \(co2) & \\multicolumn{2}{c}{Ratio to large} \\\\",
                "\\cmidrule(lr){4-5} \\cmidrule(lr){7-8}",
                "Task & Model & Metric & value & 95\\% CI & mg/query & quality & \(co2) \\\\",
            ], fontSize: "footnotesize", fragment: fragment)
    }

    private static func markdown(_ table: TaskModelTable) -> String {
        TableText(caption: table.caption, textColumns: 3, lines: lines(table)).markdown(headings: headings)
    }

    private static func csv(_ table: TaskModelTable) -> String {
        func optional(_ value: Double?) -> String { value.map { String($0) } ?? "" }
        var text = CSVText.record([
            "task", "kind", "dataset", "run_id", "model", "quantization", "parameter_count", "items", "metric", "quality",
            "quality_ci_lower", "quality_ci_upper", "co2_grams_per_query", "energy", "quality_ratio", "co2_ratio", "reference_run_id",
        ])
        for task in table.tasks {
            for row in task.rows {
                text += CSVText.record([
                    task.task, task.kind.rawValue, task.dataset, String(row.runID), row.model, row.quantization ?? "",
                    row.parameterCount.map(String.init) ?? "", String(row.items), row.metric, String(row.quality),
                    optional(row.qualityInterval?.lower), optional(row.qualityInterval?.upper), optional(row.co2GramsPerQuery),
                    row.energy ?? "", optional(row.qualityRatio), optional(row.co2Ratio), String(task.referenceRunID),
                ])
            }
        }
        return text
    }
}
