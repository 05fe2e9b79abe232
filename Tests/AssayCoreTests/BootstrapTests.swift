import AssaySupport
import Testing

@testable import AssayCore

struct BootstrapTests {
    /// n items over three classes, `correctShare` of them answered right, the rest shifted by one class.
    func predictions(count: Int, correctShare: Double) throws -> LabeledPredictions {
        let truth = (0..<count).map { Int32($0 % 3) }
        let predicted = truth.enumerated().map { index, label in
            Double(index % 100) < correctShare * 100 ? label : (label + 1) % 3
        }
        return try LabeledPredictions(labels: ["neg", "neu", "pos"], truth: truth, predicted: predicted)
    }

    @Test func theSameSeedGivesTheSameInterval() throws {
        let data = try predictions(count: 300, correctShare: 0.7)
        let settings = try BootstrapSettings(resamples: 500, seed: 42)
        let first = try Bootstrap.accuracyAndMacroF1(data, settings: settings)
        let second = try Bootstrap.accuracyAndMacroF1(data, settings: settings)
        #expect(first.accuracy == second.accuracy)
        #expect(first.macroF1 == second.macroF1)
        let other = try Bootstrap.accuracyAndMacroF1(data, settings: try BootstrapSettings(resamples: 500, seed: 43))
        #expect(other.accuracy != first.accuracy)
    }

    @Test func thePointEstimateLiesInsideAndMatchesTheMetrics() throws {
        let data = try predictions(count: 300, correctShare: 0.7)
        let intervals = try Bootstrap.accuracyAndMacroF1(data, settings: try BootstrapSettings())
        let metrics = ClassificationMetrics(data)
        for (interval, point) in [(intervals.accuracy, metrics.accuracy), (intervals.macroF1, metrics.macro.f1)] {
            #expect(interval.estimate == point)
            #expect(interval.lower < point && point < interval.upper)
            #expect(interval.resamples == 1000)
        }
    }

    @Test func moreItemsGiveANarrowerInterval() throws {
        let settings = try BootstrapSettings(seed: 7)
        let small = try Bootstrap.accuracyAndMacroF1(try predictions(count: 100, correctShare: 0.7), settings: settings)
        let large = try Bootstrap.accuracyAndMacroF1(try predictions(count: 10_000, correctShare: 0.7), settings: settings)
        #expect(large.accuracy.width < small.accuracy.width / 5)
        #expect(large.macroF1.width < small.macroF1.width / 5)
    }

    @Test func everyAnswerRightGivesZeroWidth() throws {
        let intervals = try Bootstrap.accuracyAndMacroF1(try predictions(count: 50, correctShare: 1), settings: try BootstrapSettings())
        #expect(intervals.accuracy.lower == 1 && intervals.accuracy.upper == 1)
        #expect(intervals.macroF1.lower == 1 && intervals.macroF1.upper == 1)
    }

    @Test func theIntervalCoversTheSamplingSpreadOfAccuracy() throws {
        // Accuracy 0.7 over 1000 items: the normal approximation gives 0.7 +- 1.96 * sqrt(0.21 / 1000).
        let intervals = try Bootstrap.accuracyAndMacroF1(
            try predictions(count: 1000, correctShare: 0.7), settings: try BootstrapSettings(resamples: 2000))
        let halfWidth = 1.96 * (0.21 / 1000.0).squareRoot()
        #expect(abs(intervals.accuracy.lower - (0.7 - halfWidth)) < 0.01)
        #expect(abs(intervals.accuracy.upper - (0.7 + halfWidth)) < 0.01)
    }

    @Test func binomialDrawsHaveTheRightMeanAndVariance() {
        var generator = SplitMix64(seed: 1)
        let draws = (0..<20_000).map { _ in Double(MultinomialSampler.binomial(trials: 1000, probability: 0.3, using: &generator)) }
        let mean = draws.reduce(0, +) / Double(draws.count)
        let variance = draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(draws.count - 1)
        #expect(abs(mean - 300) < 0.5)
        #expect(abs(variance - 210) < 10)
    }

    @Test func pairedChangeIsZeroForIdenticalRunsAndSignedOtherwise() throws {
        let before = try predictions(count: 600, correctShare: 0.6)
        let same = try Bootstrap.macroF1Change(before: before, after: before, settings: try BootstrapSettings())
        #expect(same.estimate == 0 && same.lower == 0 && same.upper == 0)
        let after = try predictions(count: 600, correctShare: 0.9)
        let change = try Bootstrap.macroF1Change(before: before, after: after, settings: try BootstrapSettings())
        let expected = ClassificationMetrics(after).macro.f1 - ClassificationMetrics(before).macro.f1
        #expect(abs(change.estimate - expected) < 1e-12)
        #expect(change.lower > 0 && change.lower < change.estimate && change.estimate < change.upper)
    }

    @Test func pairedRunsMustShareTheirItems() throws {
        let before = try predictions(count: 30, correctShare: 0.6)
        let shorter = try predictions(count: 29, correctShare: 0.6)
        #expect(throws: AssayError.self) {
            try Bootstrap.macroF1Change(before: before, after: shorter, settings: try BootstrapSettings())
        }
    }

    @Test func settingsRejectNonsense() {
        #expect(throws: AssayError.self) { try BootstrapSettings(resamples: 0) }
        #expect(throws: AssayError.self) { try BootstrapSettings(level: 1.5) }
    }
}
