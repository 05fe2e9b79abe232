import AssaySupport

/// Seeded percentile-bootstrap intervals for accuracy and macro F1, and for the change in macro
/// F1 between two runs over the same items (paired: each resample draws items, not answers, so
/// both runs see the same resampled items).
///
/// Each resample draws the confusion-matrix cell counts from the multinomial that item
/// resampling induces (see `MultinomialSampler`), then computes the metrics from those counts.
public enum Bootstrap {
    /// Intervals for accuracy and macro F1 of one run.
    public static func accuracyAndMacroF1(
        _ predictions: LabeledPredictions,
        policy: UnparsedPolicy = .countAsWrong,
        settings: BootstrapSettings
    ) throws -> (accuracy: ConfidenceInterval, macroF1: ConfidenceInterval) {
        let observed = ConfusionMatrix(predictions.applying(policy))
        guard observed.total > 0 else {
            throw AssayError("no items to bootstrap: the run has no predictions left after the unparsed policy")
        }
        var generator = SplitMix64(seed: settings.seed)
        var accuracies = [Double]()
        var macroF1s = [Double]()
        accuracies.reserveCapacity(settings.resamples)
        macroF1s.reserveCapacity(settings.resamples)
        for _ in 0..<settings.resamples {
            let counts = MultinomialSampler.draw(total: observed.total, weights: observed.counts, using: &generator)
            let figures = ClassificationMetrics.accuracyAndMacroF1(ConfusionMatrix(classCount: observed.classCount, counts: counts))
            accuracies.append(figures.accuracy)
            macroF1s.append(figures.macroF1)
        }
        let point = ClassificationMetrics.accuracyAndMacroF1(observed)
        return (
            interval(estimate: point.accuracy, statistics: accuracies, settings: settings),
            interval(estimate: point.macroF1, statistics: macroF1s, settings: settings)
        )
    }

    /// The interval for macro F1 of `after` minus macro F1 of `before`. Both must hold the same
    /// items in the same order (same labels, same true classes). With the `exclude` policy an item
    /// is dropped when either run left it unparsed.
    public static func macroF1Change(
        before: LabeledPredictions,
        after: LabeledPredictions,
        policy: UnparsedPolicy = .countAsWrong,
        settings: BootstrapSettings
    ) throws -> ConfidenceInterval {
        let pairs = try PairedPredictions(before: before, after: after, policy: policy)
        guard pairs.itemCount > 0 else {
            throw AssayError("no shared items to bootstrap: the two runs have no item in common after the unparsed policy")
        }
        var generator = SplitMix64(seed: settings.seed)
        var changes = [Double]()
        changes.reserveCapacity(settings.resamples)
        for _ in 0..<settings.resamples {
            let counts = MultinomialSampler.draw(total: pairs.itemCount, weights: pairs.jointCounts, using: &generator)
            changes.append(pairs.macroF1Change(jointCounts: counts))
        }
        let estimate = pairs.macroF1Change(jointCounts: pairs.jointCounts)
        return interval(estimate: estimate, statistics: changes, settings: settings)
    }

    /// The interval for the mean of per-item values (accuracy of a pass/fail figure, mean ROUGE-L),
    /// each resample drawing as many items as there are, with replacement.
    public static func mean(_ values: [Double], settings: BootstrapSettings) -> ConfidenceInterval {
        precondition(!values.isEmpty, "a bootstrap needs at least one item")
        var generator = SplitMix64(seed: settings.seed)
        let means = (0..<settings.resamples).map { _ in
            var sum = 0.0
            for _ in values.indices { sum += values[Int(generator.next(upperBound: UInt64(values.count)))] }
            return sum / Double(values.count)
        }
        return interval(estimate: values.reduce(0, +) / Double(values.count), statistics: means, settings: settings)
    }

    /// The paired interval for mean(after) - mean(before) over the same items in the same order:
    /// each resample draws items, and both runs' values of each drawn item.
    public static func meanChange(before: [Double], after: [Double], settings: BootstrapSettings) -> ConfidenceInterval {
        precondition(!before.isEmpty && before.count == after.count, "a paired bootstrap needs the same items in both runs")
        let differences = zip(after, before).map { $0 - $1 }
        return mean(differences, settings: settings)
    }

    private static func interval(estimate: Double, statistics: [Double], settings: BootstrapSettings) -> ConfidenceInterval {
        let sorted = statistics.sorted()
        let tail = (1 - settings.level) / 2
        return ConfidenceInterval(
            estimate: estimate,
            lower: quantile(sorted, tail),
            upper: quantile(sorted, 1 - tail),
            level: settings.level,
            resamples: settings.resamples,
            seed: settings.seed
        )
    }

    /// Linear interpolation between order statistics (NumPy's default, Hyndman-Fan type 7).
    static func quantile(_ sorted: [Double], _ probability: Double) -> Double {
        let position = Double(sorted.count - 1) * probability
        let lowerIndex = Int(position.rounded(.down))
        let upperIndex = min(lowerIndex + 1, sorted.count - 1)
        let fraction = position - Double(lowerIndex)
        return sorted[lowerIndex] + fraction * (sorted[upperIndex] - sorted[lowerIndex])
    }
}
