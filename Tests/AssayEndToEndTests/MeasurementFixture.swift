import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import GRDB
import Testing

/// A study database made the way a user makes one: the dataset imported through the binary,
/// then runs, predictions and scores written through AssayStore (as `assay run` and
/// `assay review` would).
struct MeasurementFixture {
    let folder: TemporaryFolder
    let database: String

    /// Imports `gold` as dataset "sentences" with labels `labels`.
    init(gold: [String], labels: [String]) throws {
        folder = try TemporaryFolder(prefix: "measure-e2e")
        database = folder.path("study.sqlite")
        let rows = gold.enumerated().map { "sentence number \($0.offset + 1),\($0.element)" }
        let csv = try folder.write("sentences.csv", (["text,label"] + rows).joined(separator: "\n") + "\n")
        let result = try AssayBinary.run([
            "dataset", "import", csv, "--name", "sentences", "--labels", labels.joined(separator: ","), "--db", database,
        ])
        #expect(result.status == 0, "dataset import failed: \(result.stderr)")
    }

    /// Stores a completed run of model `model` whose answers are `answers` (nil: unparsed), in item order.
    @discardableResult
    func addRun(
        model: String, answers: [String?], durationSeconds: Double? = nil, energyKWh: Double? = nil,
        energyMethod: EnergyMethod? = nil, constants: [String: EnergyConstant] = [:],
        emissionFactor: Double? = nil, emissionSource: String? = nil
    ) throws -> RunID {
        let store = try AssayStore(path: database, create: false)
        return try DatabaseQueue(path: store.path).write { db in
            var modelRecord = ModelRecord(name: model, backend: .imported, reference: model)
            try modelRecord.insert(db)
            let items = try ItemRecord.fetchAll(db, sql: "SELECT * FROM item ORDER BY position")
            var run = RunRecord(
                modelId: try modelRecord.storedID(), datasetId: try #require(items.first).datasetId, taskName: "sentiment",
                taskDefinition: "name: sentiment", promptTemplate: "{text}", promptHash: "x", mode: .imported,
                hyperparameters: Hyperparameters(), selection: RunSelection(), status: .completed, host: "test",
                durationSeconds: durationSeconds, energyKwh: energyKWh, energyMethod: energyMethod,
                energyConstants: constants.isEmpty ? nil : constants,
                emissionFactor: emissionFactor, emissionFactorSource: emissionSource)
            try run.insert(db)
            for (item, answer) in zip(items, answers) {
                var prediction = PredictionRecord(
                    runId: try run.storedID(), itemId: try item.storedID(), label: answer, reasoning: nil, rawOutput: answer ?? "no idea",
                    parseStatus: answer == nil ? .unparsed : .parsed)
                try prediction.insert(db)
            }
            return try run.storedID()
        }
    }

    /// Stores each annotator's numeric scores on criterion `criterion` for the predictions of run `runID`, in item order.
    /// `adjudicator` also stores an adjudication (which agreement must ignore) for every prediction.
    func addScores(runID: RunID, criterion: String, byAnnotator scores: [String: [Double?]], adjudicator: String? = nil) throws {
        let store = try AssayStore(path: database, create: false)
        try DatabaseQueue(path: store.path).write { db in
            var rubric = RubricRecord(name: "quality", version: "1", definition: "criteria: [\(criterion)]", contentHash: "h")
            try rubric.insert(db)
            let predictions = try PredictionID.fetchAll(
                db,
                sql: """
                    SELECT prediction.id FROM prediction JOIN item ON item.id = prediction.item_id
                    WHERE prediction.run_id = ? ORDER BY item.position
                    """, arguments: [runID])
            for (name, values) in scores.sorted(by: { $0.key < $1.key }) {
                var annotator = AnnotatorRecord(name: name)
                try annotator.insert(db)
                for (prediction, value) in zip(predictions, values) {
                    guard let value else { continue }
                    var score = ScoreRecord(
                        predictionId: prediction, annotatorId: try annotator.storedID(), rubricId: try rubric.storedID(),
                        criteria: [criterion: .number(value)])
                    try score.insert(db)
                }
            }
            if let adjudicator {
                var annotator = AnnotatorRecord(name: adjudicator)
                try annotator.insert(db)
                for prediction in predictions {
                    var score = ScoreRecord(
                        predictionId: prediction, annotatorId: try annotator.storedID(), rubricId: try rubric.storedID(),
                        kind: .adjudication, criteria: [criterion: .number(1)])
                    try score.insert(db)
                }
            }
        }
    }

    func run(_ arguments: [String]) throws -> AssayBinary.Result {
        try AssayBinary.run(arguments + ["--db", database])
    }

    /// Runs `assay` and parses its standard output as a JSON value.
    func json(_ arguments: [String]) throws -> Any {
        let result = try run(arguments)
        #expect(result.status == 0, "assay \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }
}
