import AssaySupport
import Testing

@testable import AssayCore

/// Reference values from scikit-learn (`cohen_kappa_score`), statsmodels (`fleiss_kappa`) and the
/// `krippendorff` package, printed by scripts/reference-values.py.
struct AgreementTests {
    let tolerance = 1e-6

    func expectValue(_ value: AgreementValue, _ expected: Double, _ what: String) {
        guard let number = value.number else {
            Issue.record("\(what) is \(value), expected \(expected)")
            return
        }
        #expect(abs(number - expected) < tolerance, "\(what)")
    }

    @Test func cohensKappaPlainLinearAndQuadratic() throws {
        let first: [Double?] = [1, 2, 3, 4, 5, 3, 2, 4, 5, 1, 3, 4]
        let second: [Double?] = [1, 3, 3, 5, 5, 2, 2, 4, 4, 2, 3, 3]
        let ratings = try Ratings(byCoder: [first, second])
        expectValue(try CohensKappa.compute(ratings), 0.368421052632, "unweighted")
        expectValue(try CohensKappa.compute(ratings, weighting: .linear), 0.647058823529, "linear")
        expectValue(try CohensKappa.compute(ratings, weighting: .quadratic), 0.841409691630, "quadratic")
        expectValue(PercentAgreement.compute(ratings), 6.0 / 12.0, "percent agreement")
    }

    @Test func fleissKappaForThreeRaters() throws {
        let units: [[Double?]] = [[1, 1, 1], [1, 2, 1], [2, 2, 2], [3, 3, 2], [3, 3, 3], [1, 3, 2], [2, 2, 2], [1, 1, 2]]
        let ratings = try Ratings(coders: ["a", "b", "c"], units: units)
        expectValue(FleissKappa.compute(ratings), 0.425531914894, "Fleiss")
        #expect(throws: AssayError.self) { try CohensKappa.compute(ratings) }
    }

    static let wikipedia: [[Double?]] = [
        [nil, nil, nil, nil, nil, 3, 4, 1, 2, 1, 1, 3, 3, nil, 3],
        [1, nil, 2, 1, 3, 3, 4, 3, nil, nil, nil, nil, nil, nil, nil],
        [nil, nil, 2, 1, 3, 4, 4, nil, 2, 1, 1, 3, 3, nil, 4],
    ]
    static let krippendorffPaper: [[Double?]] = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, nil, nil, nil],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nil, 3],
        [nil, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nil],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nil],
    ]

    @Test func krippendorffsAlphaWithMissingScores() throws {
        let three = try Ratings(byCoder: Self.wikipedia)
        expectValue(KrippendorffAlpha.compute(three, level: .nominal), 0.691358024691, "3x15 nominal")
        expectValue(KrippendorffAlpha.compute(three, level: .ordinal), 0.806721419941, "3x15 ordinal")
        expectValue(KrippendorffAlpha.compute(three, level: .interval), 0.810844892812, "3x15 interval")
        let four = try Ratings(byCoder: Self.krippendorffPaper)
        expectValue(KrippendorffAlpha.compute(four, level: .nominal), 0.743421052632, "4x12 nominal")
        expectValue(KrippendorffAlpha.compute(four, level: .ordinal), 0.815387503755, "4x12 ordinal")
        expectValue(KrippendorffAlpha.compute(four, level: .interval), 0.849107142857, "4x12 interval")
    }

    @Test func identicalScoresAndUnpairableUnitsAreUndefined() throws {
        let identical = try Ratings(byCoder: [[2, 2, 2], [2, 2, 2]])
        #expect(KrippendorffAlpha.compute(identical, level: .nominal) == .identicalScores)
        #expect(try CohensKappa.compute(identical) == .identicalScores)
        #expect(FleissKappa.compute(identical) == .identicalScores)
        #expect(PercentAgreement.compute(identical) == .value(1))
        #expect(KrippendorffAlpha.compute(identical, level: .ordinal).description.hasPrefix("undefined ("))

        let lonely = try Ratings(byCoder: [[1, nil], [nil, 2]])
        #expect(KrippendorffAlpha.compute(lonely, level: .interval) == .noPairableUnits)
        #expect(PercentAgreement.compute(lonely) == .noPairableUnits)
        #expect(FleissKappa.compute(lonely).number == nil)
        #expect(try CohensKappa.compute(lonely).number == nil)
    }

    @Test func theReportCountsItemsAndOffersCohenOnlyForTwoCoders() throws {
        let report = try AgreementReport(criterion: "clarity", ratings: try Ratings(byCoder: Self.wikipedia))
        #expect(report.pairableItemCount == 12)
        #expect(report.completeItemCount == 2)
        #expect(report.cohensKappa.isEmpty)
        #expect(report.krippendorffAlpha[.nominal]?.number != nil)
        let pair = try AgreementReport(criterion: "c", ratings: try Ratings(byCoder: [[1, 2, 3], [1, 2, 2]]))
        #expect(pair.cohensKappa.count == 3)
    }

    @Test func raggedScoresAreRejected() {
        #expect(throws: AssayError.self) { try Ratings(byCoder: [[1, 2], [1]]) }
        #expect(throws: AssayError.self) { try Ratings(coders: ["a"], units: [[.nan]]) }
    }
}

struct CategoricalAgreementTests {
    @Test func categoriesGetOnlyNominalFigures() throws {
        let scores: [[ScoreValue?]] = [
            [.text("good"), .text("good")], [.text("bad"), .text("good")],
            [.text("bad"), .text("bad")], [.text("good"), nil],
        ]
        let report = try AgreementReport(criterion: "verdict", coders: ["a", "b"], scores: scores)
        #expect(report.categorical)
        #expect(report.pairableItemCount == 3)
        #expect(report.krippendorffAlpha[.nominal]?.number != nil)
        #expect(report.krippendorffAlpha[.interval]?.number == nil)
        #expect(report.cohensKappa[.unweighted]?.number != nil)
        #expect(report.cohensKappa[.quadratic]?.number == nil)
    }

    @Test func numbersAndCategoriesDoNotMix() {
        #expect(throws: AssayError.self) {
            try AgreementReport(criterion: "c", coders: ["a", "b"], scores: [[.number(1), .text("x")]])
        }
    }
}
