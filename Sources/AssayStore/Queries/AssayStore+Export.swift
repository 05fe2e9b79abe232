import AssayCore
import Foundation
import GRDB

extension AssayStore {
    /// The runs named by `ids` in that order, or every completed run oldest first when `ids` is empty.
    public func runOutcomes(ids: [Int64]) throws -> [RunOutcome] {
        try pool.read { db in
            let runIDs: [Int64]
            if ids.isEmpty {
                runIDs = try Int64.fetchAll(db, sql: "SELECT id FROM run WHERE status = 'completed' ORDER BY id")
            } else {
                try Self.requireRuns(ids, in: db)
                runIDs = ids
            }
            return try runIDs.map { try runOutcome($0, in: db) }
        }
    }

    /// The predictions named by `ids` in that order, or every prediction that has at least one
    /// score (by run, then item) when `ids` is empty; each with all its scores, oldest first.
    public func reviewedPredictions(ids: [Int64]) throws -> [ReviewedPrediction] {
        try pool.read { db in
            let predictionIDs: [Int64]
            if ids.isEmpty {
                predictionIDs = try Int64.fetchAll(db, sql: """
                    SELECT p.id FROM prediction p JOIN item i ON i.id = p.item_id
                    WHERE EXISTS (SELECT 1 FROM score s WHERE s.prediction_id = p.id)
                    ORDER BY p.run_id, i.position
                    """)
            } else {
                predictionIDs = ids
            }
            return try predictionIDs.map { try reviewedPrediction($0, in: db) }
        }
    }

