import AssayCore
import AssayStore
import AssaySupport

/// Two runs of the same dataset compared on the items both answered: each metric before and
/// after, the exact McNemar test, the paired bootstrap interval of the change in macro F1 (for
/// every other kind: of each quality figure), and time, energy and CO2 of each run.
public struct RunComparison: Sendable {
    public let before: RunPredictions
    public let after: RunPredictions
    public let sharedItems: Int
    public let policy: UnparsedPolicy
    /// The classification figures; nil past classification, where `quality` holds the figures.
    public let beforeMetrics: ClassificationMetrics?
    public let afterMetrics: ClassificationMetrics?
    public let mcNemar: McNemarTest?
    public let macroF1Change: ConfidenceInterval?
    public let quality: [QualityChange]
    /// Which items turned wrong and which turned right; nil where no figure is pass/fail (generation).
    public let flips: Flips?
    /// The newest `assay divergence` of the after run's model file against the before run's, if one was measured.
    public let divergence: DivergenceRecord?
    /// The newest `assay divergence --dataset` over these two runs' items, if one was measured.
    public let itemDivergence: RunPairDivergence?
    public let beforeCost: RunCost
    public let afterCost: RunCost

    public init(
        before: RunPredictions, after: RunPredictions, policy: UnparsedPolicy, bootstrap: BootstrapSettings,
        divergence: DivergenceRecord? = nil, itemDivergence: RunPairDivergence? = nil
    ) throws {
        guard before.runID != after.runID else {
            throw AssayError(
                "both arguments name run \(before.runID); compare a baseline run with a different run (see assay metrics --all)")
        }
        guard before.run.datasetId == after.run.datasetId else {
            throw AssayError(
                "run \(before.runID) is over dataset '\(before.datasetName)' but run \(after.runID) is over '\(after.datasetName)'; compare runs of the same dataset"
            )
        }
        let afterByItem = Dictionary(after.answers.map { ($0.itemID, $0) }, uniquingKeysWith: { first, _ in first })
        let pairs = before.answers.compactMap { answer in afterByItem[answer.itemID].map { (answer, $0) } }
        guard !pairs.isEmpty else {
            throw AssayError("runs \(before.runID) and \(after.runID) share no answered item; nothing to compare")
        }
        self.before = before
        self.after = after
        self.policy = policy
        sharedItems = pairs.count
        beforeCost = try before.cost()
        afterCost = try after.cost()
        self.divergence = divergence
        self.itemDivergence = itemDivergence
        guard before.kind == .classification else {
            (beforeMetrics, afterMetrics, mcNemar, macroF1Change) = (nil, nil, nil, nil)
            quality = before.qualityMetrics.map { metric in
                QualityChange(
                    metric: metric, before: pairs.map { $0.0.outcome?.score(metric) ?? 0 },
                    after: pairs.map { $0.1.outcome?.score(metric) ?? 0 }, bootstrap: bootstrap)
            }
            flips = quality.first { $0.mcNemar != nil }.map { change in
                Flips(
                    metric: change.metric.key,
                    pairs: pairs.map {
                        ($0.0.itemID, $0.0.position, $0.0.outcome?.score(change.metric) == 1, $0.1.outcome?.score(change.metric) == 1)
                    })
            }
            return
        }
        quality = []
        flips = Flips(
            metric: "label", pairs: pairs.map { ($0.0.itemID, $0.0.position, $0.0.label == $0.0.goldLabel, $0.1.label == $0.1.goldLabel) })
        let labels = before.labels + Set(after.labels).subtracting(before.labels).sorted()
        let beforeCodes = try LabeledPredictions(truth: pairs.map(\.0.goldLabel), predicted: pairs.map(\.0.label), labels: labels)
        let afterCodes = try LabeledPredictions(truth: pairs.map(\.1.goldLabel), predicted: pairs.map(\.1.label), labels: labels)
        beforeMetrics = ClassificationMetrics(beforeCodes, policy: policy)
        afterMetrics = ClassificationMetrics(afterCodes, policy: policy)
        mcNemar = try McNemarTest(before: beforeCodes, after: afterCodes)
        let bothParsed = zip(beforeCodes.predicted, afterCodes.predicted).contains { $0 >= 0 && $1 >= 0 }
        macroF1Change =
            policy == .exclude && !bothParsed
            ? nil : try Bootstrap.macroF1Change(before: beforeCodes, after: afterCodes, policy: policy, settings: bootstrap)
    }
}
