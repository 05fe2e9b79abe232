import AssayCore
import Foundation
import GRDB

extension AssayStore {
    /// Every run's id, oldest first.
    public func runIDs() throws -> [Int64] {
        try pool.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM run ORDER BY id") }
    }

    /// A run, its model and dataset names, and its predictions joined with the gold labels.
    public func runPredictions(runID: Int64) throws -> RunPredictions {
        try pool.read { db in
            guard let run = try RunRecord.fetchOne(db, key: runID) else {
                let known = try Int64.fetchAll(db, sql: "SELECT id FROM run ORDER BY id")
                let list = known.isEmpty ? "the database has no runs yet" : "known runs: \(known.map(String.init).joined(separator: ", "))"
                throw AssayError("no run with id \(runID); \(list)")
            }
            let modelName = try String.fetchOne(db, sql: "SELECT name FROM model WHERE id = ?", arguments: [run.modelId]) ?? "model \(run.modelId)"
            guard let dataset = try DatasetRecord.fetchOne(db, key: run.datasetId) else {
                throw AssayError("run \(runID) points at dataset \(run.datasetId), which no longer exists")
            }
            let rows = try Row.fetchAll(db, sql: """
                SELECT item.id, item.gold_label, prediction.label, prediction.parse_status, prediction.latency_seconds
                FROM prediction JOIN item ON item.id = prediction.item_id
                WHERE prediction.run_id = ? ORDER BY item.position
                """, arguments: [runID])
            let answers = rows.map { row in
                let parsed = (row[3] as String) == PredictionRecord.ParseStatus.parsed.rawValue
                return RunPredictions.Answer(itemID: row[0], goldLabel: row[1], label: parsed ? row[2] : nil, latencySeconds: row[4])
            }
            let known = Set(dataset.labels)
            let extra = Set(answers.flatMap { [$0.goldLabel] + ($0.label.map { [$0] } ?? []) }).subtracting(known)
            return RunPredictions(run: run, modelName: modelName, datasetName: dataset.name,
                                  labels: dataset.labels + extra.sorted(), answers: answers)
        }
    }

    /// The annotation scores (adjudications left out) of every rubric criterion, optionally only
    /// for predictions of `runIDs` and only for one criterion.
    public func criterionScores(runIDs: [Int64] = [], criterion: String? = nil) throws -> [CriterionScores] {
        try pool.read { db in
            var sql = """
                SELECT score.prediction_id, annotator.name, rubric.name, rubric.version, score.criteria
                FROM score
                JOIN annotator ON annotator.id = score.annotator_id
                JOIN rubric ON rubric.id = score.rubric_id
                JOIN prediction ON prediction.id = score.prediction_id
                WHERE score.kind = 'annotation'
                """
            var arguments: [(any DatabaseValueConvertible)?] = []
            if !runIDs.isEmpty {
                sql += " AND prediction.run_id IN (\(runIDs.map { _ in "?" }.joined(separator: ", ")))"
                arguments += runIDs.map { $0 }
            }
            sql += " ORDER BY score.prediction_id"
            // (rubric, version, criterion) -> prediction -> annotator -> value
            var sheets: [[String]: [Int64: [String: ScoreValue]]] = [:]
            for row in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)) {
                let predictionID: Int64 = row[0]
                let annotator: String = row[1]
                let criteriaText: String = row[4]
                guard let criteria = try? JSONDecoder().decode([String: ScoreValue].self, from: Data(criteriaText.utf8)) else {
                    throw AssayError("score of prediction \(predictionID) by \(annotator): criteria is not a JSON object of numbers and categories")
                }
                for (name, value) in criteria where criterion == nil || criterion == name {
                    sheets[[row[2], row[3], name], default: [:]][predictionID, default: [:]][annotator] = value
                }
            }
            return sheets.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { key in
                let byPrediction = sheets[key] ?? [:]
                let annotators = Set(byPrediction.values.flatMap(\.keys)).sorted()
                let predictionIDs = byPrediction.keys.sorted()
                return CriterionScores(
                    rubric: key[0], rubricVersion: key[1], criterion: key[2], annotators: annotators,
                    values: predictionIDs.map { id in annotators.map { byPrediction[id]?[$0] } },
                    predictionIDs: predictionIDs)
            }
        }
    }
}
