import AssayCore
import AssaySupport

/// Times the metrics pipeline on synthetic predictions held in memory: coding string labels to
/// integers, the confusion matrix with every metric, the bootstrap intervals, and the paired
/// bootstrap, each timed on its own.
public struct MetricsBenchmark: Sendable, Encodable {
    public let predictions: Int
    public let resamples: Int
    /// Seconds to turn string labels into integer codes.
    public let codingSeconds: Double
    /// Seconds for the confusion matrix, per-class table, averages and accuracy.
    public let metricsSeconds: Double
    /// Seconds for the accuracy and macro-F1 intervals.
    public let bootstrapSeconds: Double
    /// Seconds for the paired interval of the change in macro F1 against a second synthetic run.
    public let pairedBootstrapSeconds: Double
    public let accuracy: Double
    public let macroF1: Double

    /// The synthetic data takes about 60 bytes a prediction; this bound keeps it near a gigabyte.
    public static let maximumPredictions = 20_000_000

    /// Three classes, 70% right, 3% unparsed, the rest off by one class; fixed by `seed`.
    public static func run(
        predictions count: Int, resamples: Int = BootstrapSettings.defaultResamples, seed: UInt64 = BootstrapSettings.defaultSeed
    ) throws -> MetricsBenchmark {
        guard count >= 1 else { throw AssayError("--predictions must be at least 1 (got \(count))") }
        guard count <= maximumPredictions else {
            throw AssayError("--predictions must be at most \(maximumPredictions) (got \(count)); the default is 1000000")
        }
        let settings = try BootstrapSettings(resamples: resamples, seed: seed)
        let labels = ["negative", "neutral", "positive"]
        var generator = SplitMix64(seed: seed)
        var truth = [String]()
        var before = [String?]()
        var after = [String?]()
        truth.reserveCapacity(count)
        before.reserveCapacity(count)
        after.reserveCapacity(count)
        func answer(to label: Int, rightShare: Double) -> String? {
            let draw = generator.nextUnit()
            if draw < rightShare { return labels[label] }
            if draw < rightShare + 0.03 { return nil }
            return labels[(label + 1) % labels.count]
        }
        for _ in 0..<count {
            let label = Int(generator.next() % UInt64(labels.count))
            truth.append(labels[label])
            before.append(answer(to: label, rightShare: 0.70))
            after.append(answer(to: label, rightShare: 0.72))
        }
        let clock = ContinuousClock()
        let codingStart = clock.now
        let beforeCodes = try LabeledPredictions(truth: truth, predicted: before, labels: labels)
        let codingTime = clock.now - codingStart
        let afterCodes = try LabeledPredictions(truth: truth, predicted: after, labels: labels)
        let metricsStart = clock.now
        let metrics = ClassificationMetrics(beforeCodes)
        let metricsTime = clock.now - metricsStart
        let bootstrapTime = try clock.measure { _ = try Bootstrap.accuracyAndMacroF1(beforeCodes, settings: settings) }
        let pairedTime = try clock.measure { _ = try Bootstrap.macroF1Change(before: beforeCodes, after: afterCodes, settings: settings) }
        return MetricsBenchmark(
            predictions: count, resamples: resamples,
            codingSeconds: codingTime.secondsValue, metricsSeconds: metricsTime.secondsValue,
            bootstrapSeconds: bootstrapTime.secondsValue, pairedBootstrapSeconds: pairedTime.secondsValue,
            accuracy: metrics.accuracy, macroF1: metrics.macro.f1
        )
    }
}
