import AssayCore
import AssayStore
import AssaySupport
import AssayTestSupport
import Foundation
import Testing

/// The store's typed values survive a write and a read, on an in-memory SQLite store and on a
/// PostgreSQL database.
struct StoreRoundTripTests {
    @Test(arguments: TestStore.available)
    func aRunKeepsItsTypedModeSelectionAndHyperparameters(on kind: TestStore) throws {
        let (store, keepAlive) = try kind.makeStore()
        defer { withExtendedLifetime(keepAlive) {} }
        let selection = RunSelection(sample: 2, seed: 7)
        let runID = try StoreFixture.run(in: store, selection: selection, hyperparameters: Hyperparameters(maxTokens: 8, temperature: 0.5))
        let run = try store.run(id: runID)
        #expect(run.mode == .generate && run.status == .running)
        #expect(run.selection == selection)
        #expect(run.hyperparameters == Hyperparameters(maxTokens: 8, temperature: 0.5))
        #expect(store.path == (kind == .sqlite ? ":memory:" : keepAlive?.url))
    }

    @Test(arguments: TestStore.available)
    func anUnfinishedRunIsFoundOnlyWithTheSameSelectionAndHyperparameters(on kind: TestStore) throws {
        let (store, keepAlive) = try kind.makeStore()
        defer { withExtendedLifetime(keepAlive) {} }
        let first = try StoreFixture.run(in: store, selection: RunSelection(limit: 2))
        let run = try store.run(id: first)
        #expect(try store.unfinishedRun(matching: run)?.id == first)
        var otherSelection = run
        otherSelection.selection = RunSelection(limit: 3)
        #expect(try store.unfinishedRun(matching: otherSelection) == nil)
        var otherHyperparameters = run
        otherHyperparameters.hyperparameters.temperature = 1
        #expect(try store.unfinishedRun(matching: otherHyperparameters) == nil)
        try store.setRunStatus(.completed, runID: first)
        #expect(try store.unfinishedRun(matching: run) == nil)
    }

    @Test(arguments: TestStore.available)
    func predictionsAreStoredOncePerItemWithTheirCost(on kind: TestStore) throws {
        let (store, keepAlive) = try kind.makeStore()
        defer { withExtendedLifetime(keepAlive) {} }
        let runID = try StoreFixture.run(in: store)
        let items = try store.items(ofDatasetNamed: "fixture").items
        let predictions = try items.prefix(2).map { item in
            PredictionRecord(
                runId: runID, itemId: try item.storedID(), label: item.goldLabel, reasoning: "because",
                rawOutput: item.goldLabel, parseStatus: .parsed, latencySeconds: 0.5, energyKwh: 0.001)
        }
        try store.savePredictions(predictions, runID: runID, measuredSeconds: 1.5, energyKwh: 0.002)
        #expect(try store.predictedItemIDs(inRun: runID) == Set(try items.prefix(2).map { try $0.storedID() }))
        #expect(throws: AssayError.self) {
            try store.savePredictions([predictions[0]], runID: runID, measuredSeconds: 1, energyKwh: nil)
        }
        let run = try store.run(id: runID)
        #expect(run.durationSeconds == 1.5 && run.energyKwh == 0.002)
        let answers = try store.runPredictions(runID: runID).answers
        #expect(answers.map(\.label) == ["positive", "negative"])
    }

    @Test(arguments: TestStore.available)
    func energyProvenanceIsStoredTyped(on kind: TestStore) throws {
        let (store, keepAlive) = try kind.makeStore()
        defer { withExtendedLifetime(keepAlive) {} }
        let runID = try StoreFixture.run(in: store)
        try store.setEnergyScope(.localServer, runID: runID)
        let factor = try EmissionFactors.factor(for: "FR")
        try store.recordCarbon(
            runID: runID, method: .estimate,
            constants: ["cpu_seconds": .number(43.604824999), "provenance": .text("estimated: test")],
            factor: factor, pue: 1.1, co2Grams: 0.5)
        let run = try store.run(id: runID)
        #expect(run.energyScope == .localServer && run.energyMethod == .estimate)
        #expect(run.energyConstants?["provenance"] == .text("estimated: test"))
        #expect(run.energyConstants?["cpu_seconds"]?.description == "43.6048")
        #expect(run.emissionRegion == "FR" && run.emissionFactor == factor.gramsPerKWh && run.pue == 1.1)
    }

    @Test(arguments: TestStore.available)
    func aScoreIsSavedReplacedAndRestored(on kind: TestStore) throws {
        let (store, keepAlive) = try kind.makeStore()
        defer { withExtendedLifetime(keepAlive) {} }
        let runID = try StoreFixture.run(in: store)
        let item = try #require(try store.items(ofDatasetNamed: "fixture").items.first)
        try store.savePredictions(
            [
                PredictionRecord(
                    runId: runID, itemId: try item.storedID(), label: "positive", reasoning: nil,
                    rawOutput: "positive", parseStatus: .parsed)
            ],
            runID: runID, measuredSeconds: 1)
        let entry = try #require(try store.reviewQueue(runIDs: [runID]).first)
        let scope = ReviewScope(
            annotatorID: try store.annotatorID(named: "alice"),
            rubricID: try store.rubricID(name: "r", version: "1", definition: "name: r", source: "test"),
            kind: .annotation, runIDs: [runID])
        let first = ScoreEntry(values: ["clarity": .number(4)], comment: "fine")
        #expect(try store.saveScore(first, predictionID: entry.predictionID, scope: scope) == nil)
        let replaced = try store.saveScore(
            ScoreEntry(values: ["clarity": .number(2)], comment: nil),
            predictionID: entry.predictionID, scope: scope)
        #expect(replaced == first)
        try store.restoreScore(replaced, predictionID: entry.predictionID, scope: scope)
        #expect(try store.scoreValues(scope) == [["clarity": .number(4)]])
        #expect(try store.scoredPredictionIDs(scope) == [entry.predictionID])
    }
}
