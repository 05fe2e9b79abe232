import AssayCore

/// One quality figure of two runs over the same items: before, after, the paired bootstrap
/// interval of the change and, when every item scores 0 or 1 (a pass/fail figure), McNemar's test.
public struct QualityChange: Sendable {
    public let metric: QualityMetric
    public let before: Double
    public let after: Double
    public let change: ConfidenceInterval
    public let mcNemar: McNemarTest?

    /// `before` and `after` hold each shared item's value, in the same item order.
    public init(metric: QualityMetric, before: [Double], after: [Double], bootstrap: BootstrapSettings) {
        self.metric = metric
        self.before = before.reduce(0, +) / Double(before.count)
        self.after = after.reduce(0, +) / Double(after.count)
        change = Bootstrap.meanChange(before: before, after: after, settings: bootstrap)
        let passFail = (before + after).allSatisfy { $0 == 0 || $0 == 1 }
        if passFail {
            var cells = (0, 0, 0, 0)
            for (old, new) in zip(before, after) {
                switch (old == 1, new == 1) {
                case (true, true): cells.0 += 1
                case (true, false): cells.1 += 1
                case (false, true): cells.2 += 1
                case (false, false): cells.3 += 1
                }
            }
            mcNemar = McNemarTest(bothCorrect: cells.0, onlyBeforeCorrect: cells.1, onlyAfterCorrect: cells.2, bothWrong: cells.3)
        } else {
            mcNemar = nil
        }
    }
}
