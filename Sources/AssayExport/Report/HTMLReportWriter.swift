import AssayCore
import AssayStore
import Foundation

/// Renders the study report as one self-contained HTML page: results table, accuracy-versus-CO2
/// chart with its Pareto front, confusion matrices, score distributions, agreement and key examples.
public enum HTMLReportWriter {
    public static func render(_ report: StudyReport) throws -> String {
        let generated = ISO8601DateFormatter().string(from: report.generatedAt)
        var body = [
            "<h1>Assay report</h1>",
            "<p class=\"meta\">Database \(HTMLText.escape(report.databasePath)) &middot; generated \(generated) &middot; \(report.evaluations.count) run(s)</p>",
            "<h2>Results</h2>",
            resultsTable(report.table),
            "<h2>Accuracy versus CO\u{2082}</h2>",
            chart(report.table),
            "<h2>Confusion matrices</h2>",
            "<p class=\"note\">Rows are gold labels, columns the predicted ones; shading is the share of the row.</p>",
            "<div class=\"matrices\">\(report.evaluations.map(confusionMatrix).joined(separator: "\n"))</div>",
            "<h2>Expert scores</h2>",
            distributions(ScoreDistribution.distributions(of: report.scores)),
            "<h2>Agreement between annotators</h2>",
            agreement(try AgreementSummary.summaries(of: report.scores)),
        ]
        if !report.examples.isEmpty {
            body += ["<h2>Key examples</h2>", QualitativeFigureWriter.html(report.examples)]
        }
        return HTMLPage(title: "Assay report", body: body.joined(separator: "\n")).render()
    }

