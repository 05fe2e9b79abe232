import AssayCore
import AssayExport
import AssaySupport

/// Renders metrics views as terminal text and as CSV.
enum MetricsReport {
    static func number(_ value: Double) -> String { formatFixed(value, decimals: 4) }

    static func interval(_ interval: ConfidenceInterval?) -> String {
        guard let interval else { return "(no interval: no items)" }
        return "\(Int((interval.level * 100).rounded()))% CI [\(number(interval.lower)), \(number(interval.upper))]"
    }

    /// A quantity that may be tiny (kWh, grams per query) in readable significant digits.
    static func quantity(_ value: Double) -> String {
        value == 0 || abs(value) >= 0.01 ? formatFixed(value, decimals: 4) : String(format: "%.3e", value)
    }

    static func text(_ evaluation: EvaluatedRun, policy: UnparsedPolicy) throws -> String {
        let view = try MetricsView(evaluation, policy: policy)
        // Under the exclude policy the counted items no longer include the unparsed ones: say how many went.
        let answered = evaluation.outcome.predictions.answers.count
        let counted = view.items == answered
            ? "\(view.items) items, \(view.unparsed) unparsed"
            : "\(view.items) of \(answered) items counted, \(answered - view.items) unparsed left out"
        var lines = ["Run \(view.run): model \(view.model), dataset \(view.dataset), task \(view.task)",
                     "\(counted); \(view.unparsedPolicy)", ""]
        let table = TextTable(header: ["class", "precision", "recall", "f1", "support"])
        for row in view.classes {
            table.add([row.label, number(row.precision), number(row.recall), number(row.f1), String(row.support)])
        }
        table.add(["macro avg", number(view.macro.precision), number(view.macro.recall), number(view.macro.f1), String(view.items)])
        table.add(["weighted avg", number(view.weighted.precision), number(view.weighted.recall), number(view.weighted.f1), String(view.items)])
        lines.append(table.render())
        lines.append("")
        let resampling = view.accuracyCi.map { "  (percentile bootstrap, \($0.resamples) resamples, seed \($0.seed))" } ?? ""
        lines.append("accuracy  \(number(view.accuracy))  \(interval(view.accuracyCi))\(resampling)")
        lines.append("macro-F1  \(number(view.macro.f1))  \(interval(view.macroF1Ci))")
        lines.append("")
        lines.append("Confusion matrix (rows: true class, columns: answer)")
        let matrix = TextTable(header: ["true \\ answer"] + view.confusionMatrix.labels)
        for (index, row) in view.confusionMatrix.rows.enumerated() {
            matrix.add([view.confusionMatrix.labels[index]] + row.map(String.init))
        }
        lines.append(matrix.render())
        lines.append("")
        if let seconds = view.durationSeconds {
            lines.append("time      \(formatFixed(seconds, decimals: 2)) s" + (view.secondsPerQuery.map { ", \(formatFixed($0, decimals: 3)) s per query" } ?? ""))
        }
        if let energy = view.energy {
            lines.append("energy    \(quantity(energy.kwh)) kWh, \(energy.label)")
            if !energy.constants.isEmpty {
                lines.append("          constants: " + energy.constants.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
            }
        } else {
            lines.append("energy    \(view.energyNotMeasured ?? "not recorded")")
        }
        if let co2 = view.co2, let carbon = evaluation.cost.carbon {
            lines.append("CO2e      \(quantity(co2.grams)) g" + (co2.gramsPerQuery.map { ", \(quantity($0)) g per query" } ?? "")
                         + (view.energy.map { " (\($0.label))" } ?? ""))
            lines.append("          = \(carbon.provenance)")
            if let origin = co2.factorOrigin { lines.append("          factor: \(origin)") }
        } else {
            lines.append("CO2e      \(view.energyNotMeasured ?? "not recorded")")
        }
        return lines.joined(separator: "\n")
    }

    static let csvHeader = [
        "run", "model", "dataset", "task", "items", "unparsed", "unparsed_policy",
        "accuracy", "accuracy_ci_lower", "accuracy_ci_upper",
        "macro_precision", "macro_recall", "macro_f1", "macro_f1_ci_lower", "macro_f1_ci_upper",
        "weighted_precision", "weighted_recall", "weighted_f1",
        "duration_seconds", "seconds_per_query", "energy_kwh", "energy_method", "energy_label",
        "co2_grams", "co2_grams_per_query", "emission_factor", "emission_factor_source",
    ]

    static func csv(_ views: [MetricsView]) -> String {
        func optional(_ value: Double?) -> String { value.map { String($0) } ?? "" }
        var lines = [csvHeader.joined(separator: ",")]
        for view in views {
            let cells: [String] = [
                String(view.run), view.model, view.dataset, view.task, String(view.items), String(view.unparsed),
                view.unparsedPolicy,
                String(view.accuracy), optional(view.accuracyCi?.lower), optional(view.accuracyCi?.upper),
                String(view.macro.precision), String(view.macro.recall), String(view.macro.f1),
                optional(view.macroF1Ci?.lower), optional(view.macroF1Ci?.upper),
                String(view.weighted.precision), String(view.weighted.recall), String(view.weighted.f1),
                optional(view.durationSeconds), optional(view.secondsPerQuery), optional(view.energy?.kwh),
                view.energy?.method ?? "", view.energy?.label ?? view.energyNotMeasured ?? "", optional(view.co2?.grams), optional(view.co2?.gramsPerQuery),
                optional(view.co2?.emissionFactor), view.co2?.emissionFactorSource ?? "",
            ]
            lines.append(cells.map(CSVText.field).joined(separator: ","))
        }
        return lines.joined(separator: "\n")
    }
}
