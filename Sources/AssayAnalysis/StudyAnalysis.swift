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

    /// Run `before` against run `after`, on the items both answered.
    public func comparison(before: RunID, after: RunID, policy: UnparsedPolicy, bootstrap: BootstrapSettings) throws -> RunComparison {
        try RunComparison(
            before: store.runPredictions(runID: before), after: store.runPredictions(runID: after),
            policy: policy, bootstrap: bootstrap)
    }
}
