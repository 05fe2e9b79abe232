import AssaySupport

/// What the report's charts share: the plot area inside the margins, its grid lines and tick
/// labels, the axis titles, and the SVG element around the marks.
struct SVGPlot {
    let width: Double
    let height: Double
    let left: Double
    let right: Double
    let top: Double
    let bottom: Double

    var plotWidth: Double { width - left - right }
    var plotHeight: Double { height - top - bottom }
    var plotRight: Double { left + plotWidth }
    var plotBottom: Double { top + plotHeight }

    /// The plot area's background and border.
    var frame: String {
        "<rect x=\"\(Self.number(left))\" y=\"\(Self.number(top))\" width=\"\(Self.number(plotWidth))\" height=\"\(Self.number(plotHeight))\" fill=\"#fbfcfd\" stroke=\"#8a96a0\"/>"
    }

    /// A vertical grid line at `x` with its tick label below the plot.
    func verticalGridLine(at x: Double, label: String) -> [String] {
        [
            "<line x1=\"\(Self.number(x))\" y1=\"\(Self.number(top))\" x2=\"\(Self.number(x))\" y2=\"\(Self.number(plotBottom))\" stroke=\"#e3e8ec\"/>",
            "<text x=\"\(Self.number(x))\" y=\"\(Self.number(plotBottom + 18))\" text-anchor=\"middle\" font-size=\"12\">\(HTMLText.escape(label))</text>",
        ]
    }

    /// A horizontal grid line at `y` with its tick label left of the plot.
    func horizontalGridLine(at y: Double, label: String) -> [String] {
        [
            "<line x1=\"\(Self.number(left))\" y1=\"\(Self.number(y))\" x2=\"\(Self.number(plotRight))\" y2=\"\(Self.number(y))\" stroke=\"#e3e8ec\"/>",
            "<text x=\"\(Self.number(left - 8))\" y=\"\(Self.number(y + 4))\" text-anchor=\"end\" font-size=\"12\">\(HTMLText.escape(label))</text>",
        ]
    }

    /// The x axis's title, centred below the tick labels.
    func xTitle(_ title: String) -> String {
        "<text x=\"\(Self.number(left + plotWidth / 2))\" y=\"\(Self.number(height - 15))\" text-anchor=\"middle\" font-size=\"13\">\(HTMLText.escape(title))</text>"
    }

    /// The y axis's title, turned to read upwards along the left edge.
    func yTitle(_ title: String) -> String {
        "<text transform=\"translate(18 \(Self.number(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">\(HTMLText.escape(title))</text>"
    }

    /// The whole chart: `parts` inside an SVG element of this size, described by `label`.
    func document(_ parts: [String], label: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(label))\">\n"
            + parts.joined(separator: "\n") + "\n</svg>"
    }

    /// A coordinate, to a tenth of a pixel.
    static func number(_ value: Double) -> String { formatFixed(value, decimals: 1) }
}
