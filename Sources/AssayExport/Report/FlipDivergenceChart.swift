import AssayCore
import AssayStore
import AssaySupport
import Foundation

/// An inline SVG strip chart of one pair of runs' per-item KL divergence (log x axis), one band
/// per flip category, each item a point coloured by its category and each band's mean marked:
/// whether the items that flipped are the ones whose distributions moved most.
struct FlipDivergenceChart {
    struct Point {
        let row: Int
        let kld: Double
        let flip: FlipCategory
    }

    let points: [Point]
    let axis: LogAxis
    /// The bands from the top: the flips first.
    static let bands: [FlipCategory] = [.rightToWrong, .wrongToRight, .bothWrong, .bothRight]

    private let plot = SVGPlot(width: 760, height: 300, left: 150, right: 30, top: 20, bottom: 60)

    init(points: [Point]) {
        self.points = points
        axis = LogAxis(values: points.map(\.kld))
    }

    /// The items of `measured` that have a flip (every item, unless the task has no pass/fail figure).
    init(_ measured: RunPairDivergence) {
        self.init(
            points: measured.items.compactMap { item in
                item.figures.flip.map { Point(row: item.row, kld: item.figures.meanKld, flip: $0) }
            })
    }

    static func colour(_ flip: FlipCategory) -> String {
        switch flip {
        case .rightToWrong: "#c0392b"
        case .wrongToRight: "#2f8f5b"
        case .bothWrong: "#8a96a0"
        case .bothRight: "#4a7fb0"
        }
    }

    /// "right → wrong", as the report's tables write it.
    static func title(_ flip: FlipCategory) -> String { flip.title.replacingOccurrences(of: "->", with: "→") }

    func svg() -> String {
        guard !points.isEmpty else { return "" }
        let bandHeight = plot.plotHeight / Double(Self.bands.count)
        func x(_ value: Double) -> Double { axis.position(value, from: plot.left, to: plot.plotRight) }
        func f(_ value: Double) -> String { SVGPlot.number(value) }

        var parts = [plot.frame]
        for tick in axis.ticks { parts += plot.verticalGridLine(at: x(tick.value), label: tick.label) }
        for (index, flip) in Self.bands.enumerated() {
            let members = points.filter { $0.flip == flip }
            let centre = plot.top + bandHeight * (Double(index) + 0.5)
            parts += plot.horizontalGridLine(at: centre, label: "\(Self.title(flip)) (\(members.count))")
            for point in members {
                // A fixed scatter within the band, by row, so that equal values stay visible and
                // the same study draws the same chart.
                let offset = (Double((point.row * 7919) % 101) / 100 - 0.5) * bandHeight * 0.6
                parts.append(
                    "<circle cx=\"\(f(x(point.kld)))\" cy=\"\(f(centre + offset))\" r=\"4\" fill=\"\(Self.colour(flip))\" fill-opacity=\"0.7\" stroke=\"#1d232a\" stroke-width=\"0.5\"><title>row \(point.row): mean KLD \(formatSignificant(point.kld, digits: 4)) (\(Self.title(flip)))</title></circle>"
                )
            }
            if !members.isEmpty {
                let mean = members.map(\.kld).reduce(0, +) / Double(members.count)
                parts.append(
                    "<line x1=\"\(f(x(mean)))\" y1=\"\(f(centre - bandHeight * 0.42))\" x2=\"\(f(x(mean)))\" y2=\"\(f(centre + bandHeight * 0.42))\" stroke=\"#1d232a\" stroke-width=\"2.5\"><title>\(Self.title(flip)): mean KLD \(formatSignificant(mean, digits: 4)) over \(members.count) items</title></line>"
                )
            }
        }
        parts.append(plot.xTitle("mean KL divergence per item (nats, log scale)"))
        return plot.document(parts, label: "Per-item KL divergence by flip category")
    }

    /// Items whose KLD is zero or below the axis, drawn at its left end.
    var itemsAtAxisFloor: Int { points.filter { $0.kld < axis.low }.count }
}
