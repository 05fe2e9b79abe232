import AssayCore

/// The JSON shape of a comparison, also the source of the table and LaTeX forms.
public struct ComparisonView: Encodable, Sendable {
    public struct Run: Encodable, Sendable {
        public let run: RunID
        public let model: String
        public let items: Int
    }

    public struct Row: Encodable, Sendable {
        public let metric: String
        public let before: Double?
        public let after: Double?
        /// after - before.
        public let difference: Double?
        /// (before - after) / before, for costs.
        public let relativeReduction: Double?

        public init(_ metric: String, _ before: Double?, _ after: Double?, isCost: Bool = false) {
            self.metric = metric
            self.before = before
            self.after = after
            if let before, let after {
                difference = after - before
                relativeReduction = isCost && before != 0 ? (before - after) / before : nil
            } else {
                difference = nil
                relativeReduction = nil
            }
        }
    }

    /// The keys of `energyMethods`, `energyNotMeasured` and `emissionFactors`.
    public enum Side: String, Sendable {
        case before, after
    }

    public struct McNemar: Encodable, Sendable {
        public let bothCorrect: Int
        public let onlyBeforeCorrect: Int
        public let onlyAfterCorrect: Int
        public let bothWrong: Int
        public let pValue: Double
        public let test: String
    }

    public let before: Run
    public let after: Run
    public let dataset: String
    public let sharedItems: Int
    public let unparsedPolicy: String
    /// Classification metrics over the shared items.
    public let metrics: [Row]
    /// Time, energy and CO2e of each whole run.
    public let costs: [Row]
    public let energyMethods: [String: String]
    /// Why a run has no energy or CO2 figure, by side ("not measured (remote server)").
    public let energyNotMeasured: [String: String]
    public let emissionFactors: [String: String]
    public let mcnemar: McNemar
    public let macroF1Change: ConfidenceInterval?

    public init(_ comparison: RunComparison) {
        let old = comparison.beforeMetrics
        let new = comparison.afterMetrics
        let oldCost = comparison.beforeCost
        let newCost = comparison.afterCost
        before = Run(run: comparison.before.runID, model: comparison.before.modelName, items: comparison.before.answers.count)
        after = Run(run: comparison.after.runID, model: comparison.after.modelName, items: comparison.after.answers.count)
        dataset = comparison.before.datasetName
        sharedItems = comparison.sharedItems
        unparsedPolicy = comparison.policy.statement
        metrics = [
            Row("macro precision", old.macro.precision, new.macro.precision),
            Row("macro recall", old.macro.recall, new.macro.recall),
            Row("macro F1", old.macro.f1, new.macro.f1),
            Row("weighted precision", old.weighted.precision, new.weighted.precision),
            Row("weighted recall", old.weighted.recall, new.weighted.recall),
            Row("weighted F1", old.weighted.f1, new.weighted.f1),
            Row("accuracy", old.accuracy, new.accuracy),
        ]
        costs = [
            Row("seconds per query", oldCost.secondsPerItem, newCost.secondsPerItem, isCost: true),
            Row("energy kWh", oldCost.energyKWh, newCost.energyKWh, isCost: true),
            Row("energy kWh per query", oldCost.kWhPerItem, newCost.kWhPerItem, isCost: true),
            Row("CO2e g", oldCost.carbon?.grams, newCost.carbon?.grams, isCost: true),
            Row("CO2e g per query", oldCost.gramsPerItem, newCost.gramsPerItem, isCost: true),
        ]
        energyMethods = ["before": oldCost.energyLabel ?? "not recorded", "after": newCost.energyLabel ?? "not recorded"]
        energyNotMeasured = ["before": oldCost.notMeasuredReason, "after": newCost.notMeasuredReason].compactMapValues { $0 }
        emissionFactors = ["before": oldCost.carbon?.factor.citation ?? "none", "after": newCost.carbon?.factor.citation ?? "none"]
        let test = comparison.mcNemar
        mcnemar = McNemar(
            bothCorrect: test.bothCorrect, onlyBeforeCorrect: test.onlyBeforeCorrect,
            onlyAfterCorrect: test.onlyAfterCorrect, bothWrong: test.bothWrong, pValue: test.pValue,
            test: "exact McNemar (two-sided binomial on the discordant items; unparsed answers are wrong)")
        macroF1Change = comparison.macroF1Change
    }
}
