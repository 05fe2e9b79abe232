import AssayCore
import AssayStore

/// The figures of one study database: each run's metrics and cost, and a pair of runs compared.
/// `assay metrics`, `assay compare` and every export read their figures through this.
public struct StudyAnalysis: Sendable {
    public let store: AssayStore

    public init(store: AssayStore) {
        self.store = store
    }

    /// The runs named (none: every completed run), with their metrics, intervals and cost.
    public func evaluations(runIDs: [RunID], policy: UnparsedPolicy, bootstrap: BootstrapSettings) throws -> [EvaluatedRun] {
        try store.runOutcomes(ids: runIDs).map { try EvaluatedRun($0, policy: policy, bootstrap: bootstrap) }
    }

    /// The JSON and CSV shape of the runs named (none: every completed run).
    public func metrics(runIDs: [RunID], policy: UnparsedPolicy, bootstrap: BootstrapSettings) throws -> [MetricsView] {
        try evaluations(runIDs: runIDs, policy: policy, bootstrap: bootstrap).map { try MetricsView($0, policy: policy) }
    }

    /// Run `before` against run `after`, on the items both answered, with the divergence of the
    /// after run's model file from the before run's when `assay divergence` measured it, on a text
    /// and over the two runs' items.
    public func comparison(before: RunID, after: RunID, policy: UnparsedPolicy, bootstrap: BootstrapSettings) throws -> RunComparison {
        try comparison(
            before: store.runPredictions(runID: before), after: store.runPredictions(runID: after), policy: policy, bootstrap: bootstrap)
    }

    /// The same for runs already read (the report compares the runs it evaluated).
    public func comparison(before old: RunPredictions, after new: RunPredictions, policy: UnparsedPolicy, bootstrap: BootstrapSettings)
        throws -> RunComparison
    {
        let files = Dictionary(
            try store.models().compactMap { model in model.id.map { ($0, model.fileSha256) } }, uniquingKeysWith: { a, _ in a })
        let divergence: DivergenceRecord? =
            if let base = files[old.run.modelId] ?? nil, let model = files[new.run.modelId] ?? nil {
                try store.divergences(baseSha256: base, modelSha256: model).first
            } else { nil }
        return try RunComparison(
            before: old, after: new, policy: policy, bootstrap: bootstrap, divergence: divergence,
            itemDivergence: try store.itemDivergence(baseRun: old.runID, modelRun: new.runID))
    }
}
