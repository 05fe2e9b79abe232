import AssayCore
import AssaySupport
import Foundation
import GRDB

extension AssayStore {
    /// Every run's id, oldest first.
    public func runIDs() throws -> [RunID] {
        try reading { statements in try statements.rows("SELECT id FROM run ORDER BY id", []).map { $0["id"] as RunID } }
    }

    /// A run, its model and dataset names, and its predictions joined with the gold labels.
    public func runPredictions(runID: RunID) throws -> RunPredictions {
        try reading { statements in
            guard
                let run = try Self.decodingRow(
                    "run \(runID)", { try statements.fetchOne(RunRecord.self, "SELECT * FROM run WHERE id = ?", [runID.databaseValue]) })
            else {
                let known = try statements.rows("SELECT id FROM run ORDER BY id", []).map { $0["id"] as RunID }
                let list = known.isEmpty ? "the database has no runs yet" : "known runs: \(known.map(String.init).joined(separator: ", "))"
                throw AssayError("no run with id \(runID); \(list)")
            }
            let modelName =
                try statements.value("SELECT name FROM model WHERE id = ?", [run.modelId.databaseValue]) ?? "model \(run.modelId)"
            guard
                let dataset = try Self.decodingRow(
                    "dataset \(run.datasetId) of run \(runID)",
                    { try statements.fetchOne(DatasetRecord.self, "SELECT * FROM dataset WHERE id = ?", [run.datasetId.databaseValue]) })
            else {
                throw AssayError("run \(runID) points at dataset \(run.datasetId), which no longer exists")
            }
            let rows = try statements.rows(
                """
                SELECT item.id, item.position, item.gold_label, prediction.label, prediction.parse_status, prediction.latency_seconds, prediction.outcome
                FROM prediction JOIN item ON item.id = prediction.item_id
                WHERE prediction.run_id = ? ORDER BY item.position
                """, [runID.databaseValue])
            let answers = try rows.map { row in
                let parsed = (row["parse_status"] as String) == ParseStatus.parsed.rawValue
                let itemID: ItemID = row["id"]
                let outcome = try (row["outcome"] as String?).map {
                    try ItemOutcome(jsonText: $0, place: "run \(runID), item \(itemID)")
                }
                return RunPredictions.Answer(
                    itemID: itemID, position: row["position"], goldLabel: row["gold_label"], label: parsed ? row["label"] : nil,
                    latencySeconds: row["latency_seconds"], outcome: outcome)
            }
            let known = Set(dataset.labels)
            let extra = Set(answers.flatMap { [$0.goldLabel] + ($0.label.map { [$0] } ?? []) }).subtracting(known)
            return RunPredictions(
                runID: runID, run: run, modelName: modelName, datasetName: dataset.name, kind: dataset.kind,
                labels: dataset.labels + extra.sorted(), answers: answers)
        }
    }

    /// The annotation scores (adjudications left out) of every rubric criterion, optionally only
    /// for predictions of `runIDs` and only for one criterion.
    public func criterionScores(runIDs: [RunID] = [], criterion: String? = nil) throws -> [CriterionScores] {
        try reading { statements in
            let rows = try statements.rows(
                """
                SELECT score.prediction_id, annotator.name AS annotator, rubric.name AS rubric, rubric.version,
                       score.criteria, score.id
                FROM score
                JOIN annotator ON annotator.id = score.annotator_id
                JOIN rubric ON rubric.id = score.rubric_id
                JOIN prediction ON prediction.id = score.prediction_id
                WHERE score.kind = ? AND \(Self.runCondition(runIDs))
                ORDER BY score.prediction_id
                """, [ScoreKind.annotation.databaseValue])
            // (rubric, version, criterion) -> prediction -> annotator -> value
            var sheets: [[String]: [PredictionID: [String: ScoreValue]]] = [:]
            for row in rows {
                let predictionID: PredictionID = row["prediction_id"]
                let annotator: String = row["annotator"]
                let criteria = try Self.storedCriteria(row["criteria"], scoreID: row["id"])
                for (name, value) in criteria where criterion == nil || criterion == name {
                    sheets[[row["rubric"], row["version"], name], default: [:]][predictionID, default: [:]][annotator] = value
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
