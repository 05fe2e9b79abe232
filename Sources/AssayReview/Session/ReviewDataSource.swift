import AssayCore
import AssayStore

/// What a review session reads and writes, for one annotator, rubric version and kind of score.
/// The store implements it; unit tests use an in-memory one.
public protocol ReviewDataSource {
    func prediction(_ predictionID: PredictionID) throws -> ReviewPrediction
    /// Every annotator's scores for the prediction (the renderer hides others' in blind mode).
    func scores(of predictionID: PredictionID) throws -> [AnnotatorScore]
    /// Stores the session annotator's score in its own transaction; returns the score it replaced.
    func save(_ entry: ScoreEntry, for predictionID: PredictionID) throws -> ScoreEntry?
    /// Puts back `previous`, or deletes the score when it is nil.
    func restore(_ previous: ScoreEntry?, for predictionID: PredictionID) throws
    /// The predictions of the session's runs for the same text, by run.
    func predictionsOfSameText(as predictionID: PredictionID) throws -> [ReviewPrediction]
    /// How many other annotators have scored the prediction.
    func otherAnnotatorCount(of predictionID: PredictionID) throws -> Int
    /// The predictions of the session's runs whose text contains `text`.
    func predictions(containing text: String) throws -> Set<PredictionID>
    /// The values of every score the annotator gave in this scope.
    func ownScoreValues() throws -> [[String: ScoreValue]]
    /// Upkeep no one should wait for (folding the write-ahead log into the database); called while
    /// the annotator reads.
    func performUpkeep() throws
}
