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

    private let width = 760.0, height = 440.0
    private let left = 70.0, right = 130.0, top = 20.0, bottom = 60.0

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
        let xAxis = Axis(low: 0, high: max(points.map(\.co2MilligramsPerQuery).max() ?? 1, 1e-9) * 1.15)
        let accuracies = points.map(\.accuracy)
        let yAxis = Axis(low: max(0, (accuracies.min() ?? 0) - 0.05), high: min(1, (accuracies.max() ?? 1) + 0.05))
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        func x(_ value: Double) -> Double { left + (value - xAxis.low) / (xAxis.high - xAxis.low) * plotWidth }
        func y(_ value: Double) -> Double { top + plotHeight - (value - yAxis.low) / (yAxis.high - yAxis.low) * plotHeight }

        var parts: [String] = []
        parts.append(
            "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"#fbfcfd\" stroke=\"#8a96a0\"/>"
        )
        for tick in xAxis.ticks {
            parts.append(
                "<line x1=\"\(f(x(tick)))\" y1=\"\(f(top))\" x2=\"\(f(x(tick)))\" y2=\"\(f(top + plotHeight))\" stroke=\"#e3e8ec\"/>")
            parts.append(
                "<text x=\"\(f(x(tick)))\" y=\"\(f(top + plotHeight + 18))\" text-anchor=\"middle\" font-size=\"12\">\(xAxis.label(tick))</text>"
            )
        }
        for tick in yAxis.ticks {
            parts.append(
                "<line x1=\"\(f(left))\" y1=\"\(f(y(tick)))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y(tick)))\" stroke=\"#e3e8ec\"/>")
            parts.append(
                "<text x=\"\(f(left - 8))\" y=\"\(f(y(tick) + 4))\" text-anchor=\"end\" font-size=\"12\">\(yAxis.label(tick))</text>")
        }
        parts.append(
            "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 15))\" text-anchor=\"middle\" font-size=\"13\">CO\u{2082} per query (mg CO\u{2082}e)</text>"
        )
        parts.append(
            "<text transform=\"translate(18 \(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">\(HTMLText.escape(qualityName))</text>"
        )
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
        return
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(qualityName)) versus CO2 per query\">\n"
            + parts.joined(separator: "\n") + "\n</svg>"
    }

    /// Which runs are on the front, for the text beside the chart.
    var frontLabels: [String] {
        ParetoFront.indices(of: points.map { ($0.co2MilligramsPerQuery, $0.accuracy) }).map { points[$0].label }
    }

    private func f(_ value: Double) -> String { formatFixed(value, decimals: 1) }

    /// Where a label's text lies, roughly: 12-pixel text, about 6.6 pixels a character.
    private struct LabelBox {
        let left: Double
        let right: Double
        var baseline: Double

        func overlaps(_ other: LabelBox) -> Bool {
            left < other.right && other.left < right && abs(baseline - other.baseline) < 14
        }
    }

    /// A linear axis over round numbers.
    private struct Axis {
        let low: Double
        let high: Double
        let step: Double

        init(low: Double, high: Double) {
            let span = high > low ? high - low : max(abs(high), 1) * 0.1
            let rough = span / 5
            let magnitude = pow(10, floor(log10(rough)))
            let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? magnitude * 10
            self.step = step
            // The tolerance keeps 0.7 / 0.025 = 27.999... from adding a tick below the data.
            self.low = floor(low / step + 1e-9) * step
            self.high = max(ceil(high / step - 1e-9) * step, self.low + step)
        }

        var ticks: [Double] {
            stride(from: low, through: high + step / 2, by: step).map { $0 }
        }

        func label(_ value: Double) -> String {
            let decimals = max(0, Int(-floor(log10(step))) + (step / pow(10, floor(log10(step))) == 2.5 ? 1 : 0))
            return formatFixed(value, decimals: decimals)
        }
    }
}
