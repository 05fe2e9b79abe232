import AssaySupport

/// Two runs' answers to the same items, counted jointly per (true class, answer before, answer
/// after), so a paired resample can redraw the joint counts and split them into two confusion
/// matrices that share their items.
struct PairedPredictions {
    let classCount: Int
    /// Indexed by (truth * columns + before) * columns + after, with columns = classCount + 1
    /// (the last column is an unparsed answer).
    let jointCounts: [Int]
    let itemCount: Int

    init(before: LabeledPredictions, after: LabeledPredictions, policy: UnparsedPolicy) throws {
        guard before.labels == after.labels else {
            throw AssayError(
                "the two runs use different label sets (\(before.labels.joined(separator: ", ")) vs \(after.labels.joined(separator: ", "))); compare runs of the same task"
            )
        }
        guard before.truth == after.truth else {
            throw AssayError(
                "the two runs do not hold the same items with the same true classes; pass only their shared items, in one order")
        }
        classCount = before.labels.count
        let columns = classCount + 1
        var counts = Array(repeating: 0, count: classCount * columns * columns)
        var kept = 0
        for index in 0..<before.count {
            let first = before.predicted[index]
            let second = after.predicted[index]
            let unparsed = first == LabeledPredictions.unparsed || second == LabeledPredictions.unparsed
            if policy == .exclude && unparsed { continue }
            let beforeColumn = first < 0 ? classCount : Int(first)
            let afterColumn = second < 0 ? classCount : Int(second)
            counts[(Int(before.truth[index]) * columns + beforeColumn) * columns + afterColumn] += 1
            kept += 1
        }
        jointCounts = counts
        itemCount = kept
    }

    /// Macro F1 after minus macro F1 before, for joint counts in the layout of `jointCounts`.
    func macroF1Change(jointCounts counts: [Int]) -> Double {
        let columns = classCount + 1
        var before = Array(repeating: 0, count: classCount * columns)
        var after = before
        for truth in 0..<classCount {
            for beforeColumn in 0..<columns {
                for afterColumn in 0..<columns {
                    let count = counts[(truth * columns + beforeColumn) * columns + afterColumn]
                    before[truth * columns + beforeColumn] += count
                    after[truth * columns + afterColumn] += count
                }
            }
        }
        let beforeF1 = ClassificationMetrics.accuracyAndMacroF1(ConfusionMatrix(classCount: classCount, counts: before)).macroF1
        let afterF1 = ClassificationMetrics.accuracyAndMacroF1(ConfusionMatrix(classCount: classCount, counts: after)).macroF1
        return afterF1 - beforeF1
    }
}