    private static func resultsTable(_ table: ResultsTable) -> String {
        guard !table.groups.isEmpty else { return "<p class=\"note\">No completed run yet.</p>" }
        let header = ResultsTableWriter.headings.enumerated()
            .map { $0.offset < 2 ? "<th class=\"text\">\(HTMLText.escape($0.element))</th>" : "<th>\(HTMLText.escape($0.element))</th>" }
            .joined()
        let rows: [String] = ResultsTableWriter.lines(table).map { line in
            let cells: String = line.cells.enumerated()
                .map { $0.offset < 2 ? "<td class=\"text\">\(HTMLText.escape($0.element))</td>" : "<td>\(HTMLText.escape($0.element))</td>" }
                .joined()
            return "<tr\(line.startsGroup ? " class=\"group-start\"" : "")>\(cells)</tr>"
        }
        return "<table>\n<thead><tr>\(header)</tr></thead>\n<tbody>\n\(rows.joined(separator: "\n"))\n</tbody>\n</table>\n<p class=\"note\">\(HTMLText.escape(table.caption))</p>"
    }

    private static func chart(_ table: ResultsTable) -> String {
        let chart = AccuracyCarbonChart(rows: table.rows)
        guard !chart.points.isEmpty else { return "<p class=\"note\">No run recorded its CO\u{2082}, so there is nothing to plot.</p>" }
        let missing = table.rows.filter { $0.co2GramsPerQuery == nil }.map { "run \($0.runID)" }
        var note = "On the Pareto front (no other run has lower CO\u{2082} and higher accuracy): \(chart.frontLabels.joined(separator: "; "))."
        if !missing.isEmpty { note += " Not plotted, no CO\u{2082} recorded: \(missing.joined(separator: ", "))." }
        return chart.svg() + "\n<p class=\"note\">\(HTMLText.escape(note))</p>"
    }

    private static func confusionMatrix(_ evaluation: RunEvaluation) -> String {
        let confusion = evaluation.metrics.confusion
        let labels = evaluation.metrics.classes.map(\.label)
        let showUnparsed = confusion.unparsed > 0
        var header = "<th class=\"text\">gold \\ predicted</th>" + labels.map { "<th>\(HTMLText.escape($0))</th>" }.joined()
        if showUnparsed { header += "<th>no label</th>" }
        var rows: [String] = []
        for (actual, label) in labels.enumerated() {
            let columns: [Int?] = labels.indices.map { $0 } + (showUnparsed ? [nil] : [])
            let total = columns.reduce(0) { $0 + confusion[actual, $1] }
            let cells = columns.map { predicted -> String in
                let count = confusion[actual, predicted]
                let share = total > 0 ? Double(count) / Double(total) : 0
                let colour = predicted == actual ? "47,143,91" : "192,57,43"
                return "<td class=\"cell\" style=\"background: rgba(\(colour),\(formatFixed(share * 0.75, decimals: 2)))\">\(count)</td>"
            }.joined()
            rows.append("<tr><th class=\"text\">\(HTMLText.escape(label))</th>\(cells)</tr>")
        }
        let outcome = evaluation.outcome
        let title = "\(ModelVariant.title(model: outcome.modelName, quantization: outcome.quantization)), run \(outcome.runID)"
        return "<figure><figcaption>\(HTMLText.escape(title))</figcaption><table><thead><tr>\(header)</tr></thead><tbody>\(rows.joined())</tbody></table></figure>"
    }

    private static func distributions(_ distributions: [ScoreDistribution]) -> String {
        guard !distributions.isEmpty else { return "<p class=\"note\">No scores yet.</p>" }
        let sections = distributions.map { distribution in
            let header = "<th class=\"text\">Run</th>" + distribution.values.map { "<th class=\"text\">\(HTMLText.escape($0.description))</th>" }.joined()
            let rows = distribution.runs.map { run in
                let total = max(run.counts.reduce(0, +), 1)
                let cells = run.counts.map { count in
                    let width = formatFixed(Double(count) / Double(total) * 80, decimals: 0)
                    return "<td class=\"text\"><span class=\"bar\" style=\"width: \(width)px\"></span>\(count)</td>"
                }.joined()
                return "<tr><td class=\"text\">\(HTMLText.escape(run.title))</td>\(cells)</tr>"
            }.joined(separator: "\n")
            return "<h3>\(HTMLText.escape(distribution.criterion))</h3>\n<table><thead><tr>\(header)</tr></thead><tbody>\n\(rows)\n</tbody></table>"
        }
        return "<p class=\"note\">A prediction counts with its adjudicated score when it has one, else with every annotator's score.</p>\n"
            + sections.joined(separator: "\n")
    }

    private static func agreement(_ summaries: [AgreementSummary]) -> String {
        guard !summaries.isEmpty else {
            return "<p class=\"note\">Agreement needs two or more annotators scoring the same predictions under one rubric version.</p>"
        }
        let headings = ["Rubric", "Criterion", "Annotators", "Items", "% agreement", "Cohen κ", "κ linear", "κ quadratic",
                        "Fleiss κ", "α nominal", "α ordinal", "α interval"]
        let header = headings.enumerated().map { $0.offset < 2 ? "<th class=\"text\">\($0.element)</th>" : "<th>\($0.element)</th>" }.joined()
        let rows = summaries.map { summary in
            let report = summary.report
            func cell(_ value: AgreementValue?, ordinalOrInterval: Bool = false) -> String {
                guard let value, !(ordinalOrInterval && summary.categorical) else {
                    return "<td title=\"not applicable\">–</td>"
                }
                switch value {
                case .value(let number): return "<td>\(formatFixed(number, decimals: 3))</td>"
                case .undefined(let reason): return "<td title=\"\(HTMLText.escape(reason))\">undefined</td>"
                }
            }
            let names = "<td class=\"text\">\(HTMLText.escape(summary.rubric))</td><td class=\"text\">\(HTMLText.escape(report.criterion))</td>"
            let counts = "<td>\(report.coders.count)</td><td>\(report.pairableItemCount)</td>"
            let values: [String] = [
                cell(report.percentAgreement),
                cell(report.cohensKappa[.unweighted]),
                cell(report.cohensKappa[.linear], ordinalOrInterval: true),
                cell(report.cohensKappa[.quadratic], ordinalOrInterval: true),
                cell(report.fleissKappa),
                cell(report.krippendorffAlpha[.nominal]),
                cell(report.krippendorffAlpha[.ordinal], ordinalOrInterval: true),
                cell(report.krippendorffAlpha[.interval], ordinalOrInterval: true),
            ]
            return "<tr>" + names + counts + values.joined() + "</tr>"
        }.joined(separator: "\n")
        return "<table><thead><tr>\(header)</tr></thead><tbody>\n\(rows)\n</tbody></table>\n"
            + "<p class=\"note\">Items: predictions scored by two or more annotators. Cohen's kappa needs exactly two annotators; Fleiss' kappa uses the items every annotator scored; Krippendorff's alpha allows missing scores. Undefined: hover for why.</p>"
    }
}
