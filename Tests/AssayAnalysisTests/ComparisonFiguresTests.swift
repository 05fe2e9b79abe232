import AssayAnalysis
import AssayCore
import AssayStore
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

    @Test func perItemDivergenceIsAveragedByFlipWithEachItemCountingOnce() {
        func item(_ kld: Double, answer: Double?, _ flip: FlipCategory?) -> ItemDivergenceRecord {
            ItemDivergenceRecord(
                itemId: 1, tokensScored: 10, answerTokensScored: answer == nil ? 0 : 2, meanKld: kld, maxKld: kld, answerMeanKld: answer,
                sameTopToken: 1, flip: flip)
        }
        let flips = FlipDivergence([
            item(0.5, answer: 1, .rightToWrong), item(0.25, answer: nil, .rightToWrong), item(0.125, answer: 0.5, .bothRight),
            item(0.375, answer: 0.25, .bothWrong), item(8, answer: 8, nil),
        ])
        #expect(flips.categories.map(\.flip) == FlipCategory.allCases)
        #expect(flips.categories.map(\.items) == [2, 0, 1, 1])
        #expect(flips.categories[0].meanKld == 0.375 && flips.categories[0].meanAnswerKld == 1)
        #expect(flips.categories[1].meanKld == nil)
        // The item with no flip (a task with no pass/fail figure) is in neither group.
        #expect(flips.flipped.items == 2 && flips.flipped.meanKld == 0.375 && flips.flipped.meanAnswerKld == 1)
        #expect(flips.unflipped.items == 2 && flips.unflipped.meanKld == 0.25 && flips.unflipped.meanAnswerKld == 0.375)
        #expect(FigureText.meanKld(flips.flipped, of: "flipped") == "mean KLD 0.375 over 2 flipped items")
        #expect(
            FigureText.meanKld(FlipDivergence([item(0.5, answer: nil, .bothWrong)]).unflipped, of: "unflipped")
                == "mean KLD 0.5 over 1 unflipped item")
        #expect(FigureText.meanKld(FlipDivergence([]).flipped, of: "flipped") == "no flipped item")
        #expect(FlipDivergence([item(1, answer: 1, nil)]).categories.isEmpty)
    }
}
