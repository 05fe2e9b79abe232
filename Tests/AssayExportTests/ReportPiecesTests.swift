import AssayCore
import Testing

@testable import AssayExport

@Suite("Report pieces")
struct ReportPiecesTests {
    private func row(_ id: RunID, _ model: String, accuracy: Double, co2: Double?) -> ResultsTableRow {
        ResultsTableRow(
            runID: id, model: model, quantization: nil, dataset: "d", task: "t", items: 10, unparsed: 0,
            precision: 0.5, recall: 0.5, f1: 0.5, accuracy: accuracy, energyKwh: nil, energy: nil,
            co2GramsPerRun: co2, co2GramsPerQuery: co2.map { $0 / 10 }, emissionFactor: nil)
    }

    @Test("The chart plots each run with CO2 once, fills the front, and escapes model names")
    func chart() {
        let chart = QualityCarbonChart(rows: [
            row(1, "cheap</text><script>x</script>", accuracy: 0.6, co2: 0.5),
            row(2, "best", accuracy: 0.9, co2: 1.0),
            row(3, "dominated", accuracy: 0.5, co2: 2.0),
            row(4, "no energy", accuracy: 0.99, co2: nil),
        ])
        let svg = chart.svg()
        #expect(chart.points.count == 3)
        #expect(chart.frontLabels == ["cheap</text><script>x</script>, run 1", "best, run 2"])
        #expect(!svg.contains("<script") && svg.contains("cheap&lt;/text&gt;&lt;script&gt;"))
        // Three runs plus the two legend marks; front points are filled green.
        #expect(svg.components(separatedBy: "<circle").count - 1 == 5)
        #expect(svg.components(separatedBy: "fill=\"#2f8f5b\"").count - 1 == 3)
        #expect(QualityCarbonChart(rows: [row(1, "x", accuracy: 1, co2: nil)]).svg().isEmpty)
    }

    @Test("The flips-versus-KL chart puts each item in its flip's band on a log axis, a zero at the axis's left end")
    func flipDivergenceChart() {
        let chart = FlipDivergenceChart(points: [
            .init(row: 1, kld: 0.003, flip: .rightToWrong), .init(row: 2, kld: 0.02, flip: .bothRight),
            .init(row: 3, kld: 0.004, flip: .bothRight), .init(row: 4, kld: 0, flip: .bothWrong),
        ])
        #expect(chart.axis.low == 0.002 && chart.axis.high == 0.02)
        #expect(chart.axis.ticks.map(\.label) == ["0.002", "0.005", "0.01", "0.02"])
        #expect(chart.itemsAtAxisFloor == 1)
        let svg = chart.svg()
        #expect(svg.components(separatedBy: "<circle").count - 1 == 4)
        #expect(svg.components(separatedBy: "fill=\"\(FlipDivergenceChart.colour(.bothRight))\"").count - 1 == 2)
        // One mean bar per band that has items; the empty wrong -> right band has none.
        #expect(svg.components(separatedBy: "stroke-width=\"2.5\"").count - 1 == 3)
        #expect(svg.contains("wrong → right (0)") && svg.contains("both right (2)"))
        // The zero is drawn where 0.002 is, at the plot's left edge.
        #expect(svg.contains("<circle cx=\"150.0\""))
        #expect(FlipDivergenceChart(points: []).svg().isEmpty)
        #expect(LogAxis(values: [1e-9, 3e-2]).ticks.map(\.label) == ["10⁻⁹", "10⁻⁷", "10⁻⁵", "0.001"])
        #expect(LogAxis(values: [0.0031, 0.0039]).ticks.map(\.label) == ["0.002", "0.003", "0.004", "0.005"])
    }

    @Test("Long examples spill into continued figures; boxes never start a paragraph indented")
    func figureFloats() throws {
        let long = String(repeating: "word ", count: 400)
        let examples = (1...3).map { index in
            QualitativeExample(ReviewedPredictionFixture.make(id: PredictionID(Int64(index)), text: long))
        }
        let latex = try QualitativeFigureWriter.render(examples, format: .latex, fragment: true)
        // About 19 estimated lines a box once abridged: two boxes a float.
        #expect(latex.components(separatedBy: "\\begin{figure}").count - 1 == 2)
        #expect(latex.components(separatedBy: "\\label{fig:assay-examples}").count - 1 == 1)
        #expect(latex.components(separatedBy: "\\noindent\\fbox{").count - 1 == 3)
    }

    @Test("A text too long for one page is cut at a word in LaTeX boxes, saying how much is left out")
    func longFieldsAbridged() {
        let text = String(repeating: "abcd ", count: 1000)
        let abridged = QualitativeFigureWriter.abridged(text)
        #expect(abridged.hasPrefix(String(repeating: "abcd ", count: 239) + "abcd [… "))
        #expect(abridged.hasSuffix(" more characters; the full text is in assay export figure --format json]"))
        #expect(abridged.contains("[… \(5000 - 1199) more"))
        #expect(QualitativeFigureWriter.abridged("short") == "short")
    }
}
