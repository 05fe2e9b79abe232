import Foundation
import Testing

@testable import AssayInference

struct LabelScorerTests {
    @Test func logProbabilitiesAreNormalisedOverTheLabels() {
        let probabilities = LabelScorer.normalised([log(0.2), log(0.1), log(0.1)])
        #expect(abs(probabilities[0] - 0.5) < 1e-12 && abs(probabilities[1] - 0.25) < 1e-12)
        #expect(LabelScorer.normalised([-2000, -2001]).allSatisfy { $0.isFinite })
    }

    @Test func calibrationDividesByTheContentFreeProbabilities() {
        // The model prefers "positive" for every input, content-free ones included: calibration removes that bias.
        let calibrated = LabelScorer.calibrated([0.6, 0.3, 0.1], by: [0.8, 0.1, 0.1])
        #expect(calibrated.indices.max { calibrated[$0] < calibrated[$1] } == 1)
        #expect(abs(calibrated.reduce(0, +) - 1) < 1e-12)
        #expect(abs(calibrated[1] - 3.0 / (0.75 + 3 + 1)) < 1e-12)
    }
}
