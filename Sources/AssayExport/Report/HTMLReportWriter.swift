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
        ]
        // A study of only reasoning, code or generation tasks has no classification section, and the reverse.
        if !report.table.rows.isEmpty || report.tasks.tasks.isEmpty {
            body += [
                "<h2>Results</h2>",
                resultsTable(report.table),
                "<h2>Accuracy versus CO\u{2082}</h2>",
                chart(
                    QualityCarbonChart(rows: report.table.rows),
                    runs: report.table.rows.map { ($0.runID, $0.co2GramsPerQuery, $0.energyKwh, $0.energy) }),
                "<h2>Confusion matrices and per-class figures</h2>",
                "<p class=\"note\">Rows are gold labels, columns the predicted ones; shading is the share of the row. Below each matrix: precision, recall and F1 per class.</p>",
                "<div class=\"matrices\">\(report.evaluations.compactMap(confusionMatrix).joined(separator: "\n"))</div>",
            ]
        }
        if !report.pairs.isEmpty {
            body += ["<h2>What quantization changed</h2>", pairTable(report.pairs)]
            body += flipDivergenceCharts(report)
        }
        if !report.tasks.tasks.isEmpty {
            body += ["<h2>Tasks by model</h2>", taskTable(report.tasks)]
            for task in report.tasks.tasks {
                let chart = QualityCarbonChart(task: task)
                body += [
                    "<h3>\(HTMLText.escape(task.task)): \(HTMLText.escape(chart.qualityName)) versus CO\u{2082} per query</h3>",
                    self.chart(chart, runs: task.rows.map { ($0.runID, $0.co2GramsPerQuery, $0.co2GramsPerQuery, $0.energy) }),
                ]
            }
        }
        body += [
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
        let lines = zip(ResultsTableWriter.lines(table), table.rows).map { line, row in
            var cells = line.cells
            cells.insert(
                row.accuracyInterval.map { "\(formatFixed($0.lower, decimals: 3))–\(formatFixed($0.upper, decimals: 3))" } ?? "–",
                at: accuracyColumn + 1)
            return TableText.Line(startsGroup: line.startsGroup, cells: cells)
        }
        return htmlTable(headings: headings, lines: lines, textColumns: 2, note: table.caption + intervalNote)
    }

    /// Flips beside divergence for each quantized run against its baseline: answers can flip while
    /// accuracy holds, and KL divergence says how far the distributions moved.
    private static func pairTable(_ pairs: [ComparisonView]) -> String {
        let headings = [
            "Before", "After", "Items", "Right → wrong", "Wrong → right", "McNemar p", "Mean KLD", "Same top token", "Item KLD, flipped",
            "Item KLD, unflipped",
        ]
        let lines = pairs.map { pair -> TableText.Line in
            let runs: [String] = ["\(pair.before.model), run \(pair.before.run)", "\(pair.after.model), run \(pair.after.run)"]
            let counts: [String] = [
                String(pair.sharedItems), pair.flips.map { String($0.rightToWrong.count) } ?? "–",
                pair.flips.map { String($0.wrongToRight.count) } ?? "–", pair.mcnemar.map { formatFixed($0.pValue, decimals: 4) } ?? "–",
            ]
            let divergence: [String] =
                pair.divergence.map { [formatSignificant($0.meanKld, digits: 4), formatFixed($0.sameTopToken * 100, decimals: 2) + " %"] }
                ?? ["not measured", "–"]
            let flips = pair.itemDivergence?.flips
            let items = [flips?.flipped, flips?.unflipped].map { $0?.meanKld.map { formatSignificant($0, digits: 4) } ?? "–" }
            return TableText.Line(startsGroup: false, cells: runs + counts + divergence + items)
        }
        let note =
            "Each quantized run against its model's most precise run, on the items both answered. Divergence: the newest assay divergence of the after run's model file against the before run's on a text (KL divergence of the next-token distributions, per token, in nats). Item KLD: the mean over the flipped and the unflipped items of each item's mean KLD over its prompt and the before run's answer (assay divergence --dataset)."
        return htmlTable(headings: headings, lines: lines, textColumns: 2, note: note)
    }

    /// For each pair measured item by item (`assay divergence --dataset`), its items' KL divergence
    /// by flip category; a note on how to measure it when no pair was.
    private static func flipDivergenceCharts(_ report: StudyReport) -> [String] {
        var sections = ["<h3>Flips versus KL divergence</h3>"]
        for pair in report.pairs {
            guard
                let measured = report.itemDivergences.first(where: {
                    $0.divergence.baseRunId == pair.before.run && $0.divergence.modelRunId == pair.after.run
                }), let summary = pair.itemDivergence
            else { continue }
            let chart = FlipDivergenceChart(measured)
            guard !chart.points.isEmpty else { continue }
            var note =
                "\(pair.after.model), run \(pair.after.run) against \(pair.before.model), run \(pair.before.run): each point is one item, its mean KL divergence over the prompt and run \(pair.before.run)'s answer (divergence \(summary.id)); the bar marks each band's mean (\(FigureText.meanKld(summary.flips.flipped, of: "flipped")); \(FigureText.meanKld(summary.flips.unflipped, of: "unflipped")))."
            if chart.itemsAtAxisFloor > 0 { note += " \(chart.itemsAtAxisFloor) items with no divergence are drawn at the left edge." }
            sections += [chart.svg(), "<p class=\"note\">\(HTMLText.escape(note))</p>"]
        }
        guard sections.count == 1 else { return sections }
        return sections + [
            "<p class=\"note\">No pair was measured item by item; assay divergence --dataset NAME --runs BEFORE,AFTER sets each item's KL divergence beside its flip.</p>"
        ]
    }

    /// The task-by-model table: each task's runs with their headline figure, CO2 per query and ratios to the task's large model.
    private static func taskTable(_ table: TaskModelTable) -> String {
        htmlTable(headings: TaskModelTableWriter.headings, lines: TaskModelTableWriter.lines(table), textColumns: 3, note: table.caption)
    }

    /// A table of plain-text cells, the first `textColumns` left-aligned, each group's first row marked, and its note below.
    private static func htmlTable(headings: [String], lines: [TableText.Line], textColumns: Int, note: String) -> String {
        func cell(_ tag: String, _ index: Int, _ text: String) -> String {
            index < textColumns ? "<\(tag) class=\"text\">\(HTMLText.escape(text))</\(tag)>" : "<\(tag)>\(HTMLText.escape(text))</\(tag)>"
        }
        let header = headings.enumerated().map { cell("th", $0.offset, $0.element) }.joined()
        let rows = lines.map { line in
            "<tr\(line.startsGroup ? " class=\"group-start\"" : "")>\(line.cells.enumerated().map { cell("td", $0.offset, $0.element) }.joined())</tr>"
        }
        return
            "<table>\n<thead><tr>\(header)</tr></thead>\n<tbody>\n\(rows.joined(separator: "\n"))\n</tbody>\n</table>\n<p class=\"note\">\(HTMLText.escape(note))</p>"
    }

    /// A chart with the note beside it; `runs` are (run, CO2 per query, energy if measured, energy label or reason).
    private static func chart(_ chart: QualityCarbonChart, runs: [(RunID, Double?, Double?, String?)]) -> String {
        let missing = runs.filter { $0.1 == nil }.map { run in
            "run \(run.0)" + (run.2 == nil ? run.3.map { ", \($0)" } ?? "" : "")
        }
        guard !chart.points.isEmpty else {
            return
                "<p class=\"note\">\(HTMLText.escape("No run recorded its CO\u{2082}, so there is nothing to plot: \(missing.joined(separator: "; ")).") )</p>"
        }
        var note =
            "On the Pareto front (no other run has lower CO\u{2082} and higher \(chart.qualityName == "Accuracy" ? "accuracy" : chart.qualityName)): \(chart.frontLabels.joined(separator: "; "))."
        if !missing.isEmpty { note += " Not plotted, no CO\u{2082} recorded: \(missing.joined(separator: "; "))." }
        return chart.svg() + "\n<p class=\"note\">\(HTMLText.escape(note))</p>"
    }

    private static func confusionMatrix(_ evaluation: EvaluatedRun) -> String? {
        guard let metrics = evaluation.metrics else { return nil }
        let confusion = metrics.confusion
        let labels = metrics.classes.map(\.label)
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
        let perClass: [String] = metrics.classes.map { score in
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