    /// Every score, oldest first, joined to its prediction, item, run, model, annotator and rubric.
    public func scoreExportRows() throws -> [ScoreExportRow] {
        try pool.read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT s.id, s.kind, a.name AS annotator, r.name AS rubric_name, r.version AS rubric_version,
                       r.content_hash AS rubric_content_hash, s.criteria, s.comment, s.created_at, s.updated_at,
                       p.id AS prediction_id, p.label, p.parse_status, p.reasoning,
                       i.id AS item_id, i.position, i.text, i.gold_label, d.name AS dataset_name,
                       run.id AS run_id, run.task_name, m.name AS model_name, m.quantization
                FROM score s
                JOIN annotator a ON a.id = s.annotator_id
                JOIN rubric r ON r.id = s.rubric_id
                JOIN prediction p ON p.id = s.prediction_id
                JOIN item i ON i.id = p.item_id
                JOIN run ON run.id = p.run_id
                JOIN model m ON m.id = run.model_id
                JOIN dataset d ON d.id = run.dataset_id
                ORDER BY s.id
                """)
            var result: [ScoreExportRow] = []
            while let row = try rows.next() {
                let scoreID: Int64 = row["id"]
                result.append(ScoreExportRow(
                    scoreID: scoreID, kind: try Self.scoreKind(row["kind"], scoreID: scoreID),
                    annotator: row["annotator"], rubricName: row["rubric_name"], rubricVersion: row["rubric_version"],
                    rubricContentHash: row["rubric_content_hash"],
                    criteria: try Self.criteria(row["criteria"], scoreID: scoreID), comment: row["comment"],
                    createdAt: row["created_at"], updatedAt: row["updated_at"], predictionID: row["prediction_id"],
                    predictedLabel: row["label"], parseStatus: try Self.parseStatus(row["parse_status"], predictionID: row["prediction_id"]),
                    reasoning: row["reasoning"], itemID: row["item_id"], itemPosition: row["position"],
                    itemText: row["text"], goldLabel: row["gold_label"], datasetName: row["dataset_name"],
                    runID: row["run_id"], taskName: row["task_name"], modelName: row["model_name"],
                    quantization: row["quantization"]))
            }
            return result
        }
    }

    private func runOutcome(_ runID: Int64, in db: Database) throws -> RunOutcome {
        guard let run = try RunRecord.fetchOne(db, key: runID),
              let model = try ModelRecord.fetchOne(db, key: run.modelId),
              let dataset = try DatasetRecord.fetchOne(db, key: run.datasetId) else {
            throw AssayError("run \(runID): its model or dataset row is missing; the database is damaged")
        }
        let pairs = try Row.fetchAll(db, sql: """
            SELECT i.gold_label, p.label FROM prediction p JOIN item i ON i.id = p.item_id
            WHERE p.run_id = ? ORDER BY i.position
            """, arguments: [runID])
        return RunOutcome(
            runID: runID, modelName: model.name, quantization: model.quantization, datasetName: dataset.name,
            labels: dataset.labels, taskName: run.taskName, status: run.status, energyKwh: run.energyKwh,
            energyMethod: run.energyMethod, co2Grams: run.co2Grams, emissionFactor: run.emissionFactor,
            emissionFactorSource: run.emissionFactorSource, emissionRegion: run.emissionRegion, pue: run.pue,
            goldLabels: pairs.map { $0[0] }, predictedLabels: pairs.map { $0[1] })
    }

    private func reviewedPrediction(_ predictionID: Int64, in db: Database) throws -> ReviewedPrediction {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT p.run_id, m.name AS model_name, m.quantization, d.name AS dataset_name, i.id AS item_id,
                   i.position, i.text, i.gold_label, p.label, p.parse_status, p.reasoning
            FROM prediction p
            JOIN item i ON i.id = p.item_id
            JOIN run ON run.id = p.run_id
            JOIN model m ON m.id = run.model_id
            JOIN dataset d ON d.id = run.dataset_id
            WHERE p.id = ?
            """, arguments: [predictionID]) else {
            let highest = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM prediction")
            let known = highest.map { "prediction ids run from 1 to \($0)" } ?? "there are no predictions yet"
            throw AssayError("no prediction with id \(predictionID); \(known) (see assay export scores)")
        }
        let scores = try Row.fetchAll(db, sql: """
            SELECT s.id, a.name AS annotator, s.kind, r.name AS rubric_name, r.version AS rubric_version,
                   s.criteria, s.comment, s.updated_at
            FROM score s JOIN annotator a ON a.id = s.annotator_id JOIN rubric r ON r.id = s.rubric_id
            WHERE s.prediction_id = ? ORDER BY s.created_at, s.id
            """, arguments: [predictionID]).map { score in
            let scoreID: Int64 = score["id"]
            return ReviewedPrediction.Score(
                annotator: score["annotator"], kind: try Self.scoreKind(score["kind"], scoreID: scoreID),
                rubricName: score["rubric_name"], rubricVersion: score["rubric_version"],
                criteria: try Self.criteria(score["criteria"], scoreID: scoreID), comment: score["comment"],
                updatedAt: score["updated_at"])
        }
        return ReviewedPrediction(
            predictionID: predictionID, runID: row["run_id"], modelName: row["model_name"],
            quantization: row["quantization"], datasetName: row["dataset_name"], itemID: row["item_id"],
            itemPosition: row["position"], text: row["text"], goldLabel: row["gold_label"],
            predictedLabel: row["label"], parseStatus: try Self.parseStatus(row["parse_status"], predictionID: predictionID),
            reasoning: row["reasoning"], scores: scores)
    }

    private static func requireRuns(_ ids: [Int64], in db: Database) throws {
        for id in ids where try RunRecord.exists(db, key: id) == false {
            let known = try Int64.fetchAll(db, sql: "SELECT id FROM run ORDER BY id")
            let list = known.isEmpty ? "there are no runs yet" : "known run ids: \(known.map(String.init).joined(separator: ", "))"
            throw AssayError("no run with id \(id); \(list)")
        }
    }

    private static func criteria(_ json: String, scoreID: Int64) throws -> [String: ScoreValue] {
        do {
            return try JSONDecoder().decode([String: ScoreValue].self, from: Data(json.utf8))
        } catch {
            throw AssayError("score \(scoreID): its criteria are not a JSON object of numbers and names; the database is damaged")
        }
    }

    private static func scoreKind(_ raw: String, scoreID: Int64) throws -> ScoreRecord.Kind {
        guard let kind = ScoreRecord.Kind(rawValue: raw) else {
            throw AssayError("score \(scoreID): unknown kind '\(raw)'; the database is damaged")
        }
        return kind
    }

    private static func parseStatus(_ raw: String, predictionID: Int64) throws -> PredictionRecord.ParseStatus {
        guard let status = PredictionRecord.ParseStatus(rawValue: raw) else {
            throw AssayError("prediction \(predictionID): unknown parse status '\(raw)'; the database is damaged")
        }
        return status
    }
}
