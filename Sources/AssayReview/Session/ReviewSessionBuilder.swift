import AssayCore
import AssayStore
import AssaySupport

/// Opens a review session on the store: checks the request, registers the annotator and the rubric
/// version, loads the queue in the annotator's order and positions it on the next unscored item.
public enum ReviewSessionBuilder {
    /// The session and the reply to show first.
    public static func open(_ request: ReviewRequest, store: AssayStore) throws -> (session: ReviewSession, first: ReviewReply) {
        if let perItem = request.perItem, perItem < 1 {
            throw AssayError("--per-item \(perItem): give the number of annotators each item needs, 1 or more")
        }
        if case .adjudication(let threshold) = request.mode, threshold < 0 {
            throw AssayError("--threshold \(threshold): give a difference of 0 or more")
        }
        // Each acknowledged score survives power loss (fsync per commit); checkpoints wait for the
        // annotator to be reading (ReviewSession.performUpkeep), so no commit pays for one.
        try store.setCommitSync(.full)
        try store.turnOffAutomaticCheckpoints()
        let rubric = try RubricParser.parse(request.rubricDefinition, source: request.rubricSource)
        let runs = try store.reviewRuns(request.runIDs)
        guard !runs.isEmpty else {
            throw AssayError("no predictions to review yet; create some with assay run or assay predictions import")
        }
        let blind = request.mode == .annotation && request.blind
        let labels = ReviewRunLabels(runs: runs, blind: blind)
        let filter = try request.filter.map { try ReviewFilter.parse($0, runs: labels) } ?? ReviewFilter()
        let kind: ScoreKind = request.mode == .annotation ? .annotation : .adjudication
        let scope = ReviewScope(
            annotatorID: try store.annotatorID(named: request.annotator),
            rubricID: try store.rubricID(
                name: rubric.name, version: rubric.version,
                definition: request.rubricDefinition, source: request.rubricSource),
            kind: kind, runIDs: runs.map(\.id))
        var entries = try store.reviewQueue(runIDs: scope.runIDs)
        if case .adjudication(let threshold) = request.mode {
            let annotations = try store.annotationsByPrediction(rubricID: scope.rubricID, runIDs: scope.runIDs)
            entries = entries.filter { rubric.disagree(annotations[$0.predictionID] ?? [], threshold: threshold) }
        }
        let seed = request.seed ?? ReviewOrder.seed(forAnnotator: request.annotator)
        let renderer = ReviewRenderer(rubric: rubric, runs: labels, annotatorID: scope.annotatorID, kind: kind, width: request.width)
        let session = ReviewSession(
            rubric: rubric, renderer: renderer, entries: request.order.arrange(entries, seed: seed),
            scored: try store.scoredPredictionIDs(scope),
            source: StoreReviewDataSource(store: store, scope: scope),
            perItem: request.mode == .annotation ? request.perItem : nil)
        return (session, try session.start(filter: filter))
    }
}
