import AssayCore
import AssaySupport
import Foundation

/// An inline SVG scatter plot of a quality figure (accuracy, pass@1, ROUGE-L ...) against CO2 per
/// query, one point per run (model and quantization), with the Pareto front (lower CO2 and higher
/// quality) drawn and marked.
struct QualityCarbonChart {
    struct Point {
        let label: String
        let co2MilligramsPerQuery: Double
        let accuracy: Double
    }

    let points: [Point]
    /// The y axis's title: "Accuracy", "pass@1".
    let qualityName: String

    private let plot = SVGPlot(width: 760, height: 440, left: 70, right: 130, top: 20, bottom: 60)

    /// The classification runs of the results table, by accuracy.
    init(rows: [ResultsTableRow]) {
        qualityName = "Accuracy"
        points = rows.compactMap { row in
            row.co2GramsPerQuery.map {
                Point(
                    label: "\(ModelVariant.title(model: row.model, quantization: row.quantization)), run \(row.runID)",
                    co2MilligramsPerQuery: $0 * 1000, accuracy: row.accuracy)
            }
        }
    }

    /// One task's runs of the task-by-model table, by their headline figure.
    init(task: TaskModelTable.Task) {
        qualityName = task.rows.first?.metricName ?? "quality"
        points = task.rows.compactMap { row in
            row.co2GramsPerQuery.map {
                Point(
                    label: "\(ModelVariant.title(model: row.model, quantization: row.quantization)), run \(row.runID)",
                    co2MilligramsPerQuery: $0 * 1000, accuracy: row.quality)
            }
        }
    }

    func svg() -> String {
        guard !points.isEmpty else { return "" }
        let front = ParetoFront.indices(of: points.map { ($0.co2MilligramsPerQuery, $0.accuracy) })
        // Headroom on the right keeps the labels of the costliest runs inside the plot.
        let xAxis = LinearAxis(low: 0, high: max(points.map(\.co2MilligramsPerQuery).max() ?? 1, 1e-9) * 1.15)
        let accuracies = points.map(\.accuracy)
        let yAxis = LinearAxis(low: max(0, (accuracies.min() ?? 0) - 0.05), high: min(1, (accuracies.max() ?? 1) + 0.05))
        let (left, top, plotWidth) = (plot.left, plot.top, plot.plotWidth)
        func x(_ value: Double) -> Double { xAxis.position(value, from: left, to: plot.plotRight) }
        func y(_ value: Double) -> Double { yAxis.position(value, from: plot.plotBottom, to: top) }

        var parts = [plot.frame]
        for tick in xAxis.ticks { parts += plot.verticalGridLine(at: x(tick), label: xAxis.label(tick)) }
        for tick in yAxis.ticks { parts += plot.horizontalGridLine(at: y(tick), label: yAxis.label(tick)) }
        parts.append(plot.xTitle("CO\u{2082} per query (mg CO\u{2082}e)"))
        parts.append(plot.yTitle(qualityName))
        if front.count > 1 {
            let path = front.map { "\(f(x(points[$0].co2MilligramsPerQuery))),\(f(y(points[$0].accuracy)))" }.joined(separator: " ")
            parts.append("<polyline points=\"\(path)\" fill=\"none\" stroke=\"#2f8f5b\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>")
        }
        var placedLabels: [LabelBox] = []
        for (index, point) in points.enumerated() {
            let onFront = front.contains(index)
            let cx = f(x(point.co2MilligramsPerQuery))
            let cy = f(y(point.accuracy))
            parts.append(
                "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"6\" fill=\"\(onFront ? "#2f8f5b" : "#ffffff")\" stroke=\"\(onFront ? "#1f5e3c" : "#4a7fb0")\" stroke-width=\"2\"><title>\(HTMLText.escape(point.label)): \(HTMLText.escape(qualityName)) \(formatFixed(point.accuracy, decimals: 3)), \(formatFixed(point.co2MilligramsPerQuery, decimals: 3)) mg/query</title></circle>"
            )
            // Labels of points in the right half go to their left, so they stay inside the plot;
            // a label that would cover one already placed moves down a line at a time.
            let leftward = x(point.co2MilligramsPerQuery) > left + plotWidth / 2
            let anchorX = x(point.co2MilligramsPerQuery) + (leftward ? -9 : 9)
            let width = Double(point.label.count) * 6.6
            var box = LabelBox(
                left: leftward ? anchorX - width : anchorX, right: leftward ? anchorX : anchorX + width,
                baseline: y(point.accuracy) - 9)
            while placedLabels.contains(where: box.overlaps) { box.baseline += 15 }
            placedLabels.append(box)
            parts.append(
                "<text x=\"\(f(anchorX))\" y=\"\(f(box.baseline))\" text-anchor=\"\(leftward ? "end" : "start")\" font-size=\"12\">\(HTMLText.escape(point.label))</text>"
            )
        }
        let legendX = left + plotWidth + 20
        parts.append("<circle cx=\"\(f(legendX))\" cy=\"\(f(top + 10))\" r=\"6\" fill=\"#2f8f5b\" stroke=\"#1f5e3c\" stroke-width=\"2\"/>")
        parts.append("<text x=\"\(f(legendX + 12))\" y=\"\(f(top + 14))\" font-size=\"12\">Pareto front</text>")
        parts.append("<circle cx=\"\(f(legendX))\" cy=\"\(f(top + 32))\" r=\"6\" fill=\"#ffffff\" stroke=\"#4a7fb0\" stroke-width=\"2\"/>")
        parts.append("<text x=\"\(f(legendX + 12))\" y=\"\(f(top + 36))\" font-size=\"12\">dominated</text>")
        return plot.document(parts, label: "\(qualityName) versus CO2 per query")
    }

    /// Which runs are on the front, for the text beside the chart.
    var frontLabels: [String] {
        ParetoFront.indices(of: points.map { ($0.co2MilligramsPerQuery, $0.accuracy) }).map { points[$0].label }
    }

    private func f(_ value: Double) -> String { SVGPlot.number(value) }

    /// Where a label's text lies, roughly: 12-pixel text, about 6.6 pixels a character.
    private struct LabelBox {
        let left: Double
        let right: Double
        var baseline: Double

        func overlaps(_ other: LabelBox) -> Bool {
            left < other.right && other.left < right && abs(baseline - other.baseline) < 14
        }
    }

}
