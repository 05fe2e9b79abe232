import AssayCore
import AssayStore

/// The review session's reads and writes against the database: each score is one short write transaction.
public struct StoreReviewDataSource: ReviewDataSource {
    public let store: AssayStore
    public let scope: ReviewScope

    public init(store: AssayStore, scope: ReviewScope) {
        self.store = store
        self.scope = scope
    }

    public func prediction(_ predictionID: PredictionID) throws -> ReviewPrediction {
        try store.reviewPrediction(id: predictionID)
    }

    public func scores(of predictionID: PredictionID) throws -> [AnnotatorScore] {
        try store.scores(predictionID: predictionID, rubricID: scope.rubricID)
    }

    public func save(_ entry: ScoreEntry, for predictionID: PredictionID) throws -> ScoreEntry? {
        try store.saveScore(entry, predictionID: predictionID, scope: scope)
    }

    public func restore(_ previous: ScoreEntry?, for predictionID: PredictionID) throws {
        try store.restoreScore(previous, predictionID: predictionID, scope: scope)
    }

    public func predictionsOfSameText(as predictionID: PredictionID) throws -> [ReviewPrediction] {
        try store.predictionsOfSameText(as: predictionID, runIDs: scope.runIDs)
    }

    public func otherAnnotatorCount(of predictionID: PredictionID) throws -> Int {
        try store.otherAnnotatorCount(predictionID: predictionID, scope: scope)
    }

    public func performUpkeep() throws {
        try store.checkpoint()
    }

    public func predictions(containing text: String) throws -> Set<PredictionID> {
        try store.predictionIDs(containing: text, runIDs: scope.runIDs)
    }

    public func ownScoreValues() throws -> [[String: ScoreValue]] {
        try store.scoreValues(scope)
    }
}
