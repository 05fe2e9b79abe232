import AssayAnalysis
import AssayCore
import AssayStore
import AssaySupport
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
            "<h2>Confusion matrices and per-class figures</h2>",
            "<p class=\"note\">Rows are gold labels, columns the predicted ones; shading is the share of the row. Below each matrix: precision, recall and F1 per class.</p>",
            "<div class=\"matrices\">\(report.evaluations.map(confusionMatrix).joined(separator: "\n"))</div>",
            "<h2>Expert scores</h2>",
            distributions(ScoreDistribution.distributions(of: report.scores)),
            "<h2>Agreement between annotators</h2>",
            agreement(report.agreement),
        ]
        if !report.examples.isEmpty {
            body += ["<h2>Key examples</h2>", QualitativeFigureWriter.html(report.examples)]
        }
        return HTMLPage(title: "Assay report", body: body.joined(separator: "\n")).render()
    }

    private static func resultsTable(_ table: ResultsTable) -> String {
        guard !table.groups.isEmpty else { return "<p class=\"note\">No completed run yet.</p>" }
        let intervalNote =
            table.rows.compactMap(\.accuracyInterval).first.map {
                " 95% CI: percentile bootstrap of accuracy, \($0.resamples) resamples, seed \($0.seed)."
            } ?? ""
        // The paper's columns, with the accuracy interval after accuracy.
        let accuracyColumn = ResultsTableWriter.headings.firstIndex(of: "Accuracy") ?? 0
        var headings = ResultsTableWriter.headings
        headings.insert("95% CI", at: accuracyColumn + 1)
        let header: String = headings.enumerated()
            .map { $0.offset < 2 ? "<th class=\"text\">\(HTMLText.escape($0.element))</th>" : "<th>\(HTMLText.escape($0.element))</th>" }
            .joined()
        let rows: [String] = zip(ResultsTableWriter.lines(table), table.rows).map { line, row in
            var cells = line.cells
            cells.insert(
                row.accuracyInterval.map { "\(formatFixed($0.lower, decimals: 3))–\(formatFixed($0.upper, decimals: 3))" } ?? "–",
                at: accuracyColumn + 1)
            let html: String = cells.enumerated()
                .map {
                    $0.offset < 2 ? "<td class=\"text\">\(HTMLText.escape($0.element))</td>" : "<td>\(HTMLText.escape($0.element))</td>"
                }
                .joined()
            return "<tr\(line.startsGroup ? " class=\"group-start\"" : "")>\(html)</tr>"
        }
        return
            "<table>\n<thead><tr>\(header)</tr></thead>\n<tbody>\n\(rows.joined(separator: "\n"))\n</tbody>\n</table>\n<p class=\"note\">\(HTMLText.escape(table.caption + intervalNote))</p>"
    }

    private static func chart(_ table: ResultsTable) -> String {
        let chart = AccuracyCarbonChart(rows: table.rows)
        let missing = table.rows.filter { $0.co2GramsPerQuery == nil }.map { row in
            "run \(row.runID)" + (row.energyKwh == nil ? row.energy.map { ", \($0)" } ?? "" : "")
        }
        guard !chart.points.isEmpty else {
            return
                "<p class=\"note\">\(HTMLText.escape("No run recorded its CO\u{2082}, so there is nothing to plot: \(missing.joined(separator: "; ")).") )</p>"
        }
        var note =
            "On the Pareto front (no other run has lower CO\u{2082} and higher accuracy): \(chart.frontLabels.joined(separator: "; "))."
        if !missing.isEmpty { note += " Not plotted, no CO\u{2082} recorded: \(missing.joined(separator: "; "))." }
        return chart.svg() + "\n<p class=\"note\">\(HTMLText.escape(note))</p>"
    }

    private static func confusionMatrix(_ evaluation: EvaluatedRun) -> String {
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
        let perClass: [String] = evaluation.metrics.classes.map { score in
            "<tr><th class=\"text\">\(HTMLText.escape(score.label))</th><td>\(formatFixed(score.precision, decimals: 3))</td>"
                + "<td>\(formatFixed(score.recall, decimals: 3))</td><td>\(formatFixed(score.f1, decimals: 3))</td><td>\(score.support)</td></tr>"
        }
        let classTable =
            "<table><thead><tr><th class=\"text\">class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr></thead><tbody>\(perClass.joined())</tbody></table>"
        return
            "<figure><figcaption>\(HTMLText.escape(evaluation.title))</figcaption><table><thead><tr>\(header)</tr></thead><tbody>\(rows.joined())</tbody></table>\(classTable)</figure>"
    }

    private static func distributions(_ distributions: [ScoreDistribution]) -> String {
        guard !distributions.isEmpty else { return "<p class=\"note\">No scores yet.</p>" }
        let sections = distributions.map { distribution in
            let header =
                "<th class=\"text\">Run</th>"
                + distribution.values.map { "<th class=\"text\">\(HTMLText.escape($0.description))</th>" }.joined()
            let rows = distribution.runs.map { run in
                let total = max(run.counts.reduce(0, +), 1)
                let cells = run.counts.map { count in
                    let width = formatFixed(Double(count) / Double(total) * 80, decimals: 0)
                    return "<td class=\"text\"><span class=\"bar\" style=\"width: \(width)px\"></span>\(count)</td>"
                }.joined()
                return "<tr><td class=\"text\">\(HTMLText.escape(run.title))</td>\(cells)</tr>"
            }.joined(separator: "\n")
            return
                "<h3>\(HTMLText.escape(distribution.criterion))</h3>\n<table><thead><tr>\(header)</tr></thead><tbody>\n\(rows)\n</tbody></table>"
        }
        return "<p class=\"note\">A prediction counts with its adjudicated score when it has one, else with every annotator's score.</p>\n"
            + sections.joined(separator: "\n")
    }

    private static func agreement(_ criteria: [StudyReport.CriterionAgreement]) -> String {
        guard !criteria.isEmpty else {
            return "<p class=\"note\">No annotation scores yet.</p>"
        }
        let headings = [
            "Rubric", "Criterion", "Annotators", "Items", "% agreement", "Cohen κ", "κ linear", "κ quadratic",
            "Fleiss κ", "α nominal", "α ordinal", "α interval",
        ]
        let header: String = headings.enumerated().map {
            $0.offset < 2 ? "<th class=\"text\">\($0.element)</th>" : "<th>\($0.element)</th>"
        }.joined()
        let rows: [String] = criteria.map { criterion in
            let report = criterion.report
            func cell(_ value: AgreementValue?) -> String {
                switch value {
                case .value(let number)?: return "<td>\(formatFixed(number, decimals: 3))</td>"
                case .undefined(let reason)?: return "<td title=\"\(HTMLText.escape(reason))\">undefined</td>"
                case nil: return "<td title=\"needs exactly two annotators\">–</td>"
                }
            }
            let rubric = "\(criterion.scores.rubric) \(criterion.scores.rubricVersion)"
            let names = "<td class=\"text\">\(HTMLText.escape(rubric))</td><td class=\"text\">\(HTMLText.escape(report.criterion))</td>"
            let counts = "<td>\(report.coders.count)</td><td>\(report.pairableItemCount)</td>"
            let values: [String] = [
                cell(report.percentAgreement),
                cell(report.cohensKappa[.unweighted]),
                cell(report.cohensKappa[.linear]),
                cell(report.cohensKappa[.quadratic]),
                cell(report.fleissKappa),
                cell(report.krippendorffAlpha[.nominal]),
                cell(report.krippendorffAlpha[.ordinal]),
                cell(report.krippendorffAlpha[.interval]),
            ]
            return "<tr>" + names + counts + values.joined() + "</tr>"
        }
        return "<table><thead><tr>\(header)</tr></thead><tbody>\n\(rows.joined(separator: "\n"))\n</tbody></table>\n"
            + "<p class=\"note\">Items: predictions scored by two or more annotators; adjudications are left out. Cohen's kappa needs exactly two annotators; Fleiss' kappa uses the items every annotator scored; Krippendorff's alpha allows missing scores. Undefined: hover for why.</p>"
    }
}
