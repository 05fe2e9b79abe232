/// Counts of (true class, predicted class) pairs, with one extra column for unparsed answers.
///
/// Rows are true classes, columns predicted classes; column `classCount` holds the answers that
/// named no class. Every metric here is a function of these counts, which is what makes the
/// bootstrap cheap: a resample only redraws the counts.
public struct ConfusionMatrix: Sendable, Equatable {
    public let classCount: Int
    /// Row-major, `classCount` rows of `classCount + 1` columns.
    public private(set) var counts: [Int]

    public init(classCount: Int) {
        self.classCount = classCount
        counts = Array(repeating: 0, count: classCount * (classCount + 1))
    }

    public init(_ predictions: LabeledPredictions) {
        self.init(classCount: predictions.labels.count)
        let columns = classCount + 1
        predictions.truth.withUnsafeBufferPointer { truth in
            predictions.predicted.withUnsafeBufferPointer { predicted in
                counts.withUnsafeMutableBufferPointer { cells in
                    for index in 0..<truth.count {
                        // The unparsed code (-1) lands in the last column.
                        let column = predicted[index] < 0 ? classCount : Int(predicted[index])
                        cells[Int(truth[index]) * columns + column] += 1
                    }
                }
            }
        }
    }

    /// Builds a matrix from flat cell counts in the layout of `counts`.
    init(classCount: Int, counts: [Int]) {
        precondition(counts.count == classCount * (classCount + 1), "cell count does not match the class count")
        self.classCount = classCount
        self.counts = counts
    }

    /// Items with true class `actual` whose answer was `predicted` (`nil`: unparsed).
    public subscript(actual: Int, predicted: Int?) -> Int {
        counts[actual * (classCount + 1) + (predicted ?? classCount)]
    }

    public var total: Int { counts.reduce(0, +) }
    public var correct: Int { (0..<classCount).reduce(0) { $0 + self[$1, $1] } }
    public var unparsed: Int { (0..<classCount).reduce(0) { $0 + self[$1, nil] } }
}
