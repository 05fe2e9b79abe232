import AssayAnalysis
import AssayCore
import AssaySupport

/// Renders a comparison as terminal text (the LaTeX form is AssayExport's ComparisonLaTeXWriter).
enum ComparisonReport {
    static func text(_ view: ComparisonView) -> String {
        var lines = [
            "Before: run \(view.before.run) (\(view.before.model)); after: run \(view.after.run) (\(view.after.model)); dataset \(view.dataset)",
            "\(view.sharedItems) shared items; \(view.unparsedPolicy)", "",
        ]
        let table = TextTable(header: ["metric", "before", "after", "difference"])
        for row in view.metrics {
            table.add([row.metric, FigureText.cell(row.before), FigureText.cell(row.after), FigureText.cell(row.difference, signed: true)])
        }
        lines.append(table.render())
        lines.append("")
        if view.costs.allSatisfy({ $0.before == nil && $0.after == nil }) {
            lines.append("cost: neither run recorded its time or energy")
        } else {
            lines.append(contentsOf: costLines(view))
        }
        lines.append("")
        if let test = view.mcnemar { lines.append(mcNemarLine("McNemar exact", test)) }
        if let change = view.macroF1Change { lines.append(changeLine("macro-F1", change)) }
        for test in view.qualityTests ?? [] {
            if let mcnemar = test.mcnemar { lines.append(mcNemarLine("McNemar exact on \(test.metric)", mcnemar)) }
            lines.append(changeLine(test.metric, test.change))
        }
        if let flips = view.flips {
            lines.append("flips (\(flips.metric)): right -> wrong \(rows(flips.rightToWrong)); wrong -> right \(rows(flips.wrongToRight))")
        }
        if let divergence = view.divergence {
            lines.append(
                "divergence \(divergence.id) (after's model file against before's, on \(divergence.text)): mean KLD \(formatSignificant(divergence.meanKld, digits: 4)), same top token \(formatFixed(divergence.sameTopToken * 100, decimals: 2)) %, PPL ratio \(formatFixed(divergence.perplexityRatio, decimals: 4))"
            )
        } else {
            lines.append("divergence: not measured for these model files (assay divergence --base ... --model ... --text FILE)")
        }
        if let items = view.itemDivergence {
            lines.append(itemDivergenceLine(items, before: view.before.run))
        }
        return lines.joined(separator: "\n")
    }

    /// Mean per-item KLD of the flipped items against the unflipped ones.
    private static func itemDivergenceLine(_ items: ComparisonView.ItemDivergenceSummary, before: RunID) -> String {
        let head = "per-item divergence \(items.id) (\(items.items) items, their prompts and run \(before)'s answers)"
        guard !items.flips.categories.isEmpty else { return "\(head): no pass/fail figure, so no flips to set it beside" }
        return
            "\(head): \(FigureText.meanKld(items.flips.flipped, of: "flipped")); \(FigureText.meanKld(items.flips.unflipped, of: "unflipped"))"
    }

    /// "none", or the rows, the first twenty of a long list.
    private static func rows(_ rows: [Int]) -> String {
        guard !rows.isEmpty else { return "none" }
        let shown = rows.prefix(20).map(String.init).joined(separator: ", ")
        return "\(rows.count) (rows \(shown)\(rows.count > 20 ? ", ..." : ""))"
    }

    private static func mcNemarLine(_ title: String, _ test: ComparisonView.McNemar) -> String {
        "\(title): both right \(test.bothCorrect), only before right \(test.onlyBeforeCorrect), only after right \(test.onlyAfterCorrect), both wrong \(test.bothWrong); p = \(formatFixed(test.pValue, decimals: 6))"
    }

    private static func changeLine(_ metric: String, _ change: ConfidenceInterval) -> String {
        "delta \(metric) (after - before): \(FigureText.cell(change.estimate, signed: true)), \(Int((change.level * 100).rounded()))% CI [\(FigureText.cell(change.lower, signed: true)), \(FigureText.cell(change.upper, signed: true))] (paired percentile bootstrap, \(change.resamples) resamples, seed \(change.seed))"
    }

    /// The cost table with where its energy and CO2 figures come from.
    private static func costLines(_ view: ComparisonView) -> [String] {
        let costs = TextTable(header: ["cost (whole run)", "before", "after", "reduction"])
        for row in view.costs {
            costs.add([
                row.metric, FigureText.cost(row, side: .before, in: view, notMeasured: "not measured"),
                FigureText.cost(row, side: .after, in: view, notMeasured: "not measured"), FigureText.percent(row.relativeReduction),
            ])
        }
        var lines = [costs.render()]
        let beforeMethod = view.energyMethods["before"] ?? "-"
        let afterMethod = view.energyMethods["after"] ?? "-"
        lines.append("energy: before \(beforeMethod), after \(afterMethod)")
        let beforeFactor = view.emissionFactors["before"] ?? "-"
        let afterFactor = view.emissionFactors["after"] ?? "-"
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
}
