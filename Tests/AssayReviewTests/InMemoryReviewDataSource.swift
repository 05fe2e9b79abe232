import AssayCore
import AssayReview
import AssayStore
import AssaySupport
import Foundation

/// A review data source over plain arrays: what the store would hold, without SQLite.
final class InMemoryReviewDataSource: ReviewDataSource {
    static let annotatorID: AnnotatorID = 1
    static let otherAnnotatorID: AnnotatorID = 2

    var predictions: [ReviewPrediction]
    /// Scores by prediction, for every annotator.
    var stored: [PredictionID: [AnnotatorScore]] = [:]
    private(set) var saves = 0

    init(predictions: [ReviewPrediction]) {
        self.predictions = predictions
    }

    /// `items` texts, each predicted by every run; every third prediction disagrees with gold.
    static func make(items: Int, runs: [RunID]) -> InMemoryReviewDataSource {
        var predictions: [ReviewPrediction] = []
        for run in runs {
            for item in 1...items {
                let gold = ["positive", "negative", "neutral"][item % 3]
                let predicted = item % 3 == 0 ? "negative" : gold
                predictions.append(
                    ReviewPrediction(
                        predictionID: PredictionID(run.rawValue * 1000 + Int64(item)), runID: run, itemID: ItemID(Int64(item)),
                        position: item,
                        text: "Text number \(item) about profits", goldLabel: gold, predictedLabel: predicted,
                        parseStatus: .parsed, reasoning: "Because of item \(item).", rawOutput: "\(predicted). Because.",
                        modelName: "secret-model-\(run)", quantization: run == 1 ? "F16" : "Q4_K_M"))
            }
        }
        return InMemoryReviewDataSource(predictions: predictions)
    }

    var entries: [ReviewQueueEntry] {
        predictions.map {
            ReviewQueueEntry(
                predictionID: $0.predictionID, itemID: $0.itemID, runID: $0.runID,
                position: $0.position, goldLabel: $0.goldLabel, predictedLabel: $0.predictedLabel)
        }
    }

    func own(_ predictionID: PredictionID) -> ScoreEntry? {
        stored[predictionID]?.first { $0.annotatorID == Self.annotatorID }?.entry
    }

    func prediction(_ predictionID: PredictionID) throws -> ReviewPrediction {
        guard let prediction = predictions.first(where: { $0.predictionID == predictionID }) else {
            throw AssayError("no prediction \(predictionID)")
        }
        return prediction
    }

    func scores(of predictionID: PredictionID) throws -> [AnnotatorScore] { stored[predictionID] ?? [] }

    func save(_ entry: ScoreEntry, for predictionID: PredictionID) throws -> ScoreEntry? {
        saves += 1
        let previous = own(predictionID)
        stored[predictionID, default: []].removeAll { $0.annotatorID == Self.annotatorID }
        stored[predictionID, default: []].append(
            AnnotatorScore(
                annotatorID: Self.annotatorID, annotator: "me", kind: .annotation,
                entry: entry, updatedAt: Date()))
        return previous
    }

    func restore(_ previous: ScoreEntry?, for predictionID: PredictionID) throws {
        stored[predictionID, default: []].removeAll { $0.annotatorID == Self.annotatorID }
        if let previous {
            stored[predictionID, default: []].append(
                AnnotatorScore(
                    annotatorID: Self.annotatorID, annotator: "me", kind: .annotation,
                    entry: previous, updatedAt: Date()))
        }
    }

    func addOtherScore(_ entry: ScoreEntry, for predictionID: PredictionID, annotator: String = "bob-the-other") {
        stored[predictionID, default: []].append(
            AnnotatorScore(
                annotatorID: Self.otherAnnotatorID, annotator: annotator,
                kind: .annotation, entry: entry, updatedAt: Date()))
    }

    func predictionsOfSameText(as predictionID: PredictionID) throws -> [ReviewPrediction] {
        let itemID = try prediction(predictionID).itemID
        return predictions.filter { $0.itemID == itemID }
    }

    func otherAnnotatorCount(of predictionID: PredictionID) throws -> Int {
        (stored[predictionID] ?? []).count { $0.annotatorID != Self.annotatorID }
    }

    func predictions(containing text: String) throws -> Set<PredictionID> {
        Set(predictions.filter { $0.text.lowercased().contains(text.lowercased()) }.map(\.predictionID))
    }

    /// How often the session asked for upkeep.
    private(set) var upkeepCount = 0

    func performUpkeep() throws { upkeepCount += 1 }

    func ownScoreValues() throws -> [[String: ScoreValue]] {
        stored.values.compactMap { $0.first { $0.annotatorID == Self.annotatorID }?.entry.values }
    }
}
