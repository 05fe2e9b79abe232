/// Precision, recall, F1 and support per class, their macro and support-weighted averages, and
/// accuracy, computed from a confusion matrix the way scikit-learn computes them.
///
/// Conventions (scikit-learn's defaults, `zero_division=0`):
/// - a ratio with a zero denominator is 0 (precision of a class never predicted, recall of a
///   class with no support, F1 when precision + recall = 0);
/// - the macro average runs over the classes that occur among the true labels or the parsed
///   predictions, which is scikit-learn's label set when none is passed; a class of the task
///   that occurs nowhere is listed with zeros but does not drag the average down;
/// - accuracy divides the correct answers by every item counted, unparsed ones included.
public struct ClassificationMetrics: Sendable, Equatable {
    /// The figures of one class.
    public struct ClassScore: Sendable, Equatable {
        public let label: String
        public let precision: Double
        public let recall: Double
        public let f1: Double
        /// Items whose true class this is.
        public let support: Int
        /// Parsed answers that named this class.
        public let predictedCount: Int
    }

    /// An average of precision, recall and F1 over classes.
    public struct Average: Sendable, Equatable, Codable {
        public let precision: Double
        public let recall: Double
        public let f1: Double
    }

    public let classes: [ClassScore]
    public let macro: Average
    public let weighted: Average
    public let accuracy: Double
    /// Items counted (after the unparsed policy).
    public let itemCount: Int
    public let correctCount: Int
    /// Unparsed answers among the counted items.
    public let unparsedCount: Int
    public let confusion: ConfusionMatrix

    public init(labels: [String], confusion: ConfusionMatrix) {
        var classes: [ClassScore] = []
        classes.reserveCapacity(confusion.classCount)
        for (index, label) in labels.enumerated() {
            let counts = Self.classCounts(confusion, index)
            let precision = Self.ratio(counts.truePositives, counts.predicted)
            let recall = Self.ratio(counts.truePositives, counts.support)
            classes.append(
                ClassScore(
                    label: label, precision: precision, recall: recall,
                    f1: Self.f1(precision: precision, recall: recall),
                    support: counts.support, predictedCount: counts.predicted
                ))
        }
        let present = classes.filter { $0.support > 0 || $0.predictedCount > 0 }
        let presentCount = Double(present.count)
        macro = Average(
            precision: Self.ratio(present.reduce(0) { $0 + $1.precision }, presentCount),
            recall: Self.ratio(present.reduce(0) { $0 + $1.recall }, presentCount),
            f1: Self.ratio(present.reduce(0) { $0 + $1.f1 }, presentCount)
        )
        let totalSupport = Double(classes.reduce(0) { $0 + $1.support })
        weighted = Average(
            precision: Self.ratio(classes.reduce(0) { $0 + $1.precision * Double($1.support) }, totalSupport),
            recall: Self.ratio(classes.reduce(0) { $0 + $1.recall * Double($1.support) }, totalSupport),
            f1: Self.ratio(classes.reduce(0) { $0 + $1.f1 * Double($1.support) }, totalSupport)
        )
        self.classes = classes
        itemCount = confusion.total
        correctCount = confusion.correct
        unparsedCount = confusion.unparsed
        accuracy = Self.ratio(Double(correctCount), Double(itemCount))
        self.confusion = confusion
    }

    public init(_ predictions: LabeledPredictions, policy: UnparsedPolicy = .countAsWrong) {
        self.init(labels: predictions.labels, confusion: ConfusionMatrix(predictions.applying(policy)))
    }

    /// Accuracy and macro F1 alone, without building the per-class table: the bootstrap calls
    /// this once per resample.
    static func accuracyAndMacroF1(_ confusion: ConfusionMatrix) -> (accuracy: Double, macroF1: Double) {
        var f1Sum = 0.0
        var present = 0
        var correct = 0
        for index in 0..<confusion.classCount {
            let counts = classCounts(confusion, index)
            correct += counts.truePositives
            guard counts.support > 0 || counts.predicted > 0 else { continue }
            present += 1
            f1Sum += f1(
                precision: ratio(counts.truePositives, counts.predicted),
                recall: ratio(counts.truePositives, counts.support))
        }
        return (ratio(Double(correct), Double(confusion.total)), ratio(f1Sum, Double(present)))
    }

    private static func classCounts(_ confusion: ConfusionMatrix, _ index: Int) -> (truePositives: Int, support: Int, predicted: Int) {
        var support = 0
        var predicted = 0
        for other in 0..<confusion.classCount {
            predicted += confusion[other, index]
            support += confusion[index, other]
        }
        support += confusion[index, nil]
        return (confusion[index, index], support, predicted)
    }

    private static func f1(precision: Double, recall: Double) -> Double {
        ratio(2 * precision * recall, precision + recall)
    }

    private static func ratio(_ numerator: Int, _ denominator: Int) -> Double {
        ratio(Double(numerator), Double(denominator))
    }

    private static func ratio(_ numerator: Double, _ denominator: Double) -> Double {
        denominator == 0 ? 0 : numerator / denominator
    }
}
