import AssayCore

/// The JSON shape of a comparison, also the source of the table and LaTeX forms.
struct ComparisonView: Encodable {
    struct Run: Encodable {
        let run: RunID
        let model: String
        let items: Int
    }

    struct Row: Encodable {
        let metric: String
        let before: Double?
        let after: Double?
        /// after - before.
        let difference: Double?
        /// (before - after) / before, for costs.
        let relativeReduction: Double?

        init(_ metric: String, _ before: Double?, _ after: Double?, isCost: Bool = false) {
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

    struct McNemar: Encodable {
        let bothCorrect: Int
        let onlyBeforeCorrect: Int
        let onlyAfterCorrect: Int
        let bothWrong: Int
        let pValue: Double
        let test: String
    }

    let before: Run
    let after: Run
    let dataset: String
    let sharedItems: Int
    let unparsedPolicy: String
    /// Classification metrics over the shared items.
    let metrics: [Row]
    /// Time, energy and CO2e of each whole run.
    let costs: [Row]
    let energyMethods: [String: String]
    /// Why a run has no energy or CO2 figure, by side ("not measured (remote server)").
    let energyNotMeasured: [String: String]
    let emissionFactors: [String: String]
    let mcnemar: McNemar
    let macroF1Change: ConfidenceInterval?

    init(_ comparison: RunComparison) {
        let old = comparison.beforeMetrics, new = comparison.afterMetrics
        let oldCost = comparison.beforeCost, newCost = comparison.afterCost
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
        mcnemar = McNemar(bothCorrect: test.bothCorrect, onlyBeforeCorrect: test.onlyBeforeCorrect,
                          onlyAfterCorrect: test.onlyAfterCorrect, bothWrong: test.bothWrong, pValue: test.pValue,
                          test: "exact McNemar (two-sided binomial on the discordant items; unparsed answers are wrong)")
        macroF1Change = comparison.macroF1Change
    }
}
