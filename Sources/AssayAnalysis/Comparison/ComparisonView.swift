import AssayCore
import AssayStore
import Foundation

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
    /// Classification only; every other kind has `qualityTests`.
    public let mcnemar: McNemar?
    public let macroF1Change: ConfidenceInterval?
    /// Per quality figure past classification: the paired bootstrap of the change, and McNemar for pass/fail figures.
    public let qualityTests: [QualityTest]?
    public let flips: Flips?
    /// What quantization changed in the model's next-token distributions, when `assay divergence` measured the pair.
    public let divergence: DivergenceSummary?
    /// Per-item KL divergence by flip, when `assay divergence --dataset` measured these two runs.
    public let itemDivergence: ItemDivergenceSummary?

    public struct DivergenceSummary: Encodable, Sendable {
        public let id: DivergenceID
        public let text: String
        public let meanKld: Double
        public let sameTopToken: Double
        public let perplexityRatio: Double
    }

    public struct ItemDivergenceSummary: Encodable, Sendable {
        public let id: DivergenceID
        public let items: Int
        public let flips: FlipDivergence
    }

    public struct QualityTest: Encodable, Sendable {
        public let metric: String
        public let change: ConfidenceInterval
        public let mcnemar: McNemar?
    }

    public init(_ comparison: RunComparison) {
        let oldCost = comparison.beforeCost
        let newCost = comparison.afterCost
        before = Run(run: comparison.before.runID, model: comparison.before.modelName, items: comparison.before.answers.count)
        after = Run(run: comparison.after.runID, model: comparison.after.modelName, items: comparison.after.answers.count)
        dataset = comparison.before.datasetName
        sharedItems = comparison.sharedItems
        unparsedPolicy = comparison.policy.statement
        if let old = comparison.beforeMetrics, let new = comparison.afterMetrics {
            metrics = Self.classificationRows(old, new)
        } else {
            metrics = comparison.quality.map { Row($0.metric.displayName, $0.before, $0.after) }
        }
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
        mcnemar = comparison.mcNemar.map {
            Self.mcNemar($0, test: "exact McNemar (two-sided binomial on the discordant items; unparsed answers are wrong)")
        }
        macroF1Change = comparison.macroF1Change
        flips = comparison.flips
        divergence = comparison.divergence.flatMap(Self.summary)
        itemDivergence = comparison.itemDivergence.flatMap { measured in
            measured.divergence.id.map {
                ItemDivergenceSummary(id: $0, items: measured.items.count, flips: FlipDivergence(measured.items.map(\.figures)))
            }
        }
        qualityTests =
            comparison.quality.isEmpty
            ? nil
            : comparison.quality.map { change in
                QualityTest(
                    metric: change.metric.key, change: change.change,
                    mcnemar: change.mcNemar.map { Self.mcNemar($0, test: "exact McNemar (two-sided binomial on the discordant items)") })
            }
    }

    /// The headline figures of a stored measurement (its report is `DivergenceReport` as JSON).
    private static func summary(_ record: DivergenceRecord) -> DivergenceSummary? {
        guard let id = record.id, let report = (try? JSONSerialization.jsonObject(with: Data(record.report.utf8))) as? [String: Any],
            let kld = ((report["kld"] as? [String: Any])?["mean"] as? [String: Any])?["value"] as? Double,
            let same = (report["same_top_token"] as? [String: Any])?["value"] as? Double,
            let ratio = report["perplexity_ratio"] as? Double
        else { return nil }
        return DivergenceSummary(id: id, text: record.textSource, meanKld: kld, sameTopToken: same, perplexityRatio: ratio)
    }

    private static func mcNemar(_ test: McNemarTest, test name: String) -> McNemar {
        McNemar(
            bothCorrect: test.bothCorrect, onlyBeforeCorrect: test.onlyBeforeCorrect, onlyAfterCorrect: test.onlyAfterCorrect,
            bothWrong: test.bothWrong, pValue: test.pValue, test: name)
    }

    private static func classificationRows(_ old: ClassificationMetrics, _ new: ClassificationMetrics) -> [Row] {
        [
            Row("macro precision", old.macro.precision, new.macro.precision),
            Row("macro recall", old.macro.recall, new.macro.recall),
            Row("macro F1", old.macro.f1, new.macro.f1),
            Row("weighted precision", old.weighted.precision, new.weighted.precision),
            Row("weighted recall", old.weighted.recall, new.weighted.recall),
            Row("weighted F1", old.weighted.f1, new.weighted.f1),
            Row("accuracy", old.accuracy, new.accuracy),
        ]
    }
}
