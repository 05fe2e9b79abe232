import AssayCore
import AssayReview
import AssayStore
import AssaySupport
import Foundation

/// Times the two steps an annotator waits for, on a generated database of `predictions` predictions:
/// rendering the next item, and committing a score; and, as the REPL does after each reply, the
/// checkpoint that runs while the annotator reads. Given a PostgreSQL database, the generated study
/// is copied there before either is measured, and the same session is timed on both stores.
public enum ReviewBenchmark {
    public static func run(
        predictions: Int, samples: Int, databasePath: String, rubricDefinition: String, postgres: PostgresAddress? = nil
    ) throws -> [ReviewBenchmarkResult] {
        guard predictions >= 2, predictions % 2 == 0 else {
            throw AssayError("--predictions \(predictions): give an even number of 2 or more (two runs over the same items)")
        }
        guard samples >= 1 else { throw AssayError("--samples \(samples): give 1 or more") }
        let rubric = try RubricParser.parse(rubricDefinition, source: "benchmark rubric")
        let clock = ContinuousClock()
        let store = try AssayStore(path: databasePath, create: true)
        let rubricID = try store.rubricID(
            name: rubric.name, version: rubric.version, definition: rubricDefinition, source: "benchmark rubric")
        let buildTime = try clock.measure {
            try store.insertReviewFixture(
                items: predictions / 2, models: [("bench-model-f16", "F16"), ("bench-model-q4", "Q4_1")],
                annotations: (annotators: 2, rubricID: rubricID, criteria: rubric.criteria.map(\.name)))
        }
        var stores = [(store, buildTime)]
        if let postgres {
            let copyTime = try clock.measure {
                _ = try StoreCopy.copy(from: .sqlite(path: databasePath), to: .postgres(postgres))
            }
            stores.append((try AssayStore(location: .postgres(postgres)), copyTime))
        }
        return try stores.map { store, buildTime in
            try measure(
                store, predictions: predictions, samples: samples, rubric: rubric, rubricDefinition: rubricDefinition,
                rubricID: rubricID, buildTime: buildTime)
        }
    }

    private static func measure(
        _ store: AssayStore, predictions: Int, samples: Int, rubric: Rubric, rubricDefinition: String, rubricID: RubricID,
        buildTime: Duration
    ) throws -> ReviewBenchmarkResult {
        let clock = ContinuousClock()
        var opened: (session: ReviewSession, first: ReviewReply)?
        let request = ReviewRequest(
            annotator: "bench-annotator", runIDs: [], rubricDefinition: rubricDefinition,
            rubricSource: "benchmark rubric", blind: true, order: .shuffled, seed: nil, perItem: nil,
            filter: nil, mode: .annotation, width: 100)
        let openTime = try clock.measure { opened = try ReviewSessionBuilder.open(request, store: store) }
        guard let session = opened?.session else { throw AssayError("internal error: the benchmark session did not open") }
        let scope = ReviewScope(annotatorID: session.renderer.annotatorID, rubricID: rubricID, kind: .annotation, runIDs: [])
        let scoreLine = rubric.criteria.map { $0.scale.levels[0].name }.joined(separator: " ") + " benchmark comment"
        let entry = try rubric.scoreEntry(from: scoreLine)
        var renderTimes: [Double] = []
        var commitTimes: [CommitSync: [Double]] = [:]
        var upkeepTimes: [Double] = []
        for sample in 0..<samples {
            // Alternate the sync level so both sets of commits see the same database state.
            let sync: CommitSync = sample % 2 == 0 ? .full : .normal
            try store.setCommitSync(sync)
            renderTimes.append(milliseconds(try clock.measure { _ = try session.render() }))
            guard let current = session.navigator.current else { break }
            commitTimes[sync, default: []].append(
                milliseconds(
                    try clock.measure {
                        try store.saveScore(entry, predictionID: current.predictionID, scope: scope)
                    }))
            // Move on the way the REPL does after a score (which stores the score again, as an update).
            _ = try session.handle(scoreLine)
            upkeepTimes.append(milliseconds(try clock.measure { try session.performUpkeep() }))
        }
        return ReviewBenchmarkResult(
            store: store.isPostgres ? "postgresql" : "sqlite",
            predictions: predictions, runs: 2, databasePath: store.path, databaseBytes: try store.sizeInBytes(),
            buildSeconds: buildTime.secondsValue, openSeconds: openTime.secondsValue,
            renderNextItem: LatencySummary(milliseconds: renderTimes), commitScore: LatencySummary(milliseconds: commitTimes[.full] ?? []),
            commitScoreWithoutFsync: LatencySummary(milliseconds: commitTimes[.normal] ?? []),
            upkeepWhileReading: LatencySummary(milliseconds: upkeepTimes),
            journalMode: try store.journalMode())
    }

    private static func milliseconds(_ duration: Duration) -> Double { duration.secondsValue * 1000 }
}
