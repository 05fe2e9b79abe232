import AssayAnalysis
import AssayCore
import AssaySupport

/// Renders a run's metrics as terminal text (the CSV form is AssayExport's MetricsCSVWriter).
enum MetricsReport {
    static func text(_ evaluation: EvaluatedRun, view: MetricsView) throws -> String {
        // Under the exclude policy the counted items no longer include the unparsed ones: say how many went.
        let answered = evaluation.outcome.predictions.answers.count
        let counted =
            view.items == answered
            ? "\(view.items) items, \(view.unparsed) unparsed"
            : "\(view.items) of \(answered) items counted, \(answered - view.items) unparsed left out"
        var lines = [
            "Run \(view.run): model \(view.model), dataset \(view.dataset), task \(view.task)"
                + (view.kind.map { " (\($0.rawValue))" } ?? ""),
            "\(counted); \(view.unparsedPolicy)", "",
        ]
        if let quality = view.quality {
            lines.append(qualityTable(quality))
        } else {
            lines.append(classificationTables(view))
        }
        lines.append("")
        cost(of: view, evaluation: evaluation, into: &lines)
        return lines.joined(separator: "\n")
    }

    /// The figures of a multiple-choice, exact-match, code or generation run, each with its interval.
    private static func qualityTable(_ quality: [MetricsView.Quality]) -> String {
        let table = TextTable(header: ["figure", "value", "95% CI"])
        for figure in quality {
            table.add([figure.name, FigureText.number(figure.value), FigureText.interval(figure.ci)])
        }
        let resampling = quality.first?.ci.map { "\n(percentile bootstrap over items, \($0.resamples) resamples, seed \($0.seed))" } ?? ""
        return table.render() + resampling
    }

    private static func classificationTables(_ view: MetricsView) -> String {
        guard let classes = view.classes, let macro = view.macro, let weighted = view.weighted, let accuracy = view.accuracy,
            let confusion = view.confusionMatrix
        else { return "" }
        var lines: [String] = []
        let table = TextTable(header: ["class", "precision", "recall", "f1", "support"])
        for row in classes {
            table.add([
                row.label, FigureText.number(row.precision), FigureText.number(row.recall), FigureText.number(row.f1), String(row.support),
            ])
        }
        table.add([
            "macro avg", FigureText.number(macro.precision), FigureText.number(macro.recall), FigureText.number(macro.f1),
            String(view.items),
        ])
        table.add([
            "weighted avg", FigureText.number(weighted.precision), FigureText.number(weighted.recall),
            FigureText.number(weighted.f1), String(view.items),
        ])
        lines.append(table.render())
        lines.append("")
        let resampling = view.accuracyCi.map { "  (percentile bootstrap, \($0.resamples) resamples, seed \($0.seed))" } ?? ""
        lines.append("accuracy  \(FigureText.number(accuracy))  \(FigureText.interval(view.accuracyCi))\(resampling)")
        lines.append("macro-F1  \(FigureText.number(macro.f1))  \(FigureText.interval(view.macroF1Ci))")
        lines.append("")
        lines.append("Confusion matrix (rows: true class, columns: answer)")
        let matrix = TextTable(header: ["true \\ answer"] + confusion.labels)
        for (index, row) in confusion.rows.enumerated() {
            matrix.add([confusion.labels[index]] + row.map(String.init))
        }
        lines.append(matrix.render())
        return lines.joined(separator: "\n")
    }

    /// Time, energy and CO2, each with how it was obtained or why it is missing.
    private static func cost(of view: MetricsView, evaluation: EvaluatedRun, into lines: inout [String]) {
        if let seconds = view.durationSeconds {
            lines.append(
                "time      \(formatFixed(seconds, decimals: 2)) s"
                    + (view.secondsPerQuery.map { ", \(formatFixed($0, decimals: 3)) s per query" } ?? ""))
        }
        if let energy = view.energy {
            lines.append("energy    \(FigureText.quantity(energy.kwh)) kWh, \(energy.label)")
            if !energy.constants.isEmpty {
                lines.append(
                    "          constants: "
                        + energy.constants.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
            }
        } else {
            lines.append("energy    \(view.energyNotMeasured ?? "not recorded")")
        }
        if let co2 = view.co2, let carbon = evaluation.cost.carbon {
            lines.append(
                "CO2e      \(FigureText.quantity(co2.grams)) g"
                    + (co2.gramsPerQuery.map { ", \(FigureText.quantity($0)) g per query" } ?? "")
                    + (view.energy.map { " (\($0.label))" } ?? ""))
            lines.append("          = \(carbon.provenance)")
            if let origin = co2.factorOrigin { lines.append("          factor: \(origin)") }
        } else {
            lines.append("CO2e      \(view.energyNotMeasured ?? "not recorded")")
        }
    }
}
