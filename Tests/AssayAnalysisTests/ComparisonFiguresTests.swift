import AssayAnalysis
import Testing

/// The arithmetic and the figure formats that `compare` and `metrics` print in the terminal and in LaTeX.
struct ComparisonFiguresTests {
    @Test func aCostRowHasTheDifferenceAndTheRelativeReduction() {
        // Binary fractions, so that the figures are exact.
        let row = ComparisonView.Row("energy kWh", 0.5, 0.125, isCost: true)
        #expect(row.difference == -0.375)
        #expect(row.relativeReduction == 0.75)
        // A metric has no reduction, and a zero baseline none either: it would divide by zero.
        #expect(ComparisonView.Row("macro F1", 0.6, 0.7).relativeReduction == nil)
        #expect(ComparisonView.Row("CO2e g", 0, 1, isCost: true).relativeReduction == nil)
        // One side missing: no difference at all, never a figure against zero.
        let missing = ComparisonView.Row("CO2e g", nil, 1, isCost: true)
        #expect(missing.difference == nil && missing.relativeReduction == nil)
    }

    @Test func cellsAreSignedOnlyWhenAskedAndTinyValuesKeepTheirDigits() {
        #expect(FigureText.cell(0.04761904) == "0.0476")
        #expect(FigureText.cell(0.04761904, signed: true) == "+0.0476")
        #expect(FigureText.cell(-0.5, signed: true) == "-0.5000")
        #expect(FigureText.cell(0) == "0.0000")
        #expect(FigureText.cell(0.000123) == "1.230e-04")
        #expect(FigureText.cell(nil) == "-")
        #expect(FigureText.quantity(0.000123198175406219) == "1.232e-04")
        #expect(FigureText.quantity(0.112) == "0.1120")
        #expect(FigureText.percent(0.75) == "75.0%")
        #expect(FigureText.percent(nil) == "-")
    }
}
